"""In-process measurements: SQL per page, EXPLAIN of every public query, deep pages and search latency.

These use Django's test ``Client`` against the bench database, so they see the
exact SQL each page runs, without the HTTP server in the way.
"""

from __future__ import annotations

import re
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

#: Typical reader queries: one word, two words, a name-like phrase, a rare word, no match.
SEARCH_QUERIES = [
    "election", "climate", "central bank", "football season", "wildfire", "vaccine trial", "housing rent",
    "coffee harvest", "lithium mining", "parliament budget vote", "satellite launch", "refugees border",
    "inflation", "museum", "cyber attack", "copper", "union strike wages", "drought farmers", "moon", "zeppelin",
]  # fmt: skip

client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)


def fetch(path: str):
    """GET ``path``; returns (status, the queries it ran)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return response.status_code, list(ctx.captured_queries)


def queries_per_page(pages: dict[str, list[str]]) -> dict[str, dict]:
    """Status and query count of each page's first path, asked twice (the second, warm, is reported)."""
    report = {}
    for name, paths in pages.items():
        fetch(paths[0])
        status, queries = fetch(paths[0])
        report[name] = {"status": status, "queries": len(queries)}
    return report


def explain(pages: dict[str, list[str]]) -> list[dict]:
    """EXPLAIN each SELECT a page runs; flags a sequential scan over ``articles_article``."""
    results = []
    for name, paths in pages.items():
        status, queries = fetch(paths[0])
        if status != 200:
            continue
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
            # The table itself, not one named after it (its empty also_reported_by links, read whole).
            if connection.vendor == "postgresql":
                seq = bool(re.search(r"Seq Scan on articles_article\b", plan))
            else:
                seq = bool(re.search(r"SCAN articles_article\b(?! USING)", plan))
            results.append({"page": name, "sql": sql[:300], "seq_scan_on_articles": seq, "plan": plan})
    return results


def timing(path: str, *, repeat: int = 15, budget: float = 10.0) -> dict:
    """Median and p95 wall time of ``path`` (ms), after one warm-up, within ``budget`` seconds."""
    fetch(path)
    times, deadline = [], time.monotonic() + budget
    status = None
    for _ in range(repeat):
        started = time.perf_counter()
        status = client.get(path).status_code
        times.append((time.perf_counter() - started) * 1000)
        if time.monotonic() > deadline:
            break
    times.sort()
    return {
        "path": path, "status": status, "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
    }  # fmt: skip


def deep_pages(section_slug: str, articles_in_section: int, per_page: int = 20) -> dict:
    """Page 1 against page 500 of a section (or its last page when it has fewer)."""
    last = max(1, min(500, articles_in_section // per_page))
    first = timing(f"/section/{section_slug}/")
    deep = timing(f"/section/{section_slug}/?page={last}")
    return {"page": last, "first": first, "deep": deep, "ratio": deep["median_ms"] / first["median_ms"]}


def search_latency(budget: float = 60.0) -> dict:
    """p50/p95 of the search page over ``SEARCH_QUERIES``, three rounds each, within ``budget`` seconds."""
    from urllib.parse import quote_plus

    times, deadline = [], time.monotonic() + budget
    for query in SEARCH_QUERIES:  # warm-up round
        client.get(f"/search/?q={quote_plus(query)}")
        if time.monotonic() > deadline:
            break
    for _ in range(3):
        for query in SEARCH_QUERIES:
            started = time.perf_counter()
            client.get(f"/search/?q={quote_plus(query)}")
            times.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
    times.sort()
    return {
        "queries": len(times), "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))], "max_ms": times[-1],
    }  # fmt: skip
