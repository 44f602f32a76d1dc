"""``make bench-ingest``: sustained ingest through the Celery task path, version updates, worker memory, feed polls.

Needs PostgreSQL (``DATABASE_URL`` picks the server; the bench works in its own
database ``newsroom_ingestbench``) and Redis on 127.0.0.1:6379 (db 14 is the
broker). Two Celery workers import NITF files dropped into a folder channel:
first ``BENCH_INGEST_STORIES`` new stories, then a newer version of each, into
a newsroom that has the bench dataset's sections, authors and 2,000 tags.
Every process started here is stopped; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dataset, importbench, load  # noqa: E402

DB_NAME = "newsroom_ingestbench"
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
RESULTS = ROOT / "bench" / "results"


def log(message: str) -> None:
    print(message, flush=True)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def worker_pids(parent: int) -> list[int]:
    """The worker's pool processes (children of the main celery process), which do the imports."""
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in out.split()]


def start_workers(env: dict, log_path: Path, count: int = 2) -> list[subprocess.Popen]:
    celery = str(Path(sys.executable).with_name("celery"))
    workers = []
    with open(log_path, "ab") as out:
        for n in range(count):
            command = [celery, "-A", "newsroom", "worker", "-c", "1", "-n", f"bench{n}@%h", "--loglevel=WARNING",
                       "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True))
    return workers


def wait_for(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def drop(stories, folder: Path, workdir: Path, *, version: int) -> None:
    """Write the NITF files beside the folder, then move them in (as a sender's atomic rename would)."""
    staging = workdir / f"staging-{version}"
    staging.mkdir()
    for i, story in enumerate(stories):
        if version > 1:
            story.paragraphs[0] = story.paragraphs[0] + " (Updated.)"
        path = staging / f"{i:06d}.xml"
        importbench.write_nitf(story, path, doc_id=f"ingest-{i:06d}")
        if version > 1:
            path.write_text(path.read_text().replace('<du-key version="1"/>', f'<du-key version="{version}"/>'))
    for path in staging.iterdir():
        os.rename(path, folder / f"v{version}-{path.name}")


def workers_rss_mb(workers) -> float:
    return sum(rss_kb(pid) for w in workers for pid in worker_pids(w.pid)) / 1024


def ingest_phase(label, stories, folder, workdir, channel, workers, *, version, counter, timeout) -> dict:
    """Drop the files, poll once, and wait until every story is dealt with, sampling the workers' memory
    as it goes (memory must stay flat: the first tenth is the warm-up, the rest is compared with it)."""
    from articles import tasks
    from articles.models import Channel

    drop(stories, folder, workdir, version=version)
    Channel.objects.filter(pk=channel.pk).update(next_poll_at=datetime.now().astimezone())
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    tasks.poll_channel.delay(channel.pk)

    def sample_and_check() -> bool:
        count = counter()
        samples.append((count, workers_rss_mb(workers)))
        return count >= len(stories)

    done = wait_for(sample_and_check, timeout, step=1.0)
    elapsed = time.monotonic() - started
    count = counter()
    warm = next((rss for done_, rss in samples if done_ >= len(stories) / 10), samples[-1][1])
    result = {
        "label": label,
        "stories": count,
        "seconds": elapsed,
        "per_second": count / elapsed if elapsed else 0.0,
        "finished": done,
        "worker_rss_mb_after_tenth": warm,
        "worker_rss_mb_peak": max(rss for _, rss in samples),
        "worker_rss_mb_after": samples[-1][1],
        "rss_samples": samples[:: max(1, len(samples) // 50)],
    }
    log(
        f"  {label}: {count:,} of {len(stories):,} in {elapsed:.1f} s = {result['per_second']:.1f}/s"
        f"{'' if done else ' (timed out)'}; workers' RSS {warm:.0f} MB after the first tenth, "
        f"{result['worker_rss_mb_peak']:.0f} MB at most, {result['worker_rss_mb_after']:.0f} MB at the end"
    )
    return result


def feed_poll(items: int) -> dict:
    """A local feed of ``items`` items polled twice: the second poll must cost one 304 and import nothing."""
    from django.utils import timezone

    from articles.ingest import channels
    from articles.models import Channel

    body = feed_xml(items).encode()
    requests: list[int] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.headers.get("If-None-Match") == '"v1"':
                requests.append(304)
                self.send_response(304)
                self.end_headers()
                return
            requests.append(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((load.HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://{load.HOST}:{server.server_address[1]}/feed.xml"
        channel = Channel.objects.create(name="Bench feed", kind="feed", location=url)
        started = time.monotonic()
        first = channels.poll(channel)
        first_s = time.monotonic() - started
        Channel.objects.filter(pk=channel.pk).update(next_poll_at=timezone.now())
        channel.refresh_from_db()
        started = time.monotonic()
        second = channels.poll(channel)
        second_s = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    result = {
        "items": items,
        "first_poll_s": first_s,
        "first_statuses": first.statuses,
        "second_poll_s": second_s,
        "second_not_modified": second.not_modified,
        "requests": requests,
    }
    log(
        f"  feed of {items:,} items: first poll {first_s:.1f} s {first.statuses}; "
        f"second poll {second_s * 1000:.0f} ms, "
        f"{'one 304, nothing imported' if second.not_modified and requests[1:] == [304] else 'NOT a single 304'}"
    )
    return result


def feed_xml(items: int) -> str:
    from html import escape

    entries = "".join(
        f"<item><title>Feed story {i}: council approves budget line {i}</title><guid>bench-feed-{i}</guid>"
        f"<description>{escape(f'The council approved budget line {i} on Tuesday after a long debate.')}</description>"
        f"<pubDate>Mon, 30 Nov 2026 10:{i % 60:02d}:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{entries}</channel></rss>'


def main() -> int:
    server_url = os.environ.get("DATABASE_URL", "")
    if not dataset.is_postgres(server_url):
        log("bench-ingest needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-ingest")
        return 2
    n = int(os.environ.get("BENCH_INGEST_STORIES") or 10_000)
    timeout = float(os.environ.get("BENCH_INGEST_TIMEOUT") or 600)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-ingestbench-"))
    folder = workdir / "drop"
    folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": dataset.create_database(server_url, DB_NAME),
        "CELERY_BROKER_URL": BROKER,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + stamp * 4,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE_SECONDS": "0",
        "INGEST_SETTLE_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Sum

    from articles.models import Channel, ImportRun
    from newsroom.celery import app

    RESULTS.mkdir(exist_ok=True)
    report: dict = {"started": stamp, "stories": n}
    workers: list[subprocess.Popen] = []
    try:
        call_command("migrate", verbosity=0, interactive=False)
        # A newsroom's vocabulary to import into: 10 sections, 200 authors, 2,000 tags (no articles).
        dataset.build(0, log=lambda *args: None)
        app.control.purge()
        channel = Channel.objects.create(name="Bench drop", kind="folder", location=str(folder), poll_interval=3600)
        log(f"Ingest bench: {n:,} NITF stories through a folder channel, 2 Celery workers (broker {BROKER})")
        workers = start_workers(env, RESULTS / f"{stamp}-celery.log")
        if not wait_for(lambda: all(worker_pids(w.pid) for w in workers), 60):
            raise SystemExit("the Celery workers did not start (see the celery log in bench/results)")
        stories = importbench.stories(n, dataset.SEED + 2)

        def counted(field):
            """Stories the phase has dealt with: those ``field`` counts, and failures (reported apart)."""
            runs = ImportRun.objects.filter(channel=channel)
            return lambda: sum(v or 0 for v in runs.aggregate(Sum(field), Sum("failed")).values()) - failed_before[0]

        failed_before = [0]
        report["new"] = ingest_phase(
            "new stories", stories, folder, workdir, channel, workers, version=1, counter=counted("created"),
            timeout=timeout,
        )  # fmt: skip
        failed_before[0] = ImportRun.objects.filter(channel=channel).aggregate(n=Sum("failed"))["n"] or 0
        report["new"]["failed"] = failed_before[0]
        report["updates"] = ingest_phase(
            "version updates", stories, folder, workdir, channel, workers, version=2, counter=counted("updated"),
            timeout=timeout,
        )  # fmt: skip
        report["updates"]["failed"] = (
            ImportRun.objects.filter(channel=channel).aggregate(n=Sum("failed"))["n"] or 0
        ) - failed_before[0]
        report["feed"] = feed_poll(int(os.environ.get("BENCH_FEED_ITEMS") or 1000))
    finally:
        for worker in workers:
            load.stop(worker)
        connections.close_all()
        dataset.drop_database(server_url, DB_NAME)
        out = RESULTS / f"ingest-{stamp}.json"
        out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    new, updates = report["new"], report["updates"]
    log("")
    log(f"failed: {new['failed']} new, {updates['failed']} updates (budget 0)")
    growth = {label: phase["worker_rss_mb_after"] / phase["worker_rss_mb_after_tenth"] - 1 for label, phase in
              (("new", new), ("updates", updates))}  # fmt: skip
    log(f"new stories      {new['per_second']:7.1f}/s (budget ≥ 200)   version updates {updates['per_second']:7.1f}/s "
        f"(budget ≥ 100)")  # fmt: skip
    log(f"workers' RSS     {new['worker_rss_mb_after_tenth']:.0f} MB after the first tenth of {n:,} new stories, "
        f"{new['worker_rss_mb_after']:.0f} MB after them ({growth['new']:+.0%}); "
        f"{updates['worker_rss_mb_after_tenth']:.0f} → {updates['worker_rss_mb_after']:.0f} MB over the updates "
        f"({growth['updates']:+.0%}; budget: flat, within ±10% in each phase).")  # fmt: skip
    log(f"Results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
