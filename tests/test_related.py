from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import detail
from articles.models import Article, RelatedLink, article_type_id
from articles.related import BUSY, RelatedItem, items_nearby, related_reading
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


def items_near(article) -> int:
    its_items = TaggedItem.objects.filter(object_id=article.pk, content_type=article_type_id())
    return sum(its_items.annotate(n=items_nearby(OuterRef("tag_id"), article.pk)).values_list("n", flat=True))


def test_items_nearby_counts_its_tags_items_near_the_story_up_to_busy(story, monkeypatch):
    monkeypatch.setattr("articles.related.BUSY", 4)
    monkeypatch.setattr("articles.related.SAMPLE", 8)
    make_article(headline="Near, two of its tags", tags=["nato", "russia", "sport"])
    make_article(headline="Near, none of its tags", tags=["sport", "football"])
    make_article(headline="Near, one of its tags", tags=["baltic"], status="draft")  # a draft's items count
    assert items_near(story) == 3 + 2 + 1  # its own three too
    for i in range(4):
        make_article(headline=f"Later {i}", tags=["nato", "russia"])
    assert items_near(story) == 4 + 4 + 2  # nato and russia have six each: four at most
    for i in range(5):
        make_article(headline=f"Untagged {i}")
    far = make_article(headline="Far", tags=["baltic"])
    assert far.pk - story.pk == 13
    assert items_near(far) == 1  # the other "baltic" items are 10 and 13 stories back


def test_the_story_page_reads_whether_its_tags_are_busy(story):
    def busy() -> bool:
        return detail.story(story.slug).parts.busy_tags

    assert not busy()
    others = Article.objects.bulk_create(
        Article(headline=f"Tagged {i}", slug=f"tagged-{i}", status="published", published_at=story.published_at)
        for i in range((BUSY - 3) // 2)
    )
    nato, russia = Tag.objects.get(slug="nato"), Tag.objects.get(slug="russia")
    TaggedItem.objects.bulk_create(
        TaggedItem(content_object=other, tag=tag) for other in others for tag in (nato, russia)
    )
    assert not busy()  # its own three items and two for each other story
    TaggedItem.objects.create(content_object=others[0], tag=Tag.objects.get(slug="baltic"))
    assert busy()
