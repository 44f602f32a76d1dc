from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.wire.base import WireError
from articles.wire.html import html_to_blocks, text_to_blocks
from articles.wire.nitf import NITFParser

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples"


def parse(name: str):
    raw = (SAMPLES / "nitf" / name).read_bytes()
    assert NITFParser().can_parse(raw)
    [story] = NITFParser().parse(raw)
    assert story.format == "nitf"
    return story


def test_ap_byline_title_removed_and_caps_name_title_cased():
    story = parse("ap-nitf.xml")
    assert story.headline == "Can trading pollution like stocks help fight climate change?"
    assert story.subheadline == ""  # hl2 "originalHeadline" repeats the headline
    assert story.bylines == ["Bernard Condon"]
    assert story.dateline == "New York"
    assert story.source == "AP"
    assert story.source_id == ""  # AP's doc-id has only regsrc
    assert story.published_at == datetime(2015, 12, 10, 19, 10, 44, tzinfo=UTC)
    assert len(story.blocks) == 28
    # The parser leaves agency datelines and promo lines for the refine step.
    assert story.paragraphs[0].startswith("NEW YORK (AP) — The gas produced by hog manure")
    assert story.paragraphs[-2:] == [
        "___",
        "Bernard Condon can be reached at http://twitter.com/BernardFCondon . "
        "His work can be found at http://www.bigstory.ap.org/content/bernard-condon .",
    ]
    assert not story.canceled and story.embargoed_until is None and story.warnings == []


def test_ap_media_namespaced_tables():
    story = parse("ap_media_text_nitf.xml")
    assert story.headline == "BC-BBN--Top Ten"
    assert story.source == "AP"
    assert story.bylines == []
    assert [b.kind for b in story.blocks] == ["h2", "table", "p", "table", "p", "table", "p"]
    table = story.blocks[1]
    assert table.text.splitlines()[:4] == [
        "BASEBALL'S TOP TEN",
        "By The Associated Press",
        "NATIONAL LEAGUE",
        "G | AB | R | H | Pct.",
    ]
    assert "<td>McNeil NYM</td>" in table.html
    assert story.blocks[2].text.startswith("Yelich, Milwaukee, 31; Alonso, New York, 28;")


def test_aap_city_dateline_br_kept_and_empty_paragraphs_dropped():
    story = parse("aap.xml")
    assert story.headline == "The main stories on today's 1900 ABC TV news"
    assert story.bylines == ["John Doe"]
    assert story.dateline == "Sydney"
    assert story.source == "AAP"
    assert story.source_id == "AAP.115314987.5417374"
    assert story.published_at == datetime(2013, 10, 20, 8, 27, 51, tzinfo=UTC)
    assert story.embargoed_until is None  # date.release equals date.issue
    assert len(story.blocks) == 13
    assert story.paragraphs[0] == "The main stories on ABC television's 1900 news:"
    assert "<br>" in story.blocks[1].html
    assert story.paragraphs[1].startswith("1A) More extreme weather forecast over the next few days")
    assert story.paragraphs[-1] == "AAP RTV ar"


def test_pa5_real_latin1_bytes_and_inline_entities():
    story = parse("pa5.xml")
    assert story.headline == "HARD BREXIT TO COST UK UP TO £66BN A YEAR, SAYS TREASURY"
    assert story.bylines == ["Sam Lister"]  # ", Press Association Political Correspondent" dropped
    assert story.source == "PA"
    assert story.source_id == "17b7b4c3-6e05-4690-b7cb-37b5c99c9a86HHH-5-1"
    assert story.keywords == ["Brexit"]
    assert len(story.blocks) == 19
    assert story.paragraphs[0] == (
        "Treasury coffers will take a £66 billion annual hit if Britain goes for a "
        "so-called hard Brexit, Cabinet ministers have been warned."
    )
    assert "<person>" not in story.blocks[2].html
    assert story.warnings == []  # the latin-1 declaration was true


def test_pa2_without_body_head_is_one_pre_block():
    story = parse("pa2.xml")
    assert story.headline == "1 SOCCER INT-Teams"  # from <head><title>
    assert story.bylines == [] and story.dateline == ""
    assert story.source == "PA"
    assert story.source_id == "T201510140143580001T"
    assert story.keywords == ["INT-Teams"]
    [block] = story.blocks
    assert block.kind == "pre"
    assert block.text.splitlines()[:2] == ["International Match", "Mexico v Panama"]


def test_ntb_naive_iso_date_plain_dateline_and_subheads():
    story = parse("nitf-ntb.xml")
    assert story.headline == ("Faktisk.no: Nei, dette dokumentet beskriver ikke FNs Agenda 21 eller Agenda 2030")
    assert story.bylines == ["Geir Molnes"]
    assert story.dateline == "Oslo"
    assert story.source == "NTB"
    assert story.source_id == "faktisk-d9cde75b-256e-4989-b6a3-b8ad27f43a5c_47"
    assert story.version == 48
    assert story.language == "nb-NO"
    assert story.published_at == datetime(2020, 9, 7, 14, 45, 26, tzinfo=UTC)
    assert story.warnings == ["date.issue '2020-09-07T14:45:26' has no time zone; read as UTC"]
    # The three embed codes NTB escaped into the body (&lt;div ...&gt;&lt;script&gt;)
    # are markup, not copy: unescaped, sanitised, and gone.
    assert len(story.blocks) == 48
    assert not any("<script" in b.text or "faktisk-embed" in b.text for b in story.blocks)
    assert [b.kind for b in story.blocks[:3]] == ["p", "h2", "p"]
    assert story.blocks[1].text == "Påstand"
    assert story.blocks[2].text == "«[Dette dokumentet beskriver] FNs Agenda 21 og Agenda 2030»"
    assert any(b.kind == "ul" and b.text.startswith("Én global verdensregjering\n") for b in story.blocks)


def test_efe_no_declaration_comments_in_dateline_initials_byline():
    story = parse("efe_nitf.xml")
    assert story.headline == "Honduran president announces Cabinet changes"
    assert story.subheadline == "HONDURAS GOVERNMENT"
    assert story.bylines == []  # "gr/bp" are editors' initials
    assert story.dateline == ""  # only a story.date; the place is in the body
    assert story.source == "EFE"
    assert story.source_id == "22751909"
    assert story.keywords == ["HONDURAS GOVERNMENT"]
    assert story.language == "en-US"
    assert story.published_at == datetime(2017, 1, 2, 22, 28, tzinfo=UTC)
    assert story.paragraphs == ["Tegucigalpa, Jan 2 (EFE).- Test body."]


def test_canadian_press_template_dates_ignored_with_warning():
    story = parse("handle_invalid_fields.xml")
    assert story.headline == ("Man accused of ramming gate at Rideau Hall with truck faces multiple charges")
    assert story.subheadline == "Rideau Hall suspect faces multiple charges"
    assert story.bylines == ["Mia Rabson", "Jordan Press"]
    assert story.dateline == "Ottawa"
    assert story.source == "Canadian Press"
    assert story.source_id == "eed713d46d74499d86b3250fa47b341b"
    assert story.keywords == ["National", "Justice", "Politics"]
    assert story.published_at == datetime(2020, 7, 3, 16, 51, 36, tzinfo=timezone(timedelta(hours=-4)))
    assert story.embargoed_until is None
    assert story.warnings == ["ignored date.release 'YYYYMMDD000000-HHMM': not a date"]
    assert len(story.blocks) == 27
    assert story.paragraphs[0].startswith("OTTAWA - A Manitoba man is facing 22 criminal charges")


def test_iptc_fishing_doctype_canceled_and_embargoed():
    story = parse("nitf-fishing.xml")
    assert story.headline == "Weather and Tide Updates for Norfolk"
    assert story.subheadline == "A sample, fictitious NITF article"
    assert story.bylines == ["Alan Karben"]
    assert story.dateline == "Newport News"
    assert story.source_id == "iptc.321656141.b"
    assert story.version == 1
    assert story.keywords == ["fishing", "lures", "tides"]
    assert story.canceled is True
    est = timezone(timedelta(hours=-5))
    assert story.published_at == datetime(2002, 2, 25, 14, 30, tzinfo=est)
    assert story.embargoed_until == datetime(2002, 2, 26, 9, 30, tzinfo=est)
    assert [b.kind for b in story.blocks] == ["p", "p", "h2", "p", "p", "h2", "p", "ul", "p"]
    assert story.paragraphs[0] == (
        "The weather was superb today in Norfolk, Virginia. Made me want to take out my boat, "
        "manufactured by the Acme Boat Company."
    )
    assert "tides, captured on film" not in " ".join(story.paragraphs)  # media dropped


def test_ntb_sample_multi_agency_byline():
    story = parse("NTB_nitf_sample.xml")
    assert story.headline == "Pandemien herjer på den legeløse indiske landsbygda"
    assert story.bylines == []  # "NTB-AFP-DPA" names agencies, not people
    assert story.dateline == "Unnao"
    assert story.source == "NTB"
    assert story.source_id == "NTB5df9281a-a270-4dc5-a618-869bbc3bbca7_00"
    assert story.keywords == ["india-korona-bygd"]
    assert len(story.blocks) == 22
    assert story.paragraphs[1].startswith("– Det er så mye fattigdom")
    assert story.blocks[4].kind == "h2" and story.blocks[4].text == "- Det skjulte India"
    assert story.paragraphs[-1] == "(©NTB)"


def test_embargoed_status_and_withheld():
    raw = b"""<nitf><head><docdata management-status="embargoed">
        <doc-id id-string="x1"/><date.issue norm="20240101T100000Z"/>
        <date.release norm="20240101T120000Z"/></docdata></head>
        <body><body.content><p>Copy.</p></body.content></body></nitf>"""
    [story] = NITFParser().parse(raw)
    assert story.embargoed_until == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert not story.canceled
    [story] = NITFParser().parse(raw.replace(b"embargoed", b"withheld"))
    assert story.canceled
    assert "management-status is withheld: treated as canceled" in story.warnings


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<nitf><head></nitf>", "malformed XML: mismatched tag: line 1, column 14"),
        (b"<newsMessage/>", "not NITF: the root element is <newsMessage>"),
        (b"", "malformed XML: no element found: line 1, column 0"),
    ],
)
def test_errors_are_one_line_wire_errors(raw, message):
    with pytest.raises(WireError) as caught:
        NITFParser().parse(raw)
    assert str(caught.value) == message


def test_can_parse_sniffs_the_root_element():
    assert NITFParser().can_parse(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<ns:nitf/>')
    assert not NITFParser().can_parse(b"<newsItem/>")
    assert not NITFParser().can_parse(b"NEW YORK (AP) - plain text")
    assert NITFParser.priority > 0


def test_html_to_blocks_sanitises_and_splits():
    blocks = html_to_blocks(
        '<h1>Title</h1><p onclick="x">One <a href="javascript:alert(1)">link</a></p>'
        "<script>alert(1)</script><p> </p>loose<br><br>text<h4>Sub</h4>"
        "<blockquote><p>Quote</p></blockquote><ol><li>a</li><li>b</li></ol>"
    )
    assert [(b.kind, b.text) for b in blocks] == [
        ("p", "One link"),
        ("p", "loose"),
        ("p", "text"),
        ("h3", "Sub"),
        ("blockquote", "Quote"),
        ("ol", "a\nb"),
    ]
    assert blocks[0].html == 'One <a rel="noopener noreferrer">link</a>'


def test_hard_wrapped_text_is_split_at_indents():
    raw = "(Adds detail)\n    * One\n    * Two\n\n    By Jo\n    Jan 3 (Reuters) - Gold\nrose.\n    Next."
    assert [(b.kind, b.text) for b in text_to_blocks(raw)] == [
        ("p", "(Adds detail)"),
        ("ul", "One\nTwo"),
        ("p", "By Jo"),
        ("p", "Jan 3 (Reuters) - Gold rose."),
        ("p", "Next."),
    ]


def test_unpublishable_note_leaves_but_following_copy_stays():
    raw = b"""<nitf><body><body.content><p>One.</p><note type="npa"><p>Not for
        publication.</p></note>Loose copy.<p>Two.</p></body.content></body></nitf>"""
    [story] = NITFParser().parse(raw)
    assert story.paragraphs == ["One.", "Loose copy.", "Two."]
