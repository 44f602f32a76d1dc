"""Fidelity on agency copy the parsers were not written against.

Each family gets the real samples that show it and held-out copy written for
these tests (see tests/fixtures/held-out/SOURCES.md): several variants per
family, different from the examples in the issue.
"""

from pathlib import Path

import pytest

from articles.wire import WireError, parse_bytes
from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.base import Block, WireStory
from articles.wire.feed import strip_shortcodes
from articles.wire.notes import is_editors_note
from articles.wire.refine import byline_names, refine

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples"


def sample(path: str) -> WireStory:
    return parse_bytes((SAMPLES / path).read_bytes(), path)[0]


def refined(*texts: str, **fields) -> WireStory:
    return refine(WireStory(format="test", blocks=[Block("p", t) for t in texts], **fields), DEFAULT_AGENCIES)


# --- 1. datelines in other languages' house styles ------------------------------


@pytest.mark.parametrize(
    ("first", "place", "source"),
    [
        ("NAPOLI, 30 SET - Il sindaco ha firmato l'ordinanza.", "Napoli", ""),
        ("TORINO, 4 febbraio (ANSA) - La Juventus ha vinto.", "Torino", "ANSA"),
        ("FIRENZE, 2 dic. (ANSA) – Riapre il museo.", "Firenze", "ANSA"),
        ("SEVILLA, 14 abr (EFE).- La Semana Santa comenzó.", "Sevilla", "EFE"),
        ("MONTEVIDEO, 1º de julio (EFE) - El gobierno anunció.", "Montevideo", "EFE"),
        ("LYON, 1er août (AFP) - Le maire a démissionné.", "Lyon", "AFP"),
        ("MARSEILLE (AFP) — Un incendie a ravagé la colline.", "Marseille", "AFP"),
        ("Hamburg, 12. Okt. (dpa) - Der Hafen meldet Rekorde.", "Hamburg", "dpa"),
        ("MÜNCHEN (dpa) - Die Wiesn ist eröffnet.", "München", "dpa"),
        ("PORTO ALEGRE, 20 de setembro de 2023 (Reuters) - O rio subiu.", "Porto Alegre", "Reuters"),
        ("BRASÍLIA, 8 out (Reuters): O Senado aprovou.", "Brasília", "Reuters"),
    ],
)
def test_datelines_in_six_languages(first, place, source):
    story = refined(first, "Second paragraph.")

    assert story.dateline == place
    assert story.source == source
    assert not story.paragraphs[0].startswith(place.upper()[:4])
    assert story.paragraphs[0][0].isupper()


def test_dated_dateline_of_an_agency_not_configured_is_still_cut():
    story = refined("COIMBRA, 12 mai (Lusa) - A universidade abriu.")

    assert story.dateline == "Coimbra"
    assert story.paragraphs == ["A universidade abriu."]
    assert story.source == ""  # an unknown agency is not invented


def test_undated_unknown_bracket_is_still_not_a_dateline():
    story = refined("Bundeskanzler Scholz (SPD) - so heißt es - will reden.")

    assert story.dateline == ""
    assert story.paragraphs[0].startswith("Bundeskanzler")


@pytest.mark.parametrize(
    ("first", "place", "original"),
    [
        ("TOKYO, Mar 3 Reuters - Japan's economy shrank.", "Tokyo", "Reuters"),
        ("NAIROBI, 9 June AFP - Kenya's parliament voted.", "Nairobi", "AFP"),
        ("WASHINGTON (AP) - The Senate passed the bill.", "Washington", "AP"),
    ],
)
def test_distributor_copy_credits_the_original_agency(first, place, original):
    story = refined(first, source="AAP")

    assert story.dateline == place
    assert story.source == "AAP"  # the feed it came from: its rules and ids
    assert story.original_agency == original
    assert original in story.credits  # shown to readers with the article
    assert story.paragraphs[0][0].isupper() and original not in story.paragraphs[0]


def test_bare_agency_must_be_known():
    story = refined("LONDON, Nov 26 Smith - said the plan would fail.")

    assert story.dateline == ""
    assert story.paragraphs[0].startswith("LONDON")


def test_bare_agency_dateline_without_metadata_sets_the_source():
    story = refined("CANBERRA, Feb 2 AFP - Australia's parliament sat.")

    assert (story.source, story.original_agency, story.dateline) == ("AFP", "", "Canberra")


# --- 2. bylines followed by the agency on the next line ------------------------


@pytest.mark.parametrize(
    ("lines", "names", "agency"),
    [
        (["By MARIA SANCHEZ and TOM O'NEIL", "The Associated Press"], ["Maria Sanchez", "Tom O'Neil"], "AP"),
        (["By Lena Kraus", "Reuters"], ["Lena Kraus"], "Reuters"),
        (["By Hugo Martin, Ana Ruiz and Paul Weber", "AFP"], ["Hugo Martin", "Ana Ruiz", "Paul Weber"], "AFP"),
        (["By KEN MORITSUGU", "AP Business Writer"], ["Ken Moritsugu"], "AP"),
    ],
)
def test_agency_line_under_a_byline_is_the_agency(lines, names, agency):
    story = refined(*lines, "BEIJING - Factories slowed in March.")

    assert story.bylines == names
    assert story.source == agency
    assert story.paragraphs == ["Factories slowed in March."]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Maria Sanchez and Tom Baker Associated Press", ["Maria Sanchez", "Tom Baker"]),
        ("By MARIA SANCHEZ and TOM BAKER THE ASSOCIATED PRESS", ["Maria Sanchez", "Tom Baker"]),
        ("By Lena Kraus Reuters", ["Lena Kraus"]),
        ("By Jane Ap", ["Jane Ap"]),  # a surname, not the agency
    ],
)
def test_agency_glued_to_the_last_name_is_not_a_name(line, names):
    assert byline_names(line, DEFAULT_AGENCIES) == names


def test_plain_text_byline_and_agency_lines_are_not_one_name():
    raw = (
        b"Drought cuts Danube shipping\n\nBy PETER HORVATH and ANNA KISS\nAssociated Press\n\n"
        b"BUDAPEST, Hungary (AP) - Barges sat idle on Tuesday.\n"
    )
    story = parse_bytes(raw)[0]

    assert story.bylines == ["Peter Horvath", "Anna Kiss"]
    assert story.source == "AP"
    assert story.paragraphs == ["Barges sat idle on Tuesday."]


# --- 3. HTML escaped inside NITF bodies ----------------------------------------

NITF_ESCAPED = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>Port strike</title></head><body><body.head><hedline><hl1>Port strike</hl1></hedline>
</body.head><body.content>&lt;P&gt;ROTTERDAM (Reuters) - Dock workers &lt;B&gt;walked out&lt;/B&gt;.&lt;/P&gt;
&lt;p class="x"&gt;Talks resume on Monday, 3 &lt; 4.&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;
&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;&lt;a href="javascript:alert(1)"&gt;link&lt;/a&gt;
</body.content></body></nitf>"""


def test_escaped_html_in_an_nitf_body_is_parsed_once_and_sanitised():
    story = parse_bytes(NITF_ESCAPED)[0]

    assert story.paragraphs[:2] == ["Dock workers walked out.", "Talks resume on Monday, 3 < 4."]
    assert story.blocks[0].html == "Dock workers <b>walked out</b>."
    bodies = " ".join(b.html + b.text for b in story.blocks)
    assert "<P>" not in bodies and "&lt;P" not in bodies
    assert "steal()" not in bodies and "iframe" not in bodies and "javascript:" not in bodies


def test_real_sample_embed_codes_escaped_into_the_body_are_not_copy():
    story = sample("nitf/nitf-ntb.xml")

    assert not any("faktisk-embed" in b.text or "<script" in b.text for b in story.blocks)


# --- 4. a standalone NewsML-G2 newsItem -----------------------------------------


def test_newsitem_cut_out_of_a_newsmessage_parses():
    message = (SAMPLES / "newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5").read_bytes()
    start, end = message.index(b"<newsItem"), message.index(b"</newsItem>") + len(b"</newsItem>")
    story = parse_bytes(b'<?xml version="1.0"?>\n' + message[start:end])[0]  # rtr: is now undeclared

    assert story.headline == "Confident Assad launches new term in stronger position"
    assert story.dateline == "Damascus"
    assert story.urgency == 4
    assert any("declared namespace prefixes" in w for w in story.warnings)


def test_held_out_standalone_newsitem_without_namespace():
    raw = """<newsItem guid="urn:newsml:example.org:20240301:ab12" version="2" standard="NewsML-G2">
<itemMeta><itemClass qcode="ninat:text"/><provider literal="AFP"/>
<versionCreated>2024-03-01T09:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
<contentMeta><urgency>2</urgency><slugline>Chile-quake</slugline><headline>Quake shakes Chile</headline>
</contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><html><body>
<p>SANTIAGO, 1 mars 2024 (AFP) - Un séisme a secoué le pays.</p></body></html></inlineXML></contentSet>
</newsItem>""".encode()
    story = parse_bytes(raw)[0]

    assert (story.headline, story.dateline, story.source) == ("Quake shakes Chile", "Santiago", "AFP")
    assert (story.urgency, story.slugline) == (2, "Chile-quake")
    assert story.paragraphs == ["Un séisme a secoué le pays."]


def test_real_standalone_newsitem_sample():
    story = sample("newsml-g2/stt_newsml_test_no_hl.xml")

    assert story.source == "STT" and story.urgency == 3


# --- 5. ANPA control characters and paragraphs ----------------------------------

ANPA = (
    "\x16\x16\x01a0412\x1fnat\n"
    "b a\x13\x11 BC-US--Storm-Power    03-02 0412\n"
    "\x02^BC-US--Storm-Power,0412<\n"
    "^Storm knocks out power to thousands\x10<\n"
    "^Eds: Updates with utility figures.<\n"
    "^By MARIA LOPEZ and DAN CHU=\n"
    "^Associated Press=\n"
    "\t   DENVER (AP) _ A late-winter storm knocked out power to 40,000 homes.\n"
    "\t   Crews worked through the\x10night.\x1e\n"
    "   Schools stayed closed on Tuesday.\n"
    "\t   ``We are doing what we can,'' a spokeswoman said.\x03AP-WF-03-02-24 1203GMT<\n\x04"
).encode("latin-1")


def test_anpa_headline_has_no_control_characters_and_no_paragraph_is_lost():
    story = parse_bytes(ANPA)[0]

    assert story.headline == "Storm knocks out power to thousands"
    assert story.bylines == ["Maria Lopez", "Dan Chu"]
    assert story.paragraphs == [
        "A late-winter storm knocked out power to 40,000 homes.",
        "Crews worked through the night.",
        "Schools stayed closed on Tuesday.",
        "“We are doing what we can,” a spokeswoman said.",
    ]
    assert (story.urgency, story.slugline) == (2, "BC-US--Storm-Power")


@pytest.mark.parametrize("path", ["plain-text/anpa-1.tst", "plain-text/ap_anpa-6.tst"])
def test_anpa_samples_keep_no_control_characters(path):
    story = sample(path)
    texts = [story.headline, story.subheadline, *story.bylines, *(b.text + b.html for b in story.blocks)]

    assert not any(ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for t in texts for c in t)


def test_anpa_samples_urgency():
    assert sample("plain-text/anpa-1.tst").urgency == 1  # "f": flash
    assert sample("plain-text/ap_anpa-6.tst").urgency == 5  # "r": routine


def test_control_characters_leave_every_format():
    story = refined("LIMA (AP) \x85— Text\x07 here.", headline="Head\x1bline\x9b", bylines=["Ana\x00 Ruiz"])

    assert (story.headline, story.bylines, story.paragraphs) == ("Headline", ["Ana Ruiz"], ["Text here."])


# --- 6. notes to editors --------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "(Achtung: Sperrfrist 18.00 Uhr MEZ beachten)",
        "(Eds: Updates with police statement)",
        "EDITOR'S NOTE: This story contains graphic descriptions.",
        "Note to editors: photos available on request",
        "ATTENTION EDITORS - embargoed until 0600 GMT",
        "Hinweis an die Redaktionen: Korrigiert Namen im 2. Absatz",
        "(Nota a los editores: se corrige la cifra)",
        "NOTA PER LE REDAZIONI: ripete il servizio",
        "Avis aux rédactions : reprise du texte",
        "Nota aos editores: corrige o nome",
    ],
)
def test_notes_to_editors_are_recognised(note):
    assert is_editors_note(note)


@pytest.mark.parametrize(
    "text",
    ["Achtung, Glatteis auf der A9!", "Note that the plan failed.", "Editors at the paper resigned.", "Eds Smith"],
)
def test_ordinary_sentences_are_not_notes(text):
    assert not is_editors_note(text)


def test_dpa_note_in_iptc7901_copy_is_not_the_headline():
    raw = (
        "\x01eca114 3 i 230  dpa 0187\n\nDeutschland/Verkehr/\n"
        "\x02(Achtung: Sperrfrist 10.00 Uhr MEZ)\n\n"
        "Bahn streicht Fernzüge wegen Sturm =\n\n"
        "   Berlin (dpa) - Die Deutsche Bahn hat am Montag den Fernverkehr\n"
        "im Norden eingestellt.\n\x03 081015 GMT Jan 24\n\x04"
    ).encode()
    story = parse_bytes(raw)[0]

    assert story.headline == "Bahn streicht Fernzüge wegen Sturm"
    assert story.removed[0] == "(Achtung: Sperrfrist 10.00 Uhr MEZ)"
    assert story.paragraphs == ["Die Deutsche Bahn hat am Montag den Fernverkehr im Norden eingestellt."]
    assert story.urgency == 3 and story.slugline == "Deutschland/Verkehr"


def test_note_in_plain_text_is_not_the_headline():
    raw = (
        b"(Eds: Embargoed until 0500 GMT)\n\nFloods close Rhine to barges\n\n"
        b"KOBLENZ (Reuters) - River traffic stopped.\n"
    )
    story = parse_bytes(raw)[0]

    assert story.headline == "Floods close Rhine to barges"
    assert "(Eds: Embargoed until 0500 GMT)" in story.removed


def test_note_in_structured_copy_leaves_headline_and_body():
    story = refined(
        "ATTENTION EDITORS: corrects spelling of name in 3rd paragraph",
        "PARIS (AFP) - The minister resigned.",
        headline="(EDITORS NOTE: contains strong language)",
        subheadline="French minister resigns",
    )

    assert story.headline == "French minister resigns"
    assert story.paragraphs == ["The minister resigned."]
    assert len(story.removed) == 2


def test_real_iptc7901_samples_keep_their_headlines():
    assert sample("plain-text/dpa_four_line.txt").headline.startswith("Switzerland joins list")
    assert sample("plain-text/IPTC7901.txt").urgency == 5  # priority 4: routine


# --- 7. custom XML entities ------------------------------------------------------


def test_undefined_entities_decode_or_vanish_without_their_text():
    raw = b"""<nitf><head><title>x</title></head><body><body.head><hedline>
<hl1>Oil&endash;gas deal&nbsp;signed</hl1></hedline></body.head><body.content>
<p>OSLO (NTB) &emdash; Prices rose 2&frac12;% &bogus;today, caf&eacute; owners said.</p>
<p><![CDATA[&literal;]]> stays</p></body.content></body></nitf>"""
    story = parse_bytes(raw)[0]

    assert story.headline == "Oil–gas deal signed"
    assert story.paragraphs == ["Prices rose 2½% today, café owners said.", "&literal; stays"]
    assert any("bogus" in w for w in story.warnings)


def test_entities_in_a_feed_keep_the_text():
    raw = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Rates&endash;hold</title><guid>1</guid>
<description>Banks &mdash; and &unknown;lenders held rates.</description></item>
</channel></rss>"""
    story = parse_bytes(raw)[0]

    assert story.headline == "Rates–hold"
    assert story.paragraphs == ["Banks — and lenders held rates."]


def test_declared_entities_are_still_refused():
    raw = b'<!DOCTYPE nitf [<!ENTITY x "boom">]><nitf><body><body.content><p>&x;</p></body.content></body></nitf>'
    with pytest.raises(WireError, match="declares entities"):
        parse_bytes(raw)


# --- 8. WordPress shortcodes -------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<p>Call us [contact-form-7 id="4" title="Contact"] today.</p>', "<p>Call us  today.</p>"),
        (
            '[caption id="attachment_9" width="640"]<img src="a.jpg"> The harbour at dawn[/caption]',
            '<img src="a.jpg"> The harbour at dawn',
        ),  # fmt: skip
        ('<p>[gallery columns="3" ids="10,11"]</p>', "<p></p>"),
        ('[video mp4="a.mp4"][/video]After', "After"),
        ('[embed width="500"]https://example.org/v[/embed]', ""),
        ("[audio]", ""),
        ("<p>He said [sic] it was [1] fine.</p>", "<p>He said [sic] it was [1] fine.</p>"),
        ("[pullquote]Kept words[/pullquote]", "Kept words"),
    ],
)
def test_shortcode_grammar(markup, expected):
    assert strip_shortcodes(markup) == expected


def test_wxr_export_bodies_lose_shortcodes():
    raw = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title>
<item><title>Harbour reopens</title><guid>p-1</guid><content:encoded><![CDATA[
<p>The harbour reopened on Monday.</p>
[caption id="attachment_3" align="alignnone" width="300"]<img src="h.jpg"> Boats return to the harbour[/caption]
<p>[wpforms id="12"]Sign up below.</p>
[gallery ids="4,5,6"]
]]></content:encoded></item></channel></rss>"""
    story = parse_bytes(raw)[0]
    text = " ".join(story.paragraphs)

    assert "[" not in text
    assert "Boats return to the harbour" in text and "Sign up below." in text


# --- 9. urgency and slugline ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "urgency", "slugline"),
    [
        ("nitf/pa2.xml", 3, "580001T"),
        ("nitf/handle_invalid_fields.xml", 2, ""),  # <urgency> outside docdata
        ("nitf/aap.xml", 5, "Monitor 1900 ABC News"),  # anpa-keyword meta
        ("newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5", 4, "US-SYRIA-CRISIS-ASSAD"),
        ("newsml-g2/TT_newsmlg2_sample.xml", 3, "janguillou"),
        ("newsml-1.2/afp.xml", 4, "Sweden-SAAB"),
        ("ninjs/3.x/tt_text_image_3.json", 3, "militärövning"),
        ("ninjs/2.x/dpa_text.json", 4, ""),
        ("plain-text/dpa_two_by_line.txt", 5, "American Football/NFL"),
    ],
)
def test_urgency_and_slugline_from_every_format(path, urgency, slugline):
    story = sample(path)

    assert (story.urgency, story.slugline) == (urgency, slugline)


def test_out_of_range_urgency_is_ignored():
    raw = b'{"uri": "u1", "headline": "H", "body_text": "Text.", "urgency": 12, "slugline": "s"}'
    story = parse_bytes(raw)[0]

    assert (story.urgency, story.slugline) == (None, "s")
