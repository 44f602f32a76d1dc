"""What an operator meets: the built package, where data goes, configuration errors, Sentry."""

import gzip
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Variables of the developer's or CI's shell that would change what these processes see.
OUR_VARIABLES = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT", "STATIC_ROOT", "SENTRY_DSN"}
OUR_VARIABLES |= {"NEWSROOM_DATA_DIR", "LOG_FORMAT", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    environment["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    return subprocess.run(args, cwd=ROOT, env=environment | env, capture_output=True, text=True, timeout=120)


def python(script: str, **env) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", script], **env)


@pytest.mark.parametrize("url", ["foo://x", "postgres://user@host:notaport/name"])
def test_a_wrong_database_url_is_one_line_naming_the_variable(url):
    result = run([sys.executable, "manage.py", "check"], DATABASE_URL=url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("newsroom: configuration error: DATABASE_URL is not a database URL this site can use")


PATHS = (
    "from django.conf import settings; "
    "print(settings.DATABASES['default']['NAME'], settings.MEDIA_ROOT, settings.STATIC_ROOT, "
    "settings.TEMPLATES[0]['DIRS'][0], settings.STATICFILES_DIRS[0], sep='\\n')"
)


def test_a_checkout_keeps_its_data_beside_the_code():
    result = python(PATHS)
    assert result.stdout.split() == [
        str(ROOT / "db.sqlite3"),
        str(ROOT / "media"),
        str(ROOT / "staticfiles"),
        str(ROOT / "templates" / "jinja2"),
        str(ROOT / "static"),
    ]


def test_newsroom_data_dir_holds_the_database_media_and_collected_static(tmp_path):
    result = python(PATHS, NEWSROOM_DATA_DIR=str(tmp_path))
    assert result.stdout.split()[:3] == [
        str(tmp_path / "db.sqlite3"),
        str(tmp_path / "media"),
        str(tmp_path / "staticfiles"),
    ]


#: What a fresh clone does not have.
LOCAL_ONLY = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "media", "staticfiles")
LOCAL_ONLY += ("db.sqlite3", "backups")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel `pip install .` installs (the full install and a served site: .ci/package-check)."""
    folder = tmp_path_factory.mktemp("wheel")
    # From a copy: setuptools reuses the checkout's build/ folder, where files of an older build linger.
    source = folder / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LOCAL_ONLY))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    [path] = folder.glob("newsroom-*.whl")
    with zipfile.ZipFile(path) as wheel:
        yield wheel


def test_the_wheel_has_every_package_and_the_files_the_site_reads(wheel):
    names = set(wheel.namelist())
    in_checkout = {
        path.relative_to(ROOT).as_posix()
        for package in ("articles", "newsroom")
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert in_checkout - names == set()
    # templates/ and static/ stay at the top of the repository; the wheel carries them in newsroom/_site/.
    site_files = {
        f"newsroom/_site/{path.relative_to(ROOT).as_posix()}"
        for folder in ("templates", "static")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
    }
    assert site_files - names == set()
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


def test_the_wheel_installs_a_newsroom_command(wheel):
    [entry_points] = [name for name in wheel.namelist() if name.endswith("entry_points.txt")]
    assert "newsroom = newsroom.__main__:main" in wheel.read(entry_points).decode()


def test_python_m_newsroom_runs_management_commands():
    result = run([sys.executable, "-m", "newsroom", "help", "backup"])
    assert result.returncode == 0, result.stderr
    assert "pg_dump" in result.stdout


class SentryIngest(BaseHTTPRequestHandler):
    """Stands in for sentry.io on this machine; keeps every envelope it receives."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = HTTPServer(("127.0.0.1", 0), SentryIngest)
    SentryIngest.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://public-key@127.0.0.1:{server.server_port}/1", SentryIngest.received
    server.shutdown()


SERVER_ERROR = (
    "import django, sentry_sdk; django.setup()\n"
    "from django.test import Client\n"
    "response = Client(raise_request_exception=False).get(\n"
    "    '/', HTTP_COOKIE='sessionid=secret-session-cookie', HTTP_X_REQUEST_ID='req-sentry')\n"
    "print(response.status_code, sentry_sdk.get_client().is_active())\n"
    "sentry_sdk.flush(10)\n"
)


def test_server_errors_go_to_sentry_without_personal_data(tmp_path, sentry_server):
    dsn, received = sentry_server
    # A database without tables: the home page fails with a 500.
    result = python(
        SERVER_ERROR,
        SENTRY_DSN=dsn,
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="newsroom@1.2.3",
        NEWSROOM_DATA_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.stdout.split() == ["500", "True"], result.stderr
    events = b"".join(received).decode()
    assert "no such table" in events
    assert '"request_id":"req-sentry"' in events.replace(" ", "")
    assert '"environment":"staging"' in events.replace(" ", "")
    assert '"release":"newsroom@1.2.3"' in events.replace(" ", "")
    assert "secret-session-cookie" not in events


def test_without_a_dsn_nothing_goes_to_sentry(tmp_path, sentry_server):
    _, received = sentry_server
    result = python(SERVER_ERROR, NEWSROOM_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="testserver")
    assert result.stdout.split() == ["500", "False"], result.stderr
    assert received == []
