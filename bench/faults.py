"""Load under a fault: the site behind its own Redis, which is stopped and started again mid-run.

The page cache must fail open (pages served uncached while Redis is away) and
resume when it is back, so the run counts every answer by status: any 5xx is a
failure. Only 127.0.0.1 is loaded; every process started here is stopped.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench import load

CONNECTIONS = 64


def start_redis(port: int, workdir: Path) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found (apt-get install -y redis-server)")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", load.HOST, "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(load.HOST, port, timeout=0.5)
            conn.connect()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.05)
    load.stop(proc)
    raise RuntimeError(f"redis-server did not listen on {port}")


def count_statuses(port: int, paths: list[str], seconds: float, connections: int) -> tuple[Counter, int]:
    """Threads with one keep-alive connection each, for ``seconds``: answers by status, and transport errors."""
    deadline = time.monotonic() + seconds
    statuses: Counter = Counter()
    transport_errors = [0]
    lock = threading.Lock()

    def worker(offset: int) -> None:
        mine, failures = Counter(), 0
        conn = http.client.HTTPConnection(load.HOST, port, timeout=15)
        i = offset
        while time.monotonic() < deadline and sum(mine.values()) < load.MAX_REQUESTS // connections:
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                mine[response.status] += 1
            except (OSError, http.client.HTTPException):
                failures += 1
                conn.close()
                conn = http.client.HTTPConnection(load.HOST, port, timeout=15)
            i += 1
        conn.close()
        with lock:
            statuses.update(mine)
            transport_errors[0] += failures

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return statuses, transport_errors[0]


def redis_restart(env: dict, paths: list[str], *, seconds: float, log_path: Path, log=print) -> dict:
    """Load ``paths`` with ``CONNECTIONS`` connections for ``seconds``; Redis is down from a third to two thirds."""
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    redis_port = load.free_port()
    redis = start_redis(redis_port, workdir)
    events: list[str] = []
    try:
        with load.gunicorn(env | {"REDIS_URL": f"redis://{load.HOST}:{redis_port}/0"}, log=log_path) as port:
            for path in paths:
                load.get(port, path)

            def restart() -> None:
                nonlocal redis
                time.sleep(seconds / 3)
                load.stop(redis, grace=2)
                events.append(f"Redis stopped at {seconds / 3:.0f} s")
                time.sleep(seconds / 3)
                redis = start_redis(redis_port, workdir)
                events.append(f"Redis started again at {2 * seconds / 3:.0f} s")

            restarter = threading.Thread(target=restart, daemon=True)
            started = time.monotonic()
            restarter.start()
            statuses, transport_errors = count_statuses(port, paths, seconds, CONNECTIONS)
            elapsed = time.monotonic() - started
            restarter.join(timeout=30)
    finally:
        load.stop(redis, grace=2)
        shutil.rmtree(workdir, ignore_errors=True)
    total = sum(statuses.values())
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    result = {
        "connections": CONNECTIONS,
        "seconds": elapsed,
        "requests": total,
        "rps": total / elapsed if elapsed else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": server_errors,
        "transport_errors": transport_errors,
        "events": events,
    }
    log(
        f"  Redis restart under load: {total:,} requests in {elapsed:.0f} s ({result['rps']:.0f} req/s), "
        f"statuses {result['statuses']}, 5xx {server_errors}, transport errors {transport_errors}; " + "; ".join(events)
    )
    return result
