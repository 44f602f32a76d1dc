"""Background tasks on a real worker: ``celery -A newsroom worker`` against the test database and Redis."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from PIL import Image

from articles import tasks
from articles.images import renditions
from articles.models import Article, ImportRun
from newsroom.celery import app
from tests.factories import make_article, make_user
from tests.wire import TEMPO

BASE_DIR = Path(__file__).resolve().parent.parent

needs_services = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a worker needs PostgreSQL (DATABASE_URL) and a Redis broker (REDIS_URL) shared with the test process",
)


@contextmanager
def worker(tmp_path, *options, **env):
    """A worker on the test database and this test's broker (``options`` added to its command line);
    yields a function returning its log so far."""
    app.control.purge()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=solo", "--loglevel=INFO",
               "--without-mingle", "--without-gossip", "--without-heartbeat", *options]  # fmt: skip
    environ = os.environ | {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=environ, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield log.read_text
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def on_broker():
    """Tasks go to the broker, as in production (the suite otherwise runs them in process)."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def wait_for(condition, read_log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"gave up after {seconds}s; the worker said:\n{read_log()[-3000:]}")


def stored_image(name="articles/photo.jpg", size=(1600, 900)) -> str:
    out = BytesIO()
    Image.new("RGB", size, "steelblue").save(out, "JPEG")
    return default_storage.save(name, ContentFile(out.getvalue()))


@needs_services
def test_the_worker_makes_renditions_of_an_uploaded_image(transactional_db, on_broker, tmp_path):
    article = make_article(image=stored_image(), image_alt="Blue card", image_width=1600, image_height=900)
    expected = renditions(article.image, 1600, 900)
    assert not any(default_storage.exists(r.name) for r in expected)

    with worker(tmp_path) as read_log:
        tasks.enqueue_renditions(article, "image")
        wait_for(lambda: all(default_storage.exists(r.name) for r in expected), read_log)
        assert "articles.tasks.make_renditions" in read_log()
    with Image.open(default_storage.path(expected[0].name)) as small:
        assert small.size == (480, 270)


@needs_services
def test_the_import_page_queues_the_import_for_the_worker(transactional_db, on_broker, client, tmp_path):
    desk = make_user("desk", perms=["articles.import_wire"])  # the roles migration's groups are flushed by now
    client.force_login(desk)
    with worker(tmp_path) as read_log:
        url = reverse("admin:articles_article_import")
        with TEMPO.open("rb") as upload:
            response = client.post(url, {"files": [upload], "format": "auto", "_import": "1"}, follow=True)
        assert "Import queued; see" in response.content.decode()
        wait_for(lambda: Article.objects.filter(source__name="Tempo").exists(), read_log)
    run = ImportRun.objects.get(origin="admin")
    assert run.created == 1 and run.finished_at and run.user == desk


@needs_services
def test_renditions_are_retried_until_the_storage_answers(transactional_db, on_broker, settings, tmp_path):
    from tests.test_media_s3 import BUCKET, CREDENTIALS, s3_storage

    s3 = s3_storage(settings)
    article = make_article(image=stored_image(), image_alt="Blue card", image_width=1600, image_height=900)
    expected = {r.name for r in renditions(article.image, 1600, 900)}
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3.endpoint,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "AWS_S3_REGION_NAME": CREDENTIALS["region_name"],
    }
    try:
        s3.stop()
        with worker(tmp_path, **env) as read_log:
            tasks.enqueue_renditions(article, "image")
            wait_for(lambda: "Retry in" in read_log(), read_log)
            s3.start()
            wait_for(lambda: expected <= s3.keys(), read_log)
    finally:
        if s3.running:
            s3.stop()


def test_tasks_run_in_process_without_a_broker_and_on_the_broker_with_one():
    from tests.test_settings import manage

    show = "from newsroom.celery import app; print(app.conf.task_always_eager, app.conf.broker_url)"
    without = {k: "" for k in ("REDIS_URL", "CELERY_BROKER_URL")}
    assert manage("shell", "--no-imports", "-c", show, **without).stdout.split() == ["True", "memory://"]
    redis = without | {"REDIS_URL": "redis://127.0.0.1:6379/9"}
    assert manage("shell", "--no-imports", "-c", show, **redis).stdout.split() == ["False", "redis://127.0.0.1:6379/9"]
    broker = redis | {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/10"}
    assert manage("shell", "--no-imports", "-c", show, **broker).stdout.split() == [
        "False",
        "redis://127.0.0.1:6379/10",
    ]
