"""AP copy in ANPA 1312 framing."""

from datetime import UTC, datetime
from pathlib import Path

from articles.wire import parse_bytes
from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.anpa import ANPAParser
from articles.wire.iptc7901 import IPTC7901Parser
from articles.wire.registry import detect

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples" / "plain-text"


def parse_sample(name):
    [story] = parse_bytes((SAMPLES / name).read_bytes(), name, agencies=DEFAULT_AGENCIES)
    return story


def test_samples_are_detected_as_anpa():
    for name in ("anpa-1.tst", "ap_anpa-6.tst"):
        raw = (SAMPLES / name).read_bytes()
        assert isinstance(detect(raw, name), ANPAParser)
        assert not IPTC7901Parser().can_parse(raw)


def test_story_sample():
    story = parse_sample("anpa-1.tst")

    assert story.format == "anpa"
    assert story.headline == "For Argentine chemo patients, mirrors can hurt"
    assert story.headline_derived is False
    assert story.bylines == ["Paul Byrne", "Almudena Calatrava"]
    assert story.source == "AP"
    assert story.source_id == "BC-LT--Argentina-CancerB/2013-11-13"
    assert story.dateline == "Buenos Aires, Argentina"
    assert story.published_at == datetime(2013, 11, 13, 15, 9, tzinfo=UTC)
    assert len(story.paragraphs) == 13
    assert story.paragraphs[0].startswith("For cancer patients dealing with the physical")
    assert story.paragraphs[1].startswith("“Look Good Feel Better” is a program")
    assert story.paragraphs[-1].endswith(
        "So they are faced with, ‘This is who I am,’ and from there on, it's all about getting better.”"
    )
    assert story.removed == [
        "AP Photo XNP101, XNP102, XNP103, XNP104, XNP105, XNP106",
        "Eds: With AP Photos.",
        "___",
    ]
    assert story.credits == ["APTN contributor Kacey Cherry in Buenos Aires helped with this story."]
    assert all(block.kind == "p" for block in story.blocks)


def test_agate_sample_becomes_tables_subheads_and_result_lines():
    story = parse_sample("ap_anpa-6.tst")

    assert story.headline == "Wild Card Glance"
    assert story.subheadline == "All Times EDT"
    assert story.bylines == []  # "By The Associated Press"
    assert story.source == "AP"
    assert story.source_id == "BC-BBO--WildCardGlance/2019-08-18"
    assert story.dateline == ""
    assert story.published_at == datetime(2019, 8, 18, 20, 17, tzinfo=UTC)
    assert story.warnings == ["not valid UTF-8; decoded as Windows-1252"]
    kinds = [block.kind for block in story.blocks]
    assert kinds.count("table") == 2
    assert kinds.count("h3") == 10
    assert kinds.count("p") == 58
    assert story.removed == ["___"] * 4

    american = story.blocks[1]
    assert story.blocks[0].text == "AMERICAN LEAGUE"
    rows = [row.split("\t") for row in american.text.split("\n")]
    assert rows[0] == ["", "W", "L", "Pct", "WCGB"]
    assert rows[1] == ["Tampa Bay", "73", "52", ".584", "—"]
    assert rows[7] == ["Chicago", "55", "67", ".451", "16½"]
    assert len(rows) == 13
    assert american.html.startswith(
        "<thead><tr><th></th><th>W</th><th>L</th><th>Pct</th><th>WCGB</th></tr></thead>"
        "<tbody><tr><td>Tampa Bay</td><td>73</td>"
    )
    assert "Kansas City (López 1-7) at Baltimore (Means 8-8), 7:05 p.m." in story.paragraphs
