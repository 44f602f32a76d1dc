from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, RelatedLink
from articles.related import RelatedItem, busy_tags, related_reading
from tests.factories import make_article
from tests.queries import archive_query_counts

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def story():
    return make_article(headline="Main story", tags=["nato", "russia", "baltic"], published_at=hours_ago(1))


@pytest.fixture(params=[False, True], ids=["tags-items", "public-stories-walk"])
def busy(request):
    """Both ways of finding the candidates (``related._candidates``): the rules hold for each."""
    return request.param


@pytest.fixture
def related_titles(busy):
    def titles(article, **kwargs) -> list[str]:
        article = Article.objects.get(pk=article.pk)
        items = related_reading(article, tags=list(article.tags.all()), busy=busy, **kwargs)
        return [item.title for item in items]

    return titles


def test_editor_links_first_then_most_shared_tags_then_most_recent(story, related_titles):
    editor_pick = make_article(headline="Editor's pick", published_at=hours_ago(50))
    RelatedLink.objects.create(article=story, target=editor_pick, position=0)
    RelatedLink.objects.create(article=story, url="https://example.org/report", title="External report", position=1)
    make_article(headline="Shares three", tags=["nato", "russia", "baltic"], published_at=hours_ago(40))
    make_article(headline="Shares two, older", tags=["nato", "russia"], published_at=hours_ago(30))
    make_article(headline="Shares two, newer", tags=["nato", "baltic", "sport"], published_at=hours_ago(20))
    make_article(headline="Shares one", tags=["nato"], published_at=hours_ago(2))
    make_article(headline="Shares none", tags=["sport"], published_at=hours_ago(2))
    assert related_titles(story) == [
        "Editor's pick", "External report", "Shares three", "Shares two, newer", "Shares two, older",
    ]  # fmt: skip
    assert related_titles(story, limit=7) == [
        "Editor's pick", "External report", "Shares three", "Shares two, newer", "Shares two, older", "Shares one",
    ]  # fmt: skip


def test_count_comes_from_settings(story, related_titles, settings):
    for i in range(4):
        make_article(headline=f"Tagged {i}", tags=["nato"])
    settings.RELATED_READING_COUNT = 2
    assert len(related_titles(story)) == 2


def test_no_duplicates_and_nothing_unpublished(story, related_titles):
    linked = make_article(headline="Linked and tagged", tags=["nato"])
    RelatedLink.objects.create(article=story, target=linked, position=0)
    for fields in [{"status": "draft"}, {"published_at": timezone.now() + timedelta(hours=1)},
                   {"embargoed_until": timezone.now() + timedelta(hours=1)}]:  # fmt: skip
        make_article(headline="Hidden", tags=["nato", "russia", "baltic"], **fields)
    assert related_titles(story) == ["Linked and tagged"]


def test_items_link_to_articles_and_mark_external_urls(story, busy):
    other = make_article(headline="Tagged", tags=["nato"])
    RelatedLink.objects.create(article=story, url="https://example.org/x", title="Elsewhere", position=0)
    article = Article.objects.get(pk=story.pk)
    assert related_reading(article, tags=list(article.tags.all()), busy=busy) == [
        RelatedItem("Elsewhere", "https://example.org/x", external=True),
        RelatedItem("Tagged", other.get_absolute_url()),
    ]


def test_article_page_shows_related_reading(client, story):
    make_article(headline="Also about NATO", tags=["nato"])
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<h2 id="related-heading">Related reading</h2>' in html
    assert "Also about NATO" in html


def test_one_query_for_the_candidates(story, busy):
    for i in range(30):
        make_article(headline=f"Candidate {i}", tags=["nato", "russia"][: 1 + i % 2])
    article = Article.objects.get(pk=story.pk)
    tags, links = list(article.tags.all()), article.public_related_links()  # the page reads them with the story
    with CaptureQueriesContext(connection) as ctx:
        items = related_reading(article, tags=tags, links=links, busy=busy)
    assert len(items) == 5 and len(ctx.captured_queries) == 1


def test_article_page_query_count_does_not_grow_with_the_archive(client):
    counts = archive_query_counts(client, lambda articles: articles[-1].get_absolute_url())
    assert counts[0] == counts[1] and counts[1] <= 8, counts


def test_candidates_come_from_stories_filed_near_the_article(story, related_titles, monkeypatch):
    monkeypatch.setattr("articles.related.NEIGHBOURHOOD", 3)
    near = make_article(headline="Filed just after", tags=["nato"], published_at=hours_ago(2))
    for i in range(3):
        make_article(headline=f"Untagged {i}")
    make_article(headline="Filed much later", tags=["nato", "russia", "baltic"], published_at=hours_ago(3))
    assert near.pk - story.pk <= 3
    assert related_titles(story) == ["Filed just after"]


def test_drafts_among_the_newest_tagged_stories_leave_room_for_public_ones(story, related_titles, monkeypatch):
    monkeypatch.setattr("articles.related.CANDIDATES", 3)
    make_article(headline="Public, older", tags=["nato"], published_at=hours_ago(5))
    for i in range(4):  # a wire desk's incoming copy, tagged and newer
        make_article(headline=f"Incoming {i}", tags=["nato", "russia"], status="draft")
    assert related_titles(story) == ["Public, older"]


def test_both_ways_find_the_same_candidates(story):
    for i in range(40):
        tags = ["nato", "russia", "baltic", "sport"][i % 3 : 1 + i % 4]
        make_article(headline=f"Candidate {i}", tags=tags, status="draft" if i % 7 == 0 else "published")
    article = Article.objects.get(pk=story.pk)
    tags = list(article.tags.all())
    found = {busy: related_reading(article, tags=tags, busy=busy, limit=30) for busy in (False, True)}
    assert len(found[False]) >= 20 and found[False] == found[True]


def busy_flag(article) -> bool:
    return Article.objects.filter(pk=article.pk).annotate(busy=busy_tags()).values_list("busy", flat=True).get()


def test_tags_are_busy_with_enough_of_their_items_near_the_story(story, monkeypatch):
    monkeypatch.setattr("articles.related.BUSY", 6)
    monkeypatch.setattr("articles.related.NEIGHBOURHOOD", 4)
    make_article(headline="Near, two of its tags", tags=["nato", "russia", "sport"])
    make_article(headline="Near, none of its tags", tags=["sport", "football"])
    assert not busy_flag(story)  # its own three items and two
    make_article(headline="Near, one of its tags", tags=["baltic"], status="draft")  # a draft's items count
    assert busy_flag(story)
    for i in range(4):
        make_article(headline=f"Later {i}", tags=["nato", "russia"])
    later = make_article(headline="Much later", tags=["nato"])
    assert later.pk - story.pk == 8
    assert not busy_flag(later)  # its own item, and the four Later stories' "nato": five
