"""Run the Wagtail peer from ``bench/run.py``: its venv, its database, its gunicorn, the same load client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench import dataset, load

BENCH_DIR = Path(__file__).resolve().parent.parent
VENV = BENCH_DIR / ".wagtail-venv"
STAMP = VENV / ".installed"
#: Django pinned to our series, so the comparison is Wagtail against our code on the same framework.
REQUIREMENTS = ["wagtail>=7,<9", "django>=5.2,<5.3", "psycopg[binary]>=3.2", "gunicorn>=23", "dj-database-url>=2.3"]
DB_NAME = "wagtail_bench"
INSTALL_TIMEOUT = 900
LOAD_TIMEOUT = 900


class PeerUnavailable(Exception):
    """The peer cannot run here (no PyPI, no venv); the bench reports why and carries on."""


def ensure_venv(log=print) -> Path:
    """The venv's python, created and installed once; the stamp records what was installed."""
    python = VENV / "bin" / "python"
    wanted = "\n".join(REQUIREMENTS)
    if python.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return python
    log(f"  creating {VENV.relative_to(BENCH_DIR.parent)}: {' '.join(REQUIREMENTS)} (once; a few minutes)")
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, capture_output=True, timeout=120
        )
        out = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
            capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        raise PeerUnavailable(f"could not create {VENV.name}: {exc}") from exc
    if out.returncode:
        errors = [line for line in out.stderr.splitlines() if "ERROR" in line] or out.stderr.splitlines()[-3:]
        raise PeerUnavailable("pip install failed: " + " / ".join(errors)[:500])
    STAMP.write_text(wanted)
    return python


def peer_env(database_url: str) -> dict[str, str]:
    drop = ("DJANGO_SETTINGS_MODULE", "PAGE_CACHE_SECONDS", "REDIS_URL", "VIRTUAL_ENV", "PYTHONHOME")
    return {k: v for k, v in os.environ.items() if k not in drop} | {
        "PYTHONPATH": str(BENCH_DIR.parent),
        "DJANGO_SETTINGS_MODULE": "bench.wagtail_peer.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600"),
    }


def run(*, server_url: str, articles: int, wrk: str | None, seconds: float, log_path: Path, log=print) -> dict:
    """Build the peer's site with ``articles`` news pages and load its bare view, news pages and index."""
    python = ensure_venv(log)
    env = peer_env(dataset.create_database(server_url, DB_NAME))
    log(f"  loading {articles:,} news pages into {DB_NAME}")
    try:
        out = subprocess.run(
            [str(python), "-m", "bench.wagtail_peer.loader", str(articles)],
            cwd=BENCH_DIR.parent, env=env, capture_output=True, text=True, timeout=LOAD_TIMEOUT, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"the peer's loader took over {LOAD_TIMEOUT} s") from exc
    line = next((x for x in out.stdout.splitlines() if x.startswith("PEERJSON ")), None)
    if line is None:
        raise RuntimeError("the peer's loader failed: " + (out.stderr.strip().splitlines() or ["no output"])[-1])
    built = json.loads(line.removeprefix("PEERJSON "))
    log(f"  {built['versions']}: migrated in {built['migrate_seconds']:.1f} s, pages in {built['seconds']:.1f} s")
    pages = {"bare": ["/_bench/bare/"], "news page": built["news_paths"], "news index": built["index_paths"]}
    runs: dict[str, dict] = {}
    with load.gunicorn(env, log=log_path, app="bench.wagtail_peer.wsgi", python=str(python)) as port:
        for name, paths in pages.items():
            status = load.get(port, paths[0])[0]
            runs[name] = {"status": status}
            if status != 200:
                log(f"  wagtail  {name:10} HTTP {status}: not loaded")
                continue
            result = load.measure(wrk, port, paths, seconds)
            runs[name] |= {"rps": result.rps, "p50_ms": result.p50_ms, "p99_ms": result.p99_ms,
                           "errors": result.errors, "requests": result.requests}  # fmt: skip
            log(
                f"  wagtail {name:10} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
            )
    bare = runs["bare"].get("rps") or 0
    for entry in runs.values():
        if "rps" in entry and bare:
            entry["ratio"] = entry["rps"] / bare
    return {
        "versions": built["versions"],
        "pages_built": built["pages"],
        "build_seconds": built["seconds"],
        "pages": pages,
        "queries": built["queries"],
        "runs": runs,
    }
