"""Ingest channels: drop folders and feeds polled in-process (``manage.py ingest``), errors kept per channel."""

import http.server
import os
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.ingest import channels
from articles.models import Article, Channel, ImportedFile, WireSource
from tests.wire import TEMPO, sample

pytestmark = pytest.mark.django_db

WENN = sample("rss-atom/wenn.xml")


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.INGEST_SETTLE_SECONDS = 0.05


def folder_channel(path: Path, **fields) -> Channel:
    return Channel.objects.create(name="Drop", kind=Channel.Kind.FOLDER, location=str(path), **fields)


def ingest_once() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", "--once", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def make_due(channel: Channel) -> None:
    Channel.objects.filter(pk=channel.pk).update(next_poll_at=timezone.now() - timedelta(seconds=1))


def test_a_file_dropped_in_a_folder_becomes_a_credited_draft_and_moves_to_done(tmp_path):
    folder_channel(tmp_path)
    (tmp_path / "tempo.txt").write_bytes(TEMPO.read_bytes())
    (tmp_path / "README.md").write_text("How to use this folder")
    (tmp_path / "upload.txt.part").write_bytes(b"half a story")
    out, _ = ingest_once()
    assert "1 created" in out
    article = Article.objects.get()
    assert article.status == "draft" and article.credit == "Tempo"
    assert (tmp_path / "done" / "tempo.txt").exists()
    assert not (tmp_path / "tempo.txt").exists()
    assert (tmp_path / "README.md").exists() and (tmp_path / "upload.txt.part").exists(), "left alone"


def test_a_bad_file_goes_to_failed_with_its_error_and_the_rest_import(tmp_path):
    channel = folder_channel(tmp_path)
    (tmp_path / "broken.xml").write_bytes(b"<nitf><head><title>Cut off")
    (tmp_path / "tempo.txt").write_bytes(TEMPO.read_bytes())
    ingest_once()
    assert Article.objects.count() == 1
    assert (tmp_path / "failed" / "broken.xml").exists()
    error = (tmp_path / "failed" / "broken.xml.error.txt").read_text()
    assert "broken.xml" in error
    assert ImportedFile.objects.filter(result="error", run__channel=channel).exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file: no unreadable file can be made here")
def test_an_unreadable_file_is_a_clear_failure(tmp_path):
    folder_channel(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(TEMPO.read_bytes())
    secret.chmod(0)
    ingest_once()
    assert "secret.txt" in (tmp_path / "failed" / "secret.txt.error.txt").read_text()


def test_a_file_still_being_written_waits_for_the_next_poll(tmp_path, settings):
    settings.INGEST_SETTLE_SECONDS = 0.3
    channel = folder_channel(tmp_path)
    growing = tmp_path / "growing.txt"
    growing.write_bytes(TEMPO.read_bytes()[:200])

    def keep_writing():
        with open(growing, "ab") as handle:
            for _ in range(5):
                time.sleep(0.1)
                handle.write(b" more copy")
                handle.flush()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    ingest_once()
    writer.join()
    assert growing.exists() and Article.objects.count() == 0
    make_due(channel)
    ingest_once()
    assert Article.objects.count() == 1


def test_two_pollers_never_take_the_same_file(tmp_path):
    channel = folder_channel(tmp_path)
    (tmp_path / "tempo.txt").write_bytes(TEMPO.read_bytes())
    first = channels.claim_files(channel)
    second = channels.claim_files(channel)
    assert len(first) == 1 and second == []
    assert channels.claim(channel) is True
    assert channels.claim(channel) is False, "a channel's poll is taken once"


def test_a_vanished_folder_is_an_error_on_that_channel_only(tmp_path):
    gone = folder_channel(tmp_path / "gone")
    working = tmp_path / "working"
    working.mkdir()
    Channel.objects.create(name="Working", kind="folder", location=str(working))
    (working / "tempo.txt").write_bytes(TEMPO.read_bytes())
    _, err = ingest_once()
    assert "does not exist" in err
    gone.refresh_from_db()
    assert gone.failures == 1 and "does not exist" in gone.last_error
    assert gone.next_poll_at > timezone.now() + timedelta(seconds=gone.poll_interval), "backs off"
    assert Article.objects.count() == 1


class FeedServer:
    """A local HTTP server for feed tests: answers with ``body`` and an ETag, honours If-None-Match."""

    def __init__(self):
        self.body, self.status, self.content_type, self.delay = WENN.read_bytes(), 200, "application/rss+xml", 0.0
        self.requests: list[dict] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(dict(self.headers))
                etag = f'"{hash(server.body)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                time.sleep(server.delay)
                self.send_response(server.status)
                self.send_header("Content-Type", server.content_type)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.stop()


def test_a_feed_becomes_drafts_and_an_unchanged_feed_costs_one_304(feed_server):
    channel = Channel.objects.create(name="WENN", kind="feed", location=feed_server.url)
    ingest_once()
    created = Article.objects.count()
    assert created > 0
    make_due(channel)
    out, _ = ingest_once()
    assert "not modified" in out
    assert len(feed_server.requests) == 2 and feed_server.requests[1].get("If-None-Match")
    assert Article.objects.count() == created


@pytest.mark.parametrize(
    ("status", "content_type", "body", "expected"),
    [
        (500, "text/plain", b"oops", "HTTP 500"),
        (404, "text/plain", b"gone", "HTTP 404"),
        (200, "text/html", b"<!DOCTYPE html><html><body>Moved</body></html>", "HTML page"),
    ],
)
def test_a_broken_feed_is_a_clear_error_on_its_channel(feed_server, status, content_type, body, expected):
    feed_server.status, feed_server.content_type, feed_server.body = status, content_type, body
    channel = Channel.objects.create(name="Broken", kind="feed", location=feed_server.url)
    _, err = ingest_once()
    channel.refresh_from_db()
    assert expected in channel.last_error and feed_server.url in channel.last_error
    assert expected in err
    assert Article.objects.count() == 0


def test_a_slow_or_oversized_feed_is_refused(feed_server, settings):
    settings.INGEST_TIMEOUT = 0.3
    feed_server.delay = 1.0
    slow = Channel.objects.create(name="Slow", kind="feed", location=feed_server.url)
    ingest_once()
    slow.refresh_from_db()
    assert slow.failures == 1 and "timed out" in slow.last_error
    feed_server.delay = 0
    settings.INGEST_MAX_BYTES = 100
    big = Channel.objects.create(name="Big", kind="feed", location=feed_server.url + "?big")
    ingest_once()
    big.refresh_from_db()
    assert "larger than" in big.last_error


def test_a_dead_address_is_an_error_and_other_channels_carry_on(tmp_path):
    dead = Channel.objects.create(name="Dead", kind="feed", location="http://127.0.0.1:9/feed.xml")
    folder_channel(tmp_path)
    (tmp_path / "tempo.txt").write_bytes(TEMPO.read_bytes())
    ingest_once()
    dead.refresh_from_db()
    assert dead.failures == 1 and dead.last_error.startswith("http://127.0.0.1:9/feed.xml")
    assert Article.objects.count() == 1


def test_the_dashboard_shows_each_channel_and_a_quiet_one(editor_client, tmp_path):
    channel = folder_channel(tmp_path, quiet_after=30)
    Channel.objects.filter(pk=channel.pk).update(last_new_story_at=timezone.now() - timedelta(minutes=47))
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Drop: nothing for 47 min" in page
    Channel.objects.filter(pk=channel.pk).update(last_new_story_at=timezone.now(), failures=2, last_error="boom")
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "2 failures" in page and "boom" in page


def test_channels_are_edited_in_the_admin(editor_client, tmp_path):
    source = WireSource.objects.get(name="Tempo")
    response = editor_client.post(
        reverse("admin:articles_channel_add"),
        {"name": "Tempo drop", "kind": "folder", "location": str(tmp_path), "source": source.pk,
         "poll_interval": 30, "quiet_after": 60, "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Channel.objects.get().source == source
    response = editor_client.post(
        reverse("admin:articles_channel_add"),
        {"name": "Bad", "kind": "feed", "location": "/not/a/url", "poll_interval": 30, "quiet_after": 60},
    )
    assert "http(s) URL" in response.content.decode()
