"""Channels on a real Celery worker and beat: copy dropped in a folder or published on a feed arrives by itself."""

import os
import time

import pytest

from articles.ingest import channels
from articles.models import Article, Channel, WireSource
from tests.test_ingest_channels import FeedServer
from tests.test_tasks import needs_services, on_broker, wait_for, worker  # noqa: F401 - fixtures
from tests.wire import TEMPO


@needs_services
@pytest.mark.usefixtures("on_broker")
def test_a_dropped_file_and_a_feed_become_credited_drafts_with_nobody_running_a_command(transactional_db, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    # Earlier transactional tests flush what the data migrations seeded: the channel names its agency.
    tempo, _ = WireSource.objects.get_or_create(name="Tempo", defaults={"aliases": "TEMPO.CO\nTempo"})
    Channel.objects.create(name="Tempo drop", kind="folder", location=str(drop), poll_interval=10, source=tempo)
    feed = FeedServer()
    try:
        Channel.objects.create(name="WENN", kind="feed", location=feed.url, poll_interval=10)
        beat = ["--beat", "--schedule", str(tmp_path / "beat-schedule")]
        with worker(tmp_path, *beat, INGEST_BEAT_SECONDS="1", INGEST_SETTLE_SECONDS="0.1") as log:
            (drop / "tempo.txt").write_bytes(TEMPO.read_bytes())
            wait_for(lambda: Article.objects.filter(credit="Tempo").exists(), log)
            wait_for(lambda: Article.objects.filter(source__isnull=False).exclude(credit="Tempo").exists(), log)
            wait_for(lambda: (drop / "done" / "tempo.txt").exists(), log)
    finally:
        feed.stop()
    tempo = Article.objects.get(credit="Tempo")
    assert tempo.status == "draft"
    assert Channel.objects.get(name="Tempo drop").last_new_story_at is not None


def test_files_a_dead_worker_had_claimed_go_back_and_are_imported(db, tmp_path, settings):
    """A worker killed mid-import leaves its claimed files in .processing; they are taken again later."""
    settings.INGEST_SETTLE_SECONDS = 0
    channel = Channel.objects.create(name="Drop", kind="folder", location=str(tmp_path))
    (tmp_path / "tempo.txt").write_bytes(TEMPO.read_bytes())
    [claimed] = channels.claim_files(channel)  # ... and the worker dies here
    old = time.time() - settings.INGEST_ABANDONED_AFTER - 5
    os.utime(claimed, (old, old))
    Channel.objects.filter(pk=channel.pk).update(next_poll_at=channel.next_poll_at.replace(year=2000))
    result = channels.poll(Channel.objects.get(pk=channel.pk))  # returns it to the folder and takes it again
    assert result.statuses == {"created": 1}
    assert Article.objects.filter(credit="Tempo").count() == 1
