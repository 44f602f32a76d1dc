"""Production settings come from the environment and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment | env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 24 + "-a-long-random-production-secret-key-value",
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 24 + "-a-long-random-production-secret-key-value",
              "ALLOWED_HOSTS": "news.example.com"}  # fmt: skip

# A request with a forged (or proxy-set) X-Forwarded-Proto, then one that really came over https.
SECURE_REQUESTS = (
    "from django.http import HttpResponse; from django.middleware.security import SecurityMiddleware;"
    "from django.test import RequestFactory; security = SecurityMiddleware(lambda request: HttpResponse());"
    "forwarded = security(RequestFactory().get('/', HTTP_HOST='news.example.com', HTTP_X_FORWARDED_PROTO='https'));"
    "direct = security(RequestFactory().get('/', HTTP_HOST='news.example.com', secure=True));"
    "print(forwarded.status_code, forwarded.get('Location'), direct['Strict-Transport-Security'], sep='|')"
)


def test_by_default_no_client_can_claim_https_and_hsts_covers_only_this_host():
    result = manage("shell", "--no-imports", "-c", SECURE_REQUESTS, **PRODUCTION)
    assert result.stdout.strip().split("|") == ["301", "https://news.example.com/", "max-age=31536000"], result.stderr


def test_a_trusted_proxy_header_and_the_hsts_scope_are_opt_in():
    result = manage(
        "shell", "--no-imports", "-c", SECURE_REQUESTS, **PRODUCTION,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1",
    )  # fmt: skip
    assert result.stdout.strip().split("|") == ["200", "None", "max-age=31536000; includeSubDomains; preload"]


def test_check_deploy_is_clean_when_the_operator_opts_in():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION,
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO", SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout
