"""Broken input never escapes as anything but ``WireError``.

Random bytes and real samples that were truncated, had bytes flipped or
control characters inserted go to every structured parser: each must
return stories or raise ``WireError``, and ``can_parse`` must not raise.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.wire.base import WireError
from articles.wire.feed import FeedParser
from articles.wire.newsml import NewsMLG2Parser
from articles.wire.newsml1 import NewsML1Parser
from articles.wire.ninjs import NinjsParser
from articles.wire.nitf import NITFParser

SAMPLES = sorted(
    path.read_bytes()
    for folder in ("nitf", "newsml-g2", "newsml-1.2", "ninjs", "rss-atom")
    for path in (Path(__file__).parent / "fixtures" / "wire-samples" / folder).rglob("*")
    if path.is_file()
)
PARSERS = [NITFParser, NewsMLG2Parser, NewsML1Parser, NinjsParser, FeedParser]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated_samples(draw) -> bytes:
    raw = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(raw) - 1, 0)))
        operation = draw(st.sampled_from(["truncate", "flip", "control", "delete"]))
        if operation == "truncate":
            del raw[at:]
        elif operation == "flip" and raw:
            raw[at] ^= 1 << draw(st.integers(0, 7))
        elif operation == "control":
            raw[at:at] = bytes([draw(st.sampled_from([0, 1, 7, 8, 11, 12, 27, 127]))])
        elif raw:
            del raw[at : at + draw(st.integers(1, 64))]
    return bytes(raw)


def check(parser_class, raw: bytes) -> None:
    parser = parser_class()
    assert isinstance(parser.can_parse(raw), bool)
    try:
        stories = parser.parse(raw)
    except WireError as error:
        assert str(error) and "\n" not in str(error).strip()
        return
    assert stories and all(story.format == parser.format for story in stories)


@pytest.mark.parametrize("parser_class", PARSERS)
@FUZZ
@given(raw=st.binary(max_size=2048))
def test_random_bytes(parser_class, raw):
    check(parser_class, raw)


@pytest.mark.parametrize("parser_class", PARSERS)
@FUZZ
@given(raw=mutated_samples())
@example(raw=b'<?xml version="1.0" encoding="\x00ISO-8859-1"?>')  # feedparser raised ValueError on it
def test_mutated_samples(parser_class, raw):
    check(parser_class, raw)
