"""Serve the site with gunicorn and load it: wrk when installed, else a small threaded Python client.

Everything here talks to 127.0.0.1 only, every loop stops on time and on count,
and every process started is stopped (terminate, then kill).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS = 500_000  # per measurement, for the Python client


@dataclass
class Result:
    requests: int  # answers, whatever their status
    seconds: float
    errors: int  # answers 4xx/5xx, plus connections that failed or timed out
    p50_ms: float
    p99_ms: float
    failed: int = 0  # of ``requests``, those answered 4xx/5xx
    not_200: int = 0  # paths in the rotation that did not answer 200 when asked once before the load

    @property
    def rps(self) -> float:
        """Answers below 400 per second: a page answering 429 or 500 under load does not count as fast."""
        return (self.requests - self.failed) / self.seconds if self.seconds else 0.0


# --- the server -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate ``proc`` (and its process group, which it leads), then kill it if it lingers."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 2, log: Path, app: str = "newsroom.wsgi", python: str = sys.executable
):
    """Run ``app`` under the gunicorn beside ``python`` (ours, or the Wagtail peer's venv) on a free port;
    yields the port."""
    port = free_port()
    command = [
        str(Path(python).with_name("gunicorn")),
        app,
        "--workers", str(workers),
        "--bind", f"{HOST}:{port}",
        "--log-level", "warning",
        "--graceful-timeout", "5",
    ]  # fmt: skip
    with open(log, "ab") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log}")
            try:
                if get(port, "/_bench/bare/", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")
            time.sleep(0.2)
        yield port
    finally:
        stop(proc)


# --- load generators ------------------------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %%d, "us": %%d, "errors": %%d, "status": %%d, "p50": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


def ensure_wrk(log=print) -> str | None:
    """wrk's path; installs Debian's package when running as root.  None means "use the Python client"."""
    if os.environ.get("BENCH_CLIENT") == "python":
        return None
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("  wrk not found: apt-get install -y wrk")
        try:
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            pass
        found = shutil.which("wrk")
    if not found:
        log("  wrk is not available (apt-get install -y wrk as root); using the Python client, which saturates less")
    return found


def run_wrk(wrk: str, port: int, paths: list[str], seconds: float, connections: int) -> Result:
    script = WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", handle.name,
             f"http://{HOST}:{port}"],
            capture_output=True, text=True, timeout=seconds + 60, check=False,
        )  # fmt: skip
    finally:
        os.unlink(handle.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stderr.strip() or out.stdout.strip()}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    # wrk's status errors are answers of 400 and above, counted in its requests too.
    return Result(data["requests"], data["us"] / 1e6, data["errors"], data["p50"] / 1000, data["p99"] / 1000,
                  failed=data["status"])  # fmt: skip


def run_python(port: int, paths: list[str], seconds: float, connections: int) -> Result:
    """A bounded threaded client: ``connections`` threads, each with its own connection, until time or count."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors, failed = [0], [0]
    lock = threading.Lock()
    per_thread = MAX_REQUESTS // connections

    def worker(offset: int) -> None:
        mine, bad, refused = [], 0, 0
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        for i in range(per_thread):
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[(offset + i) % len(paths)])
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
                    refused += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            failed[0] += refused

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0.0

    return Result(len(latencies), elapsed, errors[0], pct(0.50), pct(0.99), failed=failed[0])


def measure(
    wrk: str | None, port: int, paths: list[str], seconds: float, connections: int = 16, warmup: float = 1.0
) -> Result:
    """Ask for every path once (so the cached run measures hits, as a page under a spike is; counting
    those not answering 200), warm up briefly, then load ``paths`` (in rotation) for ``seconds``."""
    run = (lambda *a: run_wrk(wrk, *a)) if wrk else run_python
    deadline, not_200 = time.monotonic() + 60, 0
    for path in paths:
        if time.monotonic() > deadline:
            break
        not_200 += get(port, path)[0] != 200
    run(port, paths, warmup, connections)
    result = run(port, paths, seconds, connections)
    result.not_200 = not_200
    return result
