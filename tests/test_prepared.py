"""Prepared queries (articles.prepared): compiled once a shape, the same rows as the ORM's every time."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.prepared import prepared
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def orm(section, exclude, now):
    articles = Article.objects.published(now).filter(section=section).exclude(pk__in=exclude)
    return articles.values("pk", "headline", "published_at")[:10]


def test_rows_match_the_orm_for_new_values_and_builds_once_a_shape():
    built = []

    @prepared
    def newest(section, exclude, now):
        built.append(1)
        return orm(section, exclude, now)

    world, sport = make_section(name="World", slug="world"), make_section(name="Sport", slug="sport")
    stories = [make_article(headline=f"World {i}", section=world, published_at=hours_ago(i)) for i in range(1, 5)]
    make_article(headline="Sport 1", section=sport, published_at=hours_ago(1))
    make_article(headline="Scheduled", section=world, published_at=timezone.now() + timedelta(hours=1))
    cases = [
        (world.pk, [stories[0].pk], timezone.now()),
        (sport.pk, [stories[1].pk], timezone.now()),
        (world.pk, [stories[2].pk], hours_ago(2.5)),  # an earlier moment: fewer stories were public
        (world.pk, [], timezone.now()),
        (world.pk, [stories[0].pk, stories[3].pk], timezone.now() + timedelta(hours=2)),  # scheduled now public
    ]
    for section, exclude, now in cases:
        assert newest(section=section, exclude=exclude, now=now) == list(orm(section, exclude, now))
    assert len(built) == 3  # one build for each length of the list: 1, 0 and 2


def test_a_time_compiled_into_the_query_is_refused():
    @prepared
    def public(slug):
        return Article.objects.published().filter(slug=slug).values("pk")  # published() reads the clock itself

    with pytest.raises(ImproperlyConfigured, match="a time is compiled into a prepared query"):
        public(slug="anything")


def test_an_argument_the_query_does_not_use_is_refused():
    @prepared
    def by_slug(slug, section):
        return Article.objects.filter(slug=slug).values("pk")

    with pytest.raises(ImproperlyConfigured, match="not found in its SQL"):
        by_slug(slug="a", section=1)


def test_literals_are_part_of_the_shape():
    for i in range(4):
        make_article(headline=f"Story {i}", published_at=hours_ago(i + 1))

    @prepared(literals=("limit",))
    def newest(now, limit):
        return Article.objects.published(now).values("headline")[:limit]

    assert len(newest(now=timezone.now(), limit=2)) == 2
    assert len(newest(now=timezone.now(), limit=3)) == 3


def test_wrap_orders_the_rows_of_a_sliced_query_again():
    @prepared(
        literals=("newest", "best"), wrap="SELECT * FROM ({query}) AS newest ORDER BY word_count DESC LIMIT {best}"
    )
    def longest_of_the_newest(now, newest, best):
        return Article.objects.published(now).order_by("-published_at").values("headline", "word_count")[:newest]

    for hours, words in ((1, 10), (2, 30), (3, 20), (4, 99)):  # the longest story is not among the newest three
        make_article(headline=f"{words} words", body="<p>" + "word " * words + "</p>", published_at=hours_ago(hours))
    rows = longest_of_the_newest(now=timezone.now(), newest=3, best=2)
    assert [row["headline"] for row in rows] == ["30 words", "20 words"]
    assert [row["headline"] for row in longest_of_the_newest(now=timezone.now(), newest=4, best=1)] == ["99 words"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL prepares statements; SQLite has no plans to keep"
)
def test_plan_once_prepares_only_its_own_statement():
    @prepared(plan_once=True)
    def by_slug(slug):
        return Article.objects.filter(slug=slug).values("headline")

    @prepared
    def by_headline(headline):
        return Article.objects.filter(headline=headline).values("slug")

    story = make_article(headline="Planned once")

    def statements():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    threshold = connection.connection.prepare_threshold
    assert by_slug(slug=story.slug) == [{"headline": "Planned once"}]
    assert by_headline(headline="Planned once") == [{"slug": story.slug}]
    prepared_now = statements()
    assert any('"slug" = $1' in sql for sql in prepared_now), prepared_now
    assert not any('"headline" = $1' in sql for sql in prepared_now), prepared_now
    assert connection.connection.prepare_threshold == threshold
