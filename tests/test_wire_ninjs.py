import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.wire.base import WireError
from articles.wire.ninjs import NinjsParser

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples" / "ninjs"


def parse(name: str):
    raw = (SAMPLES / name).read_bytes()
    assert NinjsParser().can_parse(raw)
    return NinjsParser().parse(raw)


def test_1x_simple_prefers_xhtml_over_text():
    [story] = parse("1.x/ninjsExSimpleText1.json")
    assert story.format == "ninjs"
    assert story.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert story.bylines == ["Paulo Santalucia", "Frances d'Emilio"]
    assert story.source_id == "http://ninjs.example.com/newsitems/20130709simp123"
    assert story.published_at == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)
    assert story.source == "" and story.dateline == ""
    assert len(story.blocks) == 4  # body_text is one long line; the XHTML has paragraphs
    assert story.paragraphs[0].startswith("GROSSETO, Italy (AP) -- The trial of the captain")


def test_1x_businesswire_chinese():
    [story] = parse("1.x/businesswire-newsml-20130605006126.json")
    assert story.headline == "Cambrios被Gartner評選為「最酷供應商」"
    assert story.language == "zh"
    assert story.version == 1
    assert story.source_id == "http://www.businesswire.com/news/home/20130605006126/zh"
    assert story.keywords[:3] == ["United States", "Technology", "Consumer Electronics"]
    assert len(story.keywords) == 13
    assert story.paragraphs == [
        "(美國商業資訊)--為透明及軟性導體市場提供銀奈米線解決方案的領導廠商Cambrios Technologies "
        "Corporation今天宣布，該公司最近被Gartner評選為「最酷供應商」(Cool Vendor)。"
    ]


def test_1x_superdesk_guid_source_located():
    [story] = parse("1.x/ninjs1.json")
    assert story.headline == "headline"
    assert story.source_id.startswith("urn:newsml:localhost:2017-08-24T14:37:19.783611:")
    assert story.version == 2
    assert story.bylines == ["Peter", "Jane"]  # byline wins over authors[]
    assert story.dateline == "Milton Keynes"
    assert story.source == "AAP"
    assert story.language == "fr"
    assert story.keywords == ["arts, culture and entertainment"]
    assert story.published_at == datetime(2017, 8, 24, 4, 38, 34, tzinfo=UTC)
    assert story.paragraphs == ["The story so far."]


def test_1x_bbc_search_envelope():
    [story] = parse("1.x/bbc-ninjs-text-test.json")
    assert story.headline == "advisory"
    assert story.source_id == "https://www.example.com//12345"
    assert story.bylines == ["John Doe"]
    assert story.keywords == ["Planning Permission"]
    assert story.blocks[0].html == "<strong>body</strong>"
    assert story.warnings == ["versioncreated '2018-05-28T16:40:08' has no time zone; read as UTC"]


def test_1x_ap_media_envelope_without_inline_body_is_refused():
    # Decision: a body reachable only through rendition hrefs is not fetched;
    # with no description either, the item is refused rather than imported empty.
    with pytest.raises(WireError, match="^ninjs item has no body$"):
        parse("1.x/ap_media_text_item.json")


def test_2x_dpa_bodies_and_headlines():
    [story] = parse("2.x/dpa_text.json")
    assert story.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert story.bylines == ["Christian Hollmann"]  # "Von ..., dpa"
    assert story.source == "dpa"
    assert story.source_id == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert story.version == 2
    assert story.language == "de"
    assert story.published_at == datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)
    assert len(story.blocks) == 9
    assert story.paragraphs[0].startswith("Für Lucien Favre war es «der größte Skandal")


def test_3x_ntb_without_body_imports_the_description():
    # Decision: the description (NTB's lead) becomes the body, with a warning.
    [story] = parse("3.x/ntb_text.json")
    assert story.headline == "Google har kjøpt giganttomt i Skien"
    assert story.source == "NTB"
    assert story.bylines == []  # "NTB" is the agency
    assert story.source_id == "urn:8d19cf88-b3ab-4972-8fec-1207599f2872"
    assert story.version == 6
    assert story.language == "nb-NO"
    assert story.keywords == ["Innenriks", "Teknologi", "Industri", "Olje og energi"]
    assert story.published_at == datetime(2019, 8, 9, 9, 46, 53, tzinfo=UTC)
    assert story.paragraphs == [
        "IT-giganten Google har kjøpt en tomt på nærmere 2.000 mål i Skien i tilfelle det blir "
        "behov for flere datasentre i Europa."
    ]
    assert story.warnings == ["ninjs item has no body: its description was imported as the body"]


def test_3x_tt_html5_document_body():
    [story] = parse("3.x/tt_text_image_3.json")
    assert story.headline == "Militärövning i jätteformat hålls 2023"
    assert story.source == "TT"
    assert story.source_id == "http://tt.se/media/text/210526-militarovning-a0f2d045"
    assert story.version == 1
    assert story.published_at == datetime(2021, 5, 26, 13, 40, 18, tzinfo=timezone(timedelta(hours=2)))
    # The HTML body wins over text/plain; its <h1>, "dat" line and figure are dropped.
    assert [b.kind for b in story.blocks] == ["p", "blockquote", "p", "blockquote"]
    assert story.paragraphs[0].startswith("Pandemin satte stopp för den stora internationella")
    assert "omfatta 25 000 deltagare" in story.paragraphs[2]


def test_3x_nitf_document_body():
    [story] = parse(
        "3.x/20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json"
    )
    assert story.headline == "Anti-doping measures at the 'Tour Down Under' will be the toughest ever"
    assert story.bylines == ["Trond Husø"]
    assert story.dateline == "Oslo, Norway"
    assert story.version == 2
    assert story.keywords == ["Sport", "drug abuse in sport", "Cycling"]
    # The NITF body has the lead paragraph the text/plain body lacks.
    assert len(story.blocks) == 18
    assert story.paragraphs[0].startswith("The Australian Sports Anti-Doping Authority (ASADA)")
    assert story.paragraphs[-1] == "Email: media@asada.gov.au"


def test_31_complex_documentation_example():
    [story] = parse("3.x/005_complex_text_article.json")
    assert story.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert story.bylines == ["Paulo Santalucia", "Frances d'Emilio"]
    assert story.dateline == "Grossetto, Italy"
    assert story.source_id == "http://ninjs.example.com/newsitems/20130709med123"
    assert story.language == "en"
    assert len(story.blocks) == 4


def test_envelope_with_several_items_and_flags():
    raw = json.dumps(
        {
            "items": [
                {"uri": "a", "headline": "A", "body_text": "Copy.", "pubstatus": "canceled"},
                {
                    "uri": "b",
                    "headline": "B",
                    "body_html": "<p>Copy.</p>",
                    "embargoed": "2030-01-01T00:00:00Z",
                    "version": "3",
                },  # fmt: skip
                {"uri": "c", "headline": "C"},
            ]
        }
    ).encode()
    first, second = NinjsParser().parse(raw)
    assert first.canceled and not second.canceled
    assert second.embargoed_until == datetime(2030, 1, 1, tzinfo=UTC)
    assert second.version == 3
    assert first.warnings == ["skipped item 3: ninjs item has no body"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"uri": "x",', "malformed JSON: Expecting property name enclosed in double quotes at line 1"),
        (b'{"foo": 1}', "JSON is not a ninjs item or an envelope of ninjs items"),
        (b"\xff\xfe{}", "JSON is not UTF-8 text: invalid start byte at byte 0"),
    ],
)
def test_errors(raw, message):
    with pytest.raises(WireError) as caught:
        NinjsParser().parse(raw)
    assert str(caught.value) == message


def test_can_parse_is_cheap_and_strict():
    assert not NinjsParser().can_parse(b'{"foo": 1}')
    assert not NinjsParser().can_parse(b"<nitf/>")
    assert not NinjsParser().can_parse(b'{"uri": ')
    assert NinjsParser().can_parse(b'[{"headline": "x"}]')
