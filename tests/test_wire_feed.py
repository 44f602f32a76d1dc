from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.wire.base import WireError
from articles.wire.feed import FeedParser

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples" / "rss-atom"


def parse(name: str):
    raw = (SAMPLES / name).read_bytes()
    assert FeedParser().can_parse(raw)
    return FeedParser().parse(raw)


def test_wenn_atom_with_vendor_namespaces():
    first, second = parse("wenn.xml")
    assert first.format == "rss"
    assert first.headline == "Suge Knight involved in fatal hit and run incident"
    assert first.source == "WENN"  # from the feed title "WENN Feed"
    assert first.source_id == "urn:feed-wenn-com:newsfeedarticle:2:2222:1"
    assert first.keywords == ["Music"]
    assert first.language == "en"
    assert first.published_at == datetime(2015, 1, 30, 0, 33, 6, tzinfo=UTC)
    # <content> is a stub ("This is body content1."); WENN's first_line + body are the copy.
    assert len(first.blocks) == 5
    assert first.paragraphs[0] == (
        "Police officials in Los Angeles are investigating a fatal hit and run incident "
        "involving rap mogul SUGE KNIGHT on Thursday (29Jan15)."
    )
    assert first.paragraphs[1].startswith("The embattled hip-hop mogul's lawyer James Blatt")
    assert second.headline == "Jagged Edge singer Kyle Norman arrested over domestic assault"
    assert "R&B star" in second.paragraphs[1]
    assert first.warnings == [] and not first.canceled


def test_wordpress_wxr_content_encoded_and_empty_items_skipped():
    stories = parse("wordpress_wxr.xml")
    assert [s.headline for s in stories] == [
        "Starafrica to dispose assets for $6 million to clear debt",
        "test2",
        "test3",
    ]
    first = stories[0]
    assert first.source_id == "http://sdnewtester.org/?p=216"
    assert first.bylines == ["admin"]
    assert first.keywords == ["Business", "Companies", "Economy"]
    assert first.language == "en-US"
    assert first.source == ""  # "The SDNewTester" is not a known agency
    assert first.published_at == datetime(2013, 7, 29, 16, 3, 54, tzinfo=UTC)
    assert len(first.blocks) == 1
    assert first.paragraphs[0].startswith("By Tester Harare, July 19 (The SDNewTester) - ")
    assert [b.text for b in stories[1].blocks] == [stories[1].paragraphs[0], "Bla bla test"]
    assert first.warnings == [
        "skipped item without a body: http://sdnewtester.org/?p=test4",
        "skipped item without a body: http://sdnewtester.org/?p=test5",  # only <hr>, <img>, <iframe>
    ]


def test_rss_description_used_without_content():
    raw = b"""<rss version="2.0"><channel><title>Reuters World</title><item>
      <title>T</title><guid>g1</guid><description>&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</description>
      <author>news@example.com (Jo Bloggs)</author><category>World</category>
    </item></channel></rss>"""
    [story] = FeedParser().parse(raw)
    assert story.source == "Reuters"
    assert story.source_id == "g1"
    assert story.paragraphs == ["One", "Two"]
    assert story.keywords == ["World"]


def test_malformed_feed_without_dtd_is_read_leniently():
    raw = b"<rss><channel><item><title>A & B</title><guid>1</guid><description>x</description></item></channel></rss>"
    [story] = FeedParser().parse(raw)
    assert story.headline == "A & B"
    assert story.warnings[0].startswith("malformed XML: not well-formed (invalid token)")


def test_feed_without_items_is_refused():
    with pytest.raises(WireError, match="^feed has no items$"):
        FeedParser().parse(b"<rss><channel><title>x</title></channel></rss>")


def test_bytes_that_look_like_a_path_are_not_opened():
    with pytest.raises(WireError):
        FeedParser().parse(b"/etc/passwd")
