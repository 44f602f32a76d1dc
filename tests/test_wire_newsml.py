"""NewsML-G2 and NewsML 1.2 samples, read by their parsers directly."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.wire.base import WireError
from articles.wire.newsml import NewsMLG2Parser
from articles.wire.newsml1 import NewsML1Parser

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples"


def parse_g2(name: str):
    raw = (SAMPLES / "newsml-g2" / name).read_bytes()
    assert NewsMLG2Parser().can_parse(raw)
    return NewsMLG2Parser().parse(raw)


def test_reuters_text_item_in_message():
    [story] = parse_g2("tag_reuters.com_2014_newsml_KBN0FL0NN_version_5")
    assert story.format == "newsml"
    assert story.headline == "Confident Assad launches new term in stronger position"
    assert story.source == "Reuters"
    assert story.source_id == "tag_reuters.com_2014_newsml_KBN0FL0NN"
    assert story.version == 5
    assert story.bylines == ["Marwan Makdisi"]
    # <dateline> holds a timestamp, so <located> (Reuters' editing desk) is used.
    assert story.dateline == "Bangalore"
    assert story.language == "en-US"
    assert story.published_at == datetime(2014, 7, 16, 15, 53, 10, tzinfo=UTC)
    assert story.keywords == []  # only qcodes, no names
    assert len(story.blocks) == 26  # two empty <p/> dropped
    assert story.paragraphs[0] == "By Marwan Makdisi"
    assert story.paragraphs[1].startswith("DAMASCUS (Reuters) - Bashar al-Assad was sworn in")
    assert "STILL STANDING" in story.paragraphs
    assert story.paragraphs[-1].startswith("(Additional reporting by Sylvia Westall")
    assert not story.canceled and story.warnings == []


def test_reuters_package_is_reported_not_imported():
    with pytest.raises(WireError, match="^NewsML-G2 package without a text item: nothing to import$"):
        parse_g2("tag_reuters.com_2014_newsml_KBN0FL0NM_version_10")


def test_reuters_hard_wrapped_body_is_split_into_paragraphs():
    [story] = parse_g2("tag_reuters.com,0000_newsml_L4N1FL0N0_1132689232")
    assert story.headline == "PRECIOUS-Gold rises as Trump policy fuels safe haven demand"
    assert story.source == "Reuters"
    assert story.source_id == "tag:reuters.com,0000:newsml_L4N1FL0N0"
    assert story.version == 1132689232
    assert story.dateline == "" and story.bylines == []
    assert len(story.blocks) == 16
    assert [(b.kind, b.text) for b in story.blocks[:4]] == [
        ("p", "(Adds comments, detail)"),
        ("ul", "Spot gold may edge up to $1,205 per ounce- technicals\n"
               "Investors eye U.S. Fed monetary policy meeting\nDollar index down 0.1 percent"),
        ("p", "By Arpan Varghese"),
        ("p", "Jan 30 (Reuters) - Gold rose on Tuesday on increased safe haven demand as U.S. "
              "President Donald Trump's tough stance on immigration rattled global markets, with "
              "prices finding further support from a weaker dollar."),
    ]  # fmt: skip
    assert story.paragraphs[-1] == (
        "(Reporting by Arpan Varghese in Bengaluru; Editing by Joseph Radford and Richard Pullin)"
    )


def test_reuters_reserialised_with_prefixes():
    [story] = parse_g2("tag_reuters.com_2016_newsml_L1N14N0FF_version_978556838")
    assert story.headline == ("CORRECTED-S. Illinois battles flooding as Mississippi River builds downstream")
    assert story.source == "Reuters"
    assert story.source_id == "tag:reuters.com,0000:newsml_L1N14N0FF"
    assert story.version == 978556838
    assert story.language == "en"
    assert len(story.blocks) == 17
    assert story.paragraphs[1].startswith(
        "Jan 3 (Reuters) - Residents of flooded areas in far southern Illinois anxiously"
    )


def test_dpa_xhtml_header_dropped_dateline_span_kept():
    [story] = parse_g2("dpa.xml")
    assert story.headline == "Eintracht in London: Hintereggers Tränen und Attacke auf Reporter"
    assert story.dateline == "London"
    assert story.source == "dpa"
    assert story.source_id == "urn:newsml:dpa.com:20090101:221011-930-4303"
    assert story.version == 1
    assert story.keywords == ["Champions League", "Frankfurt", "London"]
    assert story.language == "de"
    assert story.published_at == datetime(2022, 10, 11, 9, 14, 42, tzinfo=UTC)
    assert len(story.blocks) == 3  # the <header> slugline/title and the empty <p> are gone
    assert story.paragraphs[0].startswith("London (dpa) - 2019 gab es bittere Tränen in der Kurve")
    assert "«Blues»" in story.paragraphs[1]


def test_ansa_plain_text_with_paragraph_markup():
    [story] = parse_g2("ansa-newsmlg2-text.xml")
    assert story.headline == "Catalan independence declaration unacceptable - Alfano"
    assert story.subheadline == "Foreign minister expresses faith in Spanish government"
    assert story.dateline == "Rome"
    assert story.source == "ANSA"
    assert story.source_id == "tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a"
    assert story.version == 1
    assert story.language == "it"
    assert story.paragraphs == [
        "(ANSA) - Rome, October 11 - Italian Foreign Minister Angelino Alfano has said that the "
        "Catalan independence declaration is unacceptable.",
        '"Unacceptable Catalan unilateral independence declaration," Alfano said via his @angealfa Twitter account.',
        '"Our faith in the Spanish government, which will know how to guarantee the rights of all citizens".',
        "Catalan leader Carles Puigdemont signed a declaration of independence on Tuesday, but "
        "halted implementation to allow for negotiations.",
    ]


def test_scoop_bom_capital_header_and_nitf_inline():
    [story] = parse_g2("scoop.xml")
    # No G2 headline: the inline NITF's <title> fills it.
    assert story.headline == (
        "Dick Smith receivers install Don Grover as acting CEO as Abboud quits; retailer put up for sale"
    )
    assert story.source == "BusinessDesk"
    assert story.source_id == "BD-20160112123540"
    assert story.version == 3
    assert story.bylines == []  # "By Staff Reporter" is not a name
    assert story.embargoed_until is None  # <embargoed></embargoed>
    assert story.published_at == datetime(2016, 1, 12, 12, 35, 40, tzinfo=UTC)
    assert story.warnings == ["versionCreated '2016-01-12 12:35:40' has no time zone; read as UTC"]
    assert len(story.blocks) == 9
    assert story.paragraphs[:2] == [
        "By Jonathan Underhill",
        "Jan. 12 (BusinessDesk) - The receivers of Dick Smith Holdings have appointed retailing "
        "veteran Don Grover as interim chief executive after the departure of Nick Abboud and "
        "have begun an advertising campaign to sell the indebted consumer electronics chain.",
    ]


def test_stt_bare_item_without_headline():
    [story] = parse_g2("stt_newsml_test_no_hl.xml")
    assert story.headline == ""  # the refine step derives one
    assert story.dateline == "Helsinki"
    assert story.source == "STT"
    assert story.source_id == "urn:newsml:stt.fi:20171219:101801633"
    assert story.version == 4
    assert story.bylines == []  # <by/>
    assert story.keywords == ["Politics"]
    assert story.language == "fi-FI"
    assert len(story.blocks) == 40
    assert story.paragraphs[0] == "*** DISCLAIMER: THIS IS AN AUTOMATED TRANSLATION FROM FINNISH ***"
    assert (story.blocks[1].kind, story.blocks[1].text) == ("h2", "Also the unemployment law went through")
    # STT escapes entities twice ("o&amp;#39;clock"); the text reads right.
    assert "until 4 o'clock." in story.paragraphs[4]
    assert any(b.kind == "h3" and b.text.startswith("Rinne: Hallitus") for b in story.blocks)


def test_iptc_listing_nitf_in_inline_xml():
    [story] = parse_g2("LISTING_2_NewsML-G2_Text_Document.xml")
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert story.bylines == ["Meredith Jameson"]  # from the NITF byline, <byttl> removed
    assert story.dateline == "New York, NY"
    assert story.source == "AP"  # infoSource
    assert story.source_id == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert story.version == 11
    assert story.keywords == [
        "economy, business and finance",
        "central bank",
        "money and monetary policy",
    ]
    assert story.published_at == datetime(2018, 11, 21, 16, 25, 32, tzinfo=timezone(timedelta(hours=-5)))
    assert len(story.blocks) == 2
    assert story.paragraphs[0].startswith("(New York, NY - October 21) Et, sent luptat luptat, commy Nim")


def test_tt_unqualified_message_with_package_and_picture():
    [story] = parse_g2("TT_newsmlg2_sample.xml")
    assert story.headline == 'Jan Guillou skriver på ny "Hamilton"-bok'
    assert story.source == "TT"
    assert story.source_id == "http://tt.se/media/text/210919-janguillou-879f202b"
    assert story.version == 1
    assert story.language == "sv"
    assert story.keywords[:2] == ["Litteratur", "Konst, kultur och nöje"]
    assert story.warnings == ["ignored non-text item http://tt.se/media/image/sdlm1btzmKu8WU"]
    # The <h1> title, TT's "dat" line and the figure are not copy.
    assert [b.kind for b in story.blocks] == ["p", "blockquote", "p", "blockquote", "p"]
    assert story.paragraphs[0].startswith("Jan Guillou arbetar just nu med det sista kapitlet")
    assert '<a href="https://www.aftonbladet.se/' in story.blocks[0].html


def test_several_items_canceled_and_embargoed():
    raw = b"""<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
      <newsItem guid="a" version="2"><itemMeta><pubStatus qcode="stat:canceled"/></itemMeta>
        <contentMeta><headline>A</headline></contentMeta>
        <contentSet><inlineData contenttype="text/plain">Killed.</inlineData></contentSet></newsItem>
      <newsItem guid="b"><itemMeta><embargoed>2030-01-01T00:00:00Z</embargoed></itemMeta>
        <contentMeta><headline>B</headline></contentMeta>
        <contentSet><inlineData contenttype="text/plain">Later.</inlineData></contentSet></newsItem>
    </itemSet></newsMessage>"""
    first, second = NewsMLG2Parser().parse(raw)
    assert (first.source_id, first.version, first.canceled) == ("a", 2, True)
    assert (second.headline, second.canceled) == ("B", False)
    assert second.embargoed_until == datetime(2030, 1, 1, tzinfo=UTC)


def test_g2_wrong_root_and_sniffing():
    with pytest.raises(WireError, match="^not NewsML-G2: the root element is <nitf>$"):
        NewsMLG2Parser().parse(b"<nitf/>")
    assert NewsMLG2Parser().can_parse(b"<ns0:newsItem xmlns:ns0='x'/>")
    assert not NewsMLG2Parser().can_parse(b"<NewsML/>")


# --- NewsML 1.2 --------------------------------------------------------------


def parse_1(name: str):
    raw = (SAMPLES / "newsml-1.2" / name).read_bytes()
    assert NewsML1Parser().can_parse(raw)
    [story] = NewsML1Parser().parse(raw)
    assert story.format == "newsml1"
    return story


def test_afp_newsml1_with_nitf_fragment():
    story = parse_1("afp.xml")
    assert story.headline == "Sweden court accepts receivership for Saab carmaker"
    assert story.dateline == "Stockholm"
    assert story.source == "AFP"
    assert story.source_id == "urn:newsml:afp.com:20140829T135002Z:TX-PAR-FXW86:1"
    assert story.version == 1
    assert story.language == "en"
    assert story.keywords == ["Sweden", "China", "auto", "business", "bankruptcy", "Saab"]
    assert story.published_at == datetime(2014, 8, 29, 13, 49, 51, tzinfo=UTC)
    assert len(story.blocks) == 10
    assert story.paragraphs[0].startswith("A Chinese-owned company set up to take over Saab's assets")
    assert story.paragraphs[-1] == "hh/ph/ts/hd"  # sign-off left for the refine step
    assert story.warnings == []


def test_afp20_lying_latin1_declaration_is_read_as_utf8():
    story = parse_1("afp20.xml")
    assert story.headline == "Décès de Naomi Musenga: l'opératrice du Samu définitivement condamnée"
    assert story.warnings == ["declared encoding iso-8859-1 but content is UTF-8; read as UTF-8"]
    assert story.dateline == "Strasbourg"
    assert story.source == "AFP"
    assert story.source_id == "urn:newsml:afp.com:20240710:240710125902.qpsp2jzk:1"
    assert story.version == 1
    assert story.language == "fr"
    assert story.published_at == datetime(2024, 7, 10, 12, 59, 2, tzinfo=UTC)
    assert story.paragraphs == [
        story.paragraphs[0],
        "L'opératrice, Corinne M.",
    ]
    assert story.paragraphs[0].startswith("L'opératrice du Samu condamnée pour non-assistance")


def test_newsml1_errors():
    with pytest.raises(WireError, match="without a NewsItem"):
        NewsML1Parser().parse(b"<NewsML/>")
    with pytest.raises(WireError, match="^not NewsML 1.2: the root element is <newsMessage>$"):
        NewsML1Parser().parse(b"<newsMessage/>")
