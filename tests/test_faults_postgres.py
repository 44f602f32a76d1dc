"""PostgreSQL drops every connection (a restart, a failover): gunicorn workers reconnect and answer 200."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_article, make_section

BASE_DIR = Path(__file__).resolve().parent.parent

needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="drops PostgreSQL connections (DATABASE_URL)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.fixture
def site(transactional_db, tmp_path):
    """gunicorn, 2 workers, DEBUG=0, persistent connections, on the test database."""
    db = connection.settings_dict
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    log = (tmp_path / "gunicorn.log").open("wb")
    gunicorn = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(gunicorn, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()[-2000:]
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def drop_connections(database: str) -> int:
    """What a PostgreSQL restart does to the site: every connection to its database ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return cursor.fetchone()[0]


@needs_postgres
def test_after_the_database_drops_every_connection_pages_answer_200(site):
    story = make_article(headline="Harbour reopens", section=make_section(name="City", slug="city"))
    paths = ["/", story.get_absolute_url(), "/section/city/", "/feeds/rss/", "/readyz"]
    assert [get(site, path) for path in paths * 4] == [200] * 20  # both workers hold connections now
    assert drop_connections(connection.settings_dict["NAME"]) >= 1
    statuses = [get(site, path) for path in paths * 10]
    assert statuses == [200] * 50, statuses
