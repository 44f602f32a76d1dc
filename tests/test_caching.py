import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import caching
from articles.caching import generation
from articles.models import Article, Author, RelatedLink
from tests.factories import make_article, make_author, make_summit_story

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "{article}", "/section/world/", "/tag/nato/", "/author/dewi-lestari/", "/search/?q=summit",
               "/feeds/rss/", "/section/world/atom/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt",
               "/api/ninjs/", "/api/ninjs/{pk}/"]  # fmt: skip


@pytest.fixture
def story():
    return make_summit_story(age=timedelta(hours=1))


def fetch(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_second_anonymous_hit_is_served_from_the_cache_without_queries(client, story, url, settings):
    url = url.format(article=story.get_absolute_url(), pk=story.pk)
    first, first_queries = fetch(client, url)
    second, second_queries = fetch(client, url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0, url
    assert second.content == first.content
    seconds = settings.PAGE_CACHE_SECONDS
    assert first["Cache-Control"] == f"public, max-age={seconds}, s-maxage={seconds}"
    assert second["Cache-Control"].startswith("public, max-age=")
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize(
    "change",
    [
        lambda story: Article.objects.get(pk=story.pk).save(),
        lambda story: story.tags.add("Correction"),
        lambda story: Author.objects.filter(slug="dewi-lestari").get().save(),
        lambda story: story.section.save(),
        lambda story: RelatedLink.objects.create(article=story, url="https://example.org", title="More"),
        lambda story: story.authorships.all().delete(),
    ],
    ids=["article", "tags", "author", "section", "related-link", "byline-removed"],
)
def test_any_change_a_page_shows_invalidates_every_cached_page(client, story, change):
    client.get(story.get_absolute_url())
    before = generation()
    change(story)
    assert generation() != before
    _, queries = fetch(client, story.get_absolute_url())
    assert queries > 0


def test_a_correction_is_visible_at_once(client, story):
    assert "Summit opens" in client.get("/").content.decode()
    story.headline = "Summit opens in Vilnius"
    story.save()
    assert "Summit opens in Vilnius" in client.get("/").content.decode()
    assert "Summit opens in Vilnius" in client.get(story.get_absolute_url()).content.decode()


def test_staff_are_never_served_nor_stored(client, editor_client, story):
    url = story.get_absolute_url()
    client.get(url)  # an anonymous reader fills the cache
    _, queries = fetch(editor_client, url)
    assert queries > 0
    response = editor_client.get("/")
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.logout()
    _, anonymous_queries = fetch(client, "/")  # the staff page was not stored for anyone
    assert anonymous_queries > 0


def test_staff_preview_of_a_draft_is_never_cached(editor_client, story):
    draft = make_article(headline="Draft", status="draft")
    response = editor_client.get(draft.get_absolute_url())
    assert "public" not in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_article_page_answers_conditional_requests(client, story):
    url = story.get_absolute_url()
    first = client.get(url)
    assert first["Last-Modified"] and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_cache_lifetime_never_passes_the_next_scheduled_publication(client, story):
    soon = make_article(headline="Scheduled story", tags=["NATO"], published_at=timezone.now() + timedelta(seconds=2))
    response = client.get("/")
    assert "Scheduled story" not in response.content.decode()
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 2
    time.sleep(max(0.0, (soon.published_at - timezone.now()).total_seconds()) + 0.1)
    for url in ["/", "/tag/nato/", "/feeds/rss/", "/api/ninjs/", soon.get_absolute_url()]:
        assert "Scheduled story" in client.get(url).content.decode(), url


def test_lifting_an_embargo_is_a_publication_time_too(story):
    def next_moment():
        return caching.publication_moments(None)[1]  # no token: read anew, not from the shared cache

    assert next_moment() == 0.0
    lift = timezone.now() + timedelta(minutes=10)
    make_article(headline="Embargoed", embargoed_until=lift)
    later = make_article(headline="Scheduled later", published_at=timezone.now() + timedelta(hours=1))
    assert next_moment() == lift.timestamp()
    Article.objects.filter(pk=later.pk).update(embargoed_until=timezone.now() + timedelta(hours=3))
    make_article(headline="Draft, never", status="draft", published_at=timezone.now() + timedelta(minutes=1))
    assert next_moment() == lift.timestamp()


def test_the_last_publication_is_the_later_of_publish_time_and_embargo(story):
    now = timezone.now()
    assert caching.publication_moments(None) == (story.published_at.timestamp(), 0.0)
    lifted = now - timedelta(seconds=30)
    make_article(headline="Embargo lifted", published_at=now - timedelta(hours=2), embargoed_until=lifted)
    make_article(headline="Newer, without embargo", published_at=now - timedelta(minutes=5))
    make_article(headline="Draft, never", status="draft", published_at=now - timedelta(seconds=5))
    assert caching.publication_moments(None) == (lifted.timestamp(), 0.0)


def test_scheduled_story_appears_when_its_time_comes_without_anyone_touching_it(client, story, settings, monkeypatch):
    """An hour passes without sleeping: the cache clock moves on and so does published_at (by update, no signal)."""
    settings.PAGE_CACHE_SECONDS = 7200  # longer than the wait, so only the schedule can end the cached page
    scheduled = make_article(headline="Due in an hour", published_at=timezone.now() + timedelta(hours=1))
    response = client.get("/")
    assert "Due in an hour" not in response.content.decode()
    assert 3590 <= int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 3600
    assert fetch(client, "/")[1] == 0  # cached

    real_time = time.time
    monkeypatch.setattr("articles.caching.time", SimpleNamespace(time=lambda: real_time() + 3601))
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert "Due in an hour" in client.get("/").content.decode()


def test_a_hit_is_served_from_this_process_without_touching_the_shared_cache(client, story, monkeypatch):
    first = client.get("/")

    def unreachable(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr("articles.caching.cache", SimpleNamespace(get=unreachable, set=unreachable, add=unreachable))
    second = client.get("/")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_change_made_by_another_process_is_seen_within_the_token_interval(client, story, settings, monkeypatch):
    from django.core.cache import cache

    from articles.caching import GENERATION_KEY

    assert "Summit opens" in client.get("/").content.decode()
    # Another process saves the story: its signal replaces the shared token; this process has not looked yet.
    Article.objects.filter(pk=story.pk).update(headline="Summit closes")
    cache.set(GENERATION_KEY, "replaced-elsewhere")
    assert "Summit opens" in client.get("/").content.decode()

    real_time = time.time
    later = real_time() + settings.PAGE_CACHE_TOKEN_SECONDS
    monkeypatch.setattr("articles.caching.time", SimpleNamespace(time=lambda: later))
    assert "Summit closes" in client.get("/").content.decode()


def test_the_local_copy_keeps_the_most_recently_used_pages_within_its_byte_limit(settings):
    from articles.caching import LocalPages

    settings.PAGE_CACHE_LOCAL_BYTES = 25
    pages = LocalPages()
    for key in "abc":
        pages.put(key, (b"x" * 10, [], 0.0))
        pages.get("a")  # keep "a" in use
    assert sorted(pages.pages) == ["a", "c"]
    assert pages.size == 20
    pages.put("huge", (b"x" * 26, [], 0.0))
    assert "huge" not in pages.pages


def test_a_new_tag_or_author_leaves_cached_pages_alone_until_a_story_carries_it(client, story):
    from taggit.models import Tag

    before = generation()
    Tag.objects.create(name="Brand new topic")
    newcomer = make_author(name="New Reporter", slug="new-reporter")
    assert generation() == before
    newcomer.name = "New Reporter Renamed"
    newcomer.save()
    assert generation() != before


def test_a_reader_with_a_stale_session_cookie_still_gets_cached_pages(client, story, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    first = client.get("/")
    second, queries = fetch(client, "/")
    assert first["Cache-Control"].startswith("public")
    assert second.content == first.content
    assert queries <= 1  # the session lookup, then the cached page
