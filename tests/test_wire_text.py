"""Plain-text wire copy, decoding, and the ``parse_bytes`` entry point."""

from pathlib import Path

import pytest

from articles.wire import WireError, parse_bytes
from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.decoding import decode, looks_binary
from articles.wire.registry import detect
from articles.wire.text import PlainTextParser

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples" / "plain-text"
TEMPO = "tempo-nato-putin-ready-for-war.txt"


def parse_text(raw: bytes):
    [story] = parse_bytes(raw, "copy.txt", format="text", agencies=DEFAULT_AGENCIES)
    return story


def test_tempo_sample():
    raw = (SAMPLES / TEMPO).read_bytes()
    [story] = parse_bytes(raw, TEMPO, agencies=DEFAULT_AGENCIES)

    assert story.format == "text"
    assert story.source == "Tempo"
    assert story.dateline == "Jakarta"
    assert len(story.paragraphs) == 24
    assert story.paragraphs[0].startswith("The exchange of rhetoric between Russia and NATO")
    assert story.paragraphs[-1].startswith('"Two presidents are seeking peace – President Trump')
    assert [(r.title, r.url) for r in story.related] == [
        ("UK, Norway Establish Joint Fleet to Track Russian Submarines", "")
    ]
    promo = "Click here to get the latest news updates from Tempo on Google News"
    assert story.removed == [promo]
    assert not any(promo in text or text.startswith("Read:") for text in story.paragraphs)
    assert story.headline == ("The exchange of rhetoric between Russia and NATO has intensified after the negotiations")
    assert story.headline_derived is True
    assert all(block.kind == "p" and block.text and not block.html for block in story.blocks)
    assert story.bylines == []
    assert story.warnings == []


def test_tempo_sample_is_detected_as_plain_text():
    raw = (SAMPLES / TEMPO).read_bytes()
    assert isinstance(detect(raw, TEMPO), PlainTextParser)


def test_headline_byline_and_hard_wrapped_paragraphs():
    raw = (
        b"Storm closes ports along the coast\n"
        b"\n"
        b"By JANE DOE and JOHN ROE\n"
        b"\n"
        b"HAMBURG (dpa) - A storm closed every port on the German North Sea\n"
        b"coast on Tuesday, stranding ferries and delaying container ships\n"
        b"for at least a day.\n"
        b"\n"
        b"Forecasters expect the wind to ease by Wednesday.\n"
        b"\n\n\n"
    )
    story = parse_text(raw)

    assert story.headline == "Storm closes ports along the coast"
    assert story.headline_derived is False
    assert story.bylines == ["Jane Doe", "John Roe"]
    assert story.dateline == "Hamburg"
    assert story.source == "dpa"
    assert story.paragraphs == [
        "A storm closed every port on the German North Sea coast on Tuesday, stranding ferries "
        "and delaying container ships for at least a day.",
        "Forecasters expect the wind to ease by Wednesday.",
    ]


def test_one_paragraph_per_line_when_lines_are_not_wrapped():
    raw = (
        b"Headline here\n\n"
        b"A first paragraph that runs on and on, long past any teletype margin, because "
        b"the sender puts each paragraph on one line.\n"
        b"Short second one.\n"
        b"A third paragraph, long again, long enough that nobody would mistake these "
        b"lines for a wrapped column of copy.\n"
    )
    story = parse_text(raw)

    assert story.headline == "Headline here"
    assert len(story.paragraphs) == 3
    assert story.paragraphs[1] == "Short second one."


def test_crlf_and_bom():
    raw = b"\xef\xbb\xbfHeadline\r\n\r\nFirst paragraph.\r\nSecond paragraph, longer.\r\n\r\n"
    story = parse_text(raw)

    assert story.headline == "Headline"
    assert story.paragraphs == ["First paragraph.", "Second paragraph, longer."]
    assert story.warnings == []


def test_cp1252_fallback_keeps_curly_quotes_and_warns():
    raw = "Headline\n\n“Quoted” – it’s fine, said Zoë.\n".encode("cp1252")
    story = parse_text(raw)

    assert story.paragraphs == ["“Quoted” – it’s fine, said Zoë."]
    assert story.warnings == ["not valid UTF-8; decoded as Windows-1252"]


def test_latin1_fallback_for_bytes_cp1252_leaves_undefined():
    decoded = decode(b"caf\xe9 \x81")
    assert decoded.text == "café "
    assert decoded.encoding == "Latin-1"


def test_decode_keeps_only_the_control_characters_asked_for():
    raw = b"\x01head\x02body\x07 text\x03\x04"
    assert decode(raw).text == "headbody text"
    assert decode(raw, keep="\x01\x02\x03\x04").text == "\x01head\x02body text\x03\x04"


def test_underscore_dash_becomes_em_dash():
    story = parse_text(b"Headline\n\nHe was lucky _ but not for long.\n")
    assert story.paragraphs == ["He was lucky — but not for long."]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "file is empty"),
        (b" \r\n\n\t", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary file, not wire copy"),
        (bytes(range(0xC0, 0x100)) * 20, "binary file, not wire copy"),
    ],
)
def test_parse_bytes_refuses(raw, message):
    with pytest.raises(WireError, match=f"^{message}$"):
        parse_bytes(raw, "x.bin")


def test_parse_bytes_refuses_oversized_files():
    raw = b"Some copy.\n" * 600_000
    with pytest.raises(WireError, match=r"^file is 6\.3 MB, over the 5\.0 MB limit$"):
        parse_bytes(raw, "big.txt", max_size=5 * 1024 * 1024)


def test_parse_bytes_refuses_unknown_format():
    with pytest.raises(WireError, match="unknown format 'docx'"):
        parse_bytes(b"Some copy.", "x.txt", format="docx")


def test_markup_is_not_taken_for_plain_text():
    with pytest.raises(WireError, match="does not look like text copy"):
        parse_bytes(b"<html><body>hi</body></html>", "x.html", format="text")


def test_parser_exceptions_become_wire_errors(monkeypatch):
    def explode(self, raw, filename=""):
        raise KeyError("boom")

    monkeypatch.setattr(PlainTextParser, "parse", explode)
    with pytest.raises(WireError, match=r"^text parser failed: KeyError: 'boom'$"):
        parse_bytes(b"Some copy.", "x.txt", format="text")


def test_a_parser_returning_no_stories_is_an_error(monkeypatch):
    monkeypatch.setattr(PlainTextParser, "parse", lambda self, raw, filename="": [])
    with pytest.raises(WireError, match="no stories found"):
        parse_bytes(b"Some copy.", "x.txt", format="text")


def test_empty_agencies_fall_back_to_the_defaults():
    [story] = parse_bytes(b"Berlin (dpa) - Copy.", "x.txt", agencies=())
    assert story.source == "dpa"


def test_looks_binary_accepts_wire_framing_and_utf16():
    assert not looks_binary((SAMPLES / "ap_anpa-6.tst").read_bytes())
    assert not looks_binary("Copy".encode("utf-16"))
    assert looks_binary(b"abc\0def")
