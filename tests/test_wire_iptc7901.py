"""dpa copy in IPTC 7901 framing."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.wire import parse_bytes
from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.anpa import ANPAParser
from articles.wire.iptc7901 import IPTC7901Parser, transmitted_at
from articles.wire.registry import detect

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples" / "plain-text"


def parse_sample(name):
    [story] = parse_bytes((SAMPLES / name).read_bytes(), name, agencies=DEFAULT_AGENCIES)
    return story


@pytest.mark.parametrize(
    "name", ["IPTC7901.txt", "IPTC7901_odd_charset.txt", "dpa_two_by_line.txt", "dpa_four_line.txt"]
)
def test_samples_are_detected_as_iptc7901(name):
    raw = (SAMPLES / name).read_bytes()
    assert isinstance(detect(raw, name), IPTC7901Parser)
    assert not ANPAParser().can_parse(raw)


def test_iptc7901_sample():
    story = parse_sample("IPTC7901.txt")

    assert story.format == "iptc7901"
    assert story.headline == "Germany Social Democrats: Coalition talks with Merkel could fail"
    assert story.headline_derived is False
    assert story.source == "dpa"
    assert story.source_id == ""  # "eca062" is a transmission sequence number
    assert story.dateline == "Berlin"
    assert story.bylines == []
    assert story.keywords == ["Germany-politics"]
    assert story.published_at == datetime(2013, 11, 13, 11, 37, tzinfo=UTC)
    assert len(story.paragraphs) == 5
    assert story.paragraphs[0] == (
        "Negotiations between German conservatives headed by Chancellor Angela Merkel and the "
        "left-leaning Social Democrats (SPD) on forming a coalition government could fail, a "
        "senior SPD member warned Wednesday."
    )
    assert story.paragraphs[-1].endswith("sworn in for a third term before Christmas.")
    assert story.credits == ["Reporting by: Wolfgang Schmidt", "Editing by: Joseph Nasr"]
    assert story.removed == [
        "# dpa NOTEBOOK",
        "* * * *",
        "The following information is not for publication",
        "## dpa Contacts",
        "Tel: +49 30 2852 31472; <englishservice@dpa.com>",
        "dpa wsz jln npr",
    ]
    assert story.warnings == []


def test_odd_charset_sample():
    story = parse_sample("IPTC7901_odd_charset.txt")

    assert story.headline == "German football saddened by illness to striker legend Mueller"
    assert story.bylines == ["Manuel Schwarz"]
    assert story.dateline == "Munich"
    assert story.source == "dpa"
    assert story.keywords == ["Germany-football", "Munich", "Mueller"]
    assert story.published_at == datetime(2015, 10, 7, 13, 41, tzinfo=UTC)  # "Okt 15"
    assert len(story.paragraphs) == 21
    assert "Thomas Müller, and we are also grateful" in story.paragraphs[-2]
    assert story.removed[0] == "1ST LEAD"
    assert story.warnings == ["not valid UTF-8; decoded as Windows-1252"]


def test_two_line_heading_with_co_credited_dateline():
    story = parse_sample("dpa_two_by_line.txt")

    assert story.headline == "Chiefs-Rams 2.0? Would be a fun Super Bowl, but don't count on it"
    assert story.bylines == ["Tom Krasovic"]
    assert story.dateline == "San Diego"
    assert story.source == "dpa"  # "dpa-tns" in the header, "(tca/dpa)" in the dateline
    assert story.keywords == ["American Football", "NFL"]
    assert len(story.paragraphs) == 35
    assert story.paragraphs[0].startswith("History says this wasn't a Super Bowl preview")
    assert "Perhaps he was a bit lucky, too — but while grappling" in story.paragraphs[21]
    assert not any("Union-Tribune at www" in text for text in story.paragraphs)


def test_four_line_heading_skips_labels():
    story = parse_sample("dpa_four_line.txt")

    assert story.headline == "Switzerland joins list of countries resisting UN migration pact"
    assert story.removed[:2] == ["REFILE", "1ST LEAD"]
    assert story.bylines == []  # "By dpa correspondents" names no person
    assert story.dateline == "Geneva"
    assert len(story.paragraphs) == 15
    assert story.paragraphs[0].startswith("Switzerland is joining a growing number")
    assert story.published_at == datetime(2018, 11, 21, 23, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    ("trailer", "expected"),
    [
        ("131137 GMT Nov 13 ", datetime(2013, 11, 13, 11, 37, tzinfo=UTC)),
        ("211259 Nov 18", datetime(2018, 11, 21, 12, 59, tzinfo=UTC)),
        ("071341 GMT Okt 15", datetime(2015, 10, 7, 13, 41, tzinfo=UTC)),
        ("991341 GMT Okt 15", None),
        ("no date", None),
    ],
)
def test_transmitted_at(trailer, expected):
    assert transmitted_at(trailer) == expected


def test_heading_without_equals_marker():
    raw = b"\x01abc123 4 i 100 ccccb   dpa 001\r\n\r\nEU/\r\n\x02Short headline\r\n\r\n"
    raw += b"Brussels (dpa) - The text.\r\n\x03121212 GMT Jan 20\r\n\x04"
    [story] = parse_bytes(raw, "x.txt")

    assert story.headline == "Short headline"
    assert story.paragraphs == ["The text."]
    assert story.dateline == "Brussels"
    assert story.published_at == datetime(2020, 1, 12, 12, 12, tzinfo=UTC)
