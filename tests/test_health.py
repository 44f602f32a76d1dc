"""Request ids, structured logs and the /healthz and /readyz probes."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.db.migrations.recorder import MigrationRecorder

from newsroom.logs import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parent.parent
CLOSED_PORT_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: pytest-django refuses any database access here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_a_load_balancer_probing_by_ip_over_plain_http(client, settings, db, path):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path, HTTP_HOST="10.0.3.7").status_code == 200
    # Everything else still refuses the unknown host and redirects to HTTPS.
    assert client.get("/", HTTP_HOST="10.0.3.7").status_code == 400
    assert client.get("/").status_code == 301


def test_probes_are_only_for_reading(client, db):
    assert client.post("/healthz").status_code == 404


def test_readyz_is_ok_when_database_migrations_and_cache_are(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}


def test_readyz_is_unavailable_while_a_migration_is_not_applied(client, db):
    MigrationRecorder.Migration.objects.filter(app="articles").order_by("-name").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["migrations"] == "1 unapplied"


def test_readyz_stays_ready_but_degraded_when_the_cache_does_not_answer(client, settings, db):
    settings.CACHES = CLOSED_PORT_REDIS
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == "degraded"


def test_readyz_is_unavailable_when_the_database_does_not_answer(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", refuse)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "error", "cache": "ok", "migrations": "unknown"}


def test_a_sane_request_id_is_kept_and_echoed(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="Root=1-67891233-abcdef012345678912345678")
    assert response["X-Request-ID"] == "Root=1-67891233-abcdef012345678912345678"


@pytest.mark.parametrize("offered", ["", "a b", "evil\nforged line", "x" * 129, "ünïcode"])
def test_an_insane_request_id_is_replaced(client, db, offered):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)
    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


@pytest.fixture
def json_log():
    """Django's request log, formatted as LOG_FORMAT=json formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_error_responses_are_logged_with_their_request_id(client, db, json_log):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    [entry] = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /no-such-page/"
    assert entry["request_id"] == "req-404"
    assert entry["status_code"] == 404
    assert entry["time"].endswith("+00:00")
    # After the response, log lines no longer carry it.
    logging.getLogger("django.request").warning("between requests")
    assert json.loads(json_log.getvalue().splitlines()[-1])["request_id"] == "-"


def run_logging(log_format: str) -> subprocess.CompletedProcess:
    """Log an exception from a process configured by settings with this LOG_FORMAT."""
    script = (
        "import django, logging; django.setup()\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n"
        "    logging.getLogger('articles').exception('import failed')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_LEVEL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "LOG_FORMAT": log_format}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)


def test_log_format_json_writes_one_object_per_line_with_the_exception():
    result = run_logging("json")
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger", "message", "request_id")} == {
        "level": "ERROR",
        "logger": "articles",
        "message": "import failed",
        "request_id": "-",
    }
    assert entry["exc_info"].startswith("Traceback") and "ZeroDivisionError" in entry["exc_info"]


def test_plain_log_lines_carry_the_request_id():
    result = run_logging("plain")
    assert result.returncode == 0, result.stderr
    assert " ERROR articles [-] import failed" in result.stderr.splitlines()[0]
    assert "ZeroDivisionError" in result.stderr


def test_an_unknown_log_format_is_a_configuration_error():
    result = run_logging("xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'plain' or 'json', not 'xml'" in result.stderr
