"""The page cache under pressure: junk query strings, search floods, a Redis outage, drafts, scheduled
stories and conditional requests, and the CDN in front (surrogate keys, purges)."""

import json
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from articles import caching
from articles.caching import generation, local_pages, shared
from articles.models import Article, Authorship, Correction
from articles.ratelimit import parse_rate
from articles.services import article_publish, article_retract, article_unpublish, correction_add
from tests.factories import make_article, make_author, make_ready_article, make_section, make_summit_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_summit_story(age=timedelta(minutes=5))


def fetch(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    return response, len(ctx.captured_queries)


# 1. Query strings and floods


@pytest.mark.parametrize(
    ("first", "second"),
    [("/feeds/rss/?cb=1", "/feeds/rss/?cb=2"), ("/?utm_source=x", "/"),
     ("/search/?q=summit&cb=1", "/search/?cb=2&q=summit"), ("/section/world/?page=1&x=2", "/section/world/?page=1"),
     ("/api/ninjs/?section=world&tag=nato&junk=1", "/api/ninjs/?tag=nato&section=world")],
)  # fmt: skip
def test_parameters_a_page_does_not_read_share_its_cache_entry(client, story, first, second):
    cached, _ = fetch(client, first)
    again, queries = fetch(client, second)
    assert cached.status_code == again.status_code == 200
    assert queries == 0, second
    assert again.content == cached.content


def test_parameters_a_page_reads_are_their_own_entries(client, story):
    fetch(client, "/search/?q=summit")
    assert fetch(client, "/search/?q=budget")[1] > 0
    assert fetch(client, "/api/ninjs/?section=world")[1] > 0


def test_ignored_parameters_never_reach_the_view_so_no_reader_sees_another_s(client, story):
    for n in range(25):
        make_article(section=story.section, headline=f"Older {n}")
    html = client.get("/section/world/?tracking=secret-token").content.decode()
    assert "page=2" in html and "secret-token" not in html
    body = client.get("/api/ninjs/?section=world&tracking=secret-token").json()
    assert body["next"] and "secret-token" not in body["next"]


def test_a_page_larger_than_the_entry_limit_is_not_stored_but_still_public(client, story, settings):
    settings.PAGE_CACHE_ENTRY_BYTES = 500
    first, _ = fetch(client, "/feeds/rss/")
    second, queries = fetch(client, "/feeds/rss/")
    assert len(first.content) > 500 and queries > 0
    assert second["Cache-Control"].startswith("public")


def test_the_search_rate_limit_counts_uncached_searches_per_address(client, story, settings):
    settings.SEARCH_RATE_LIMIT = "3/m"
    for word in ("summit", "budget", "nato"):
        assert client.get(f"/search/?q={word}").status_code == 200
    refused = client.get("/search/?q=fourth")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert client.get("/search/?q=summit&cb=9").status_code == 200  # cached: costs nothing, counts nothing
    assert client.get("/search/?q=fourth", REMOTE_ADDR="192.0.2.7").status_code == 200  # another reader
    assert client.get("/").status_code == 200  # only search is limited


def test_behind_a_trusted_proxy_the_reader_is_the_address_it_saw(client, story, settings):
    """One rule for the client's address, the sign-in lockout's (``TRUSTED_PROXY_COUNT``)."""
    settings.SEARCH_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/search/?q=a", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.get("/search/?q=b", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    assert client.get("/search/?q=c", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1").status_code == 429


def test_rates():
    assert parse_rate("30/m") == (30, 60)
    assert parse_rate("100/5m") == (100, 300)
    assert parse_rate("2/h") == (2, 3600)
    assert parse_rate("") is None and parse_rate("0") is None


# 2. A Redis outage


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server():
    port = _free_port()
    process = subprocess.Popen(
        ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    probe = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            probe.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield SimpleNamespace(port=port, process=process)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.kill()
    process.wait()


@pytest.fixture
def real_redis(settings, redis_server, monkeypatch):
    """The page cache on a Redis server of the test's own, which the test may stop or kill."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.PAGE_CACHE_TOKEN_SECONDS = 0.2
    monkeypatch.setattr(caching, "RETRY_SECONDS", 0.1)
    shared.reset()
    local_pages.clear()
    yield redis_server
    shared.reset()
    local_pages.clear()


def test_a_flood_of_junk_query_strings_makes_one_redis_entry(client, story, real_redis):
    keys = redis.Redis(port=real_redis.port)
    for n in range(50):
        assert client.get(f"/feeds/rss/?cb={n}").status_code == 200
    page_keys = [key for key in keys.keys("*") if b"pages:" in key and b"generation" not in key]
    assert len(page_keys) <= 2  # the feed, and the generation's publication moments


def test_with_redis_dead_pages_are_served_uncached_saves_go_through_and_one_warning_is_logged(
    story, real_redis, editor_client, caplog
):
    reader = Client()
    assert reader.get("/").status_code == 200
    assert fetch(reader, "/")[1] == 0
    section = make_section()
    real_redis.process.kill()
    real_redis.process.wait()
    time.sleep(0.25)  # the local copy is trusted for PAGE_CACHE_TOKEN_SECONDS only
    draft = make_article(headline="Filed during the outage", status="draft", section=section, credit="Staff")
    with caplog.at_level(logging.WARNING, logger="articles.caching"):
        started = time.monotonic()
        for url in ["/", story.get_absolute_url(), "/feeds/rss/", "/api/ninjs/", "/search/?q=summit", "/sitemap.xml"]:
            response, queries = fetch(reader, url)
            assert response.status_code == 200, url
            assert queries > 0, url  # not from any cache
        assert time.monotonic() - started < 5
        response = editor_client.post(
            reverse("admin:articles_article_changelist"), {"action": "publish_now", "_selected_action": [draft.pk]}
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.is_published()
        assert "Filed during the outage" in reader.get("/").content.decode()
    warnings = [r for r in caplog.records if r.name == "articles.caching" and r.levelno == logging.WARNING]
    assert len(warnings) == 1


def test_an_invalidation_lost_while_redis_was_away_leaves_no_stale_page_when_it_returns(
    client, story, real_redis, monkeypatch
):
    assert "Summit opens" in client.get("/").content.decode()
    os.kill(real_redis.process.pid, signal.SIGSTOP)  # unreachable, but it keeps the page and the old token
    story.headline = "Summit closes"
    story.save()  # its invalidation cannot reach Redis
    assert "Summit closes" in client.get("/").content.decode()
    os.kill(real_redis.process.pid, signal.SIGCONT)
    time.sleep(0.15)  # RETRY_SECONDS
    assert "Summit closes" in client.get("/").content.decode()
    response, queries = fetch(client, "/")
    assert queries == 0 and "Summit closes" in response.content.decode()  # caching resumed


def test_another_process_trusts_its_copy_no_longer_than_the_token_interval_while_redis_is_away(
    client, story, real_redis
):
    assert "Summit opens" in client.get("/").content.decode()
    # Another process changed the story and could not tell anyone.
    os.kill(real_redis.process.pid, signal.SIGSTOP)
    Article.objects.filter(pk=story.pk).update(headline="Summit closes")
    time.sleep(0.25)
    assert "Summit closes" in client.get("/").content.decode()


def test_search_is_not_limited_while_redis_is_down(client, story, real_redis, settings):
    settings.SEARCH_RATE_LIMIT = "1/m"
    real_redis.process.kill()
    real_redis.process.wait()
    for word in ("a", "b", "c"):
        assert client.get(f"/search/?q={word}").status_code == 200


def _new_byline(story):
    Authorship.objects.create(article=story, author=make_author(name="Dee Ekwe", slug="dee-ekwe"), position=9)


def _new_section(story):
    make_article(headline="Sport story", section=make_section(name="Sport", slug="sport"))


@pytest.mark.parametrize(
    ("path", "change", "shown"),
    [
        ("/search/?q=summit", _new_byline, 'value="dee-ekwe"'),  # the search dropdowns
        ("/", _new_section, 'href="/section/sport/"'),  # the navigation
    ],
)
def test_what_is_kept_like_pages_is_read_from_the_database_while_redis_is_down(
    client, story, real_redis, settings, path, change, shown
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(path)  # kept while the token can be read
    real_redis.process.kill()
    real_redis.process.wait()
    time.sleep(0.25)  # PAGE_CACHE_TOKEN_SECONDS
    change(story)  # its invalidation cannot reach Redis
    response, queries = fetch(client, path)
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_the_rate_limit_counts_in_redis(client, story, real_redis, settings):
    settings.SEARCH_RATE_LIMIT = "2/m"
    assert [client.get(f"/search/?q={w}").status_code for w in ("a", "b", "c")] == [200, 200, 429]


# 3. Drafts


@pytest.mark.parametrize(
    "change",
    [
        lambda draft: draft.save(),
        lambda draft: draft.tags.add("Elections"),
        lambda draft: Authorship.objects.create(article=draft, author=make_author()),
        lambda draft: Authorship.objects.filter(article_id=draft.pk).delete(),
        lambda draft: Correction.objects.create(article_id=draft.pk, text="Spelling"),
        lambda draft: draft.delete(),
    ],
    ids=["save", "tag", "byline", "byline-removed", "correction", "delete"],
)
def test_a_draft_that_never_was_public_leaves_the_cache_alone(client, story, change):
    draft = make_article(headline="Work in progress", status="draft", authors=[make_author()])
    client.get("/")
    before = generation()
    change(draft)
    assert generation() == before
    assert fetch(client, "/")[1] == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda story: article_unpublish(article=story),
        lambda story: article_retract(article=story),
        lambda story: correction_add(article=Article.objects.get(pk=story.pk), text="Date fixed"),
        lambda story: Authorship.objects.filter(article_id=story.pk).delete(),
        lambda story: make_article(headline="Scheduled", published_at=timezone.now() + timedelta(hours=1)),
        lambda story: article_publish(article=make_ready_article(status="draft")),
    ],
    ids=["unpublish", "retract", "correction", "byline-removed", "scheduled", "publish"],
)
def test_a_change_to_a_public_or_scheduled_story_ends_cached_pages(client, story, change):
    client.get("/")
    before = generation()
    change(story)
    assert generation() != before


def test_a_story_unpublished_then_saved_as_a_draft_again_changes_nothing_more(story):
    article_unpublish(article=story)
    before = generation()
    story.headline = "Rewritten offline"
    story.save()
    assert generation() == before


# 4. Last-Modified when a scheduled story goes live


@pytest.mark.parametrize(
    ("url", "shows"),
    [("/api/ninjs/", "/api/ninjs/{pk}/"), ("/sitemap.xml", None), ("/news-sitemap.xml", "{slug}"),
     ("/sitemap-articles-{month}.xml", "{slug}")],
)  # fmt: skip
def test_a_scheduled_story_going_live_moves_last_modified(client, story, url, shows, monkeypatch):
    # The month's sitemap needs a public story of this month before the scheduled one goes live, and the
    # scheduled one must go live within this month, whatever the hour the suite runs.
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    make_article(headline="Earlier this month", published_at=month_start)
    due = min(timedelta(hours=1), (next_month - now) / 2)
    scheduled = make_article(headline="Due in an hour", published_at=now + due)
    Article.objects.update(updated_at=now - timedelta(days=1))  # nobody touches them again
    url = url.format(month=now.strftime("%Y-%m"))
    shows = shows and shows.format(pk=scheduled.pk, slug=scheduled.slug)
    before = client.get(url)
    assert before.status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]).status_code == 304

    # An hour later: the story is public (by update, so no signal), the cached page has expired.
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    real_time = time.time
    monkeypatch.setattr("articles.caching.time", SimpleNamespace(time=lambda: real_time() + 3601))
    after = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before["Last-Modified"])
    if shows:
        assert shows not in before.content.decode() and shows in after.content.decode()


# 5. Surrogate keys and purges


def test_public_responses_carry_surrogate_keys(client, story):
    tag = story.tags.get()
    author = story.authors.get()
    article = client.get(story.get_absolute_url())
    expected = {f"article-{story.pk}", f"section-{story.section_id}", f"tag-{tag.pk}", f"author-{author.pk}"}
    assert set(article["Surrogate-Key"].split()) == expected
    assert set(article["Cache-Tag"].split(",")) == expected
    assert client.get(story.get_absolute_url())["Surrogate-Key"] == article["Surrogate-Key"]  # a hit too
    assert set(client.get("/tag/nato/")["Surrogate-Key"].split()) == {f"tag-{tag.pk}", "list"}
    assert set(client.get("/section/world/")["Surrogate-Key"].split()) == {f"section-{story.section_id}", "list"}
    assert set(client.get("/author/dewi-lestari/")["Surrogate-Key"].split()) == {f"author-{author.pk}", "list"}
    for url in ["/", "/feeds/rss/", "/sitemap.xml", "/api/ninjs/", "/search/?q=summit"]:
        assert client.get(url)["Surrogate-Key"] == "list", url


class PurgeEndpoint(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        PurgeEndpoint.received.append((json.loads(body), self.headers.get("Authorization")))
        self.send_response(PurgeEndpoint.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_endpoint(settings):
    PurgeEndpoint.received, PurgeEndpoint.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), PurgeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_PURGER = "articles.cdn.HttpPurger"
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
    settings.CDN_PURGE_TOKEN = "secret"
    yield PurgeEndpoint
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["publish", "unpublish", "retract", "correct", "kill"])
def test_a_change_to_a_public_story_purges_exactly_its_keys_once_committed(purge_endpoint, action):
    section = make_section(name="World", slug="world")
    author = make_author()
    story = make_article(headline="Summit", section=section, authors=[author], tags=["NATO"], status="draft")
    tag = story.tags.get()
    if action != "publish":
        article_publish(article=story)
    purge_endpoint.received.clear()
    if action == "publish":
        article_publish(article=story)
    elif action == "unpublish":
        article_unpublish(article=story)
    elif action == "retract":
        article_retract(article=story)
    elif action == "correct":
        correction_add(article=story, text="A date was wrong.")
    else:
        story.wire_canceled = True
        story.save(update_fields=["wire_canceled", "updated_at", "version"])
    expected = sorted({f"article-{story.pk}", f"section-{section.pk}", f"tag-{tag.pk}", f"author-{author.pk}", "list"})
    assert purge_endpoint.received == [({"keys": expected}, "Bearer secret")]


@pytest.mark.django_db(transaction=True)
def test_a_draft_s_changes_purge_nothing(purge_endpoint):
    draft = make_article(headline="Draft", status="draft", tags=["NATO"], authors=[make_author()])
    draft.headline = "Still a draft"
    draft.save()
    assert purge_endpoint.received == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_purge_endpoint_is_logged_and_the_change_is_saved(purge_endpoint, settings, caplog):
    purge_endpoint.status = 503
    story = make_ready_article(headline="Summit", status="draft")
    with caplog.at_level(logging.WARNING, logger="articles.cdn"):
        article_publish(article=story)
    assert Article.objects.get(pk=story.pk).is_published()
    assert "CDN purge" in caplog.text

    settings.CDN_PURGE_URL = f"http://127.0.0.1:{_free_port()}/nobody-listens"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="articles.cdn"):
        article_unpublish(article=story)
    assert "CDN purge" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_default_purger_logs(caplog):
    story = make_article(headline="Summit")
    with caplog.at_level(logging.INFO, logger="articles.cdn"):
        article_unpublish(article=story)
    assert f"CDN purge: article-{story.pk} list" in caplog.text
