"""Probes for load balancers and orchestrators.

``/healthz``: the process answers (no database), for liveness.
``/readyz``: the database answers and has every migration applied, so the site can
serve; the cache is reported too but a broken cache only degrades the site (pages
are built uncached), so it does not take the instance out of rotation.

Both are answered by a middleware listed before Django's host validation and HTTPS
redirect: load balancers probe over plain HTTP with the instance's own address as
the Host, which ALLOWED_HOSTS rightly refuses for everything else.  The answers use
nothing from the request, so any Host is safe here.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    checks["migrations"] = _migrations() if checks["database"] == "ok" else "unknown"
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    status = ("ok" if checks["cache"] == "ok" else "degraded") if ready else "unavailable"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Readiness: the database does not answer")
        return "error"
    return "ok"


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("Readiness: could not read the migration state")
        return "error"
    if plan:
        logger.warning("Readiness: %d migrations not applied (run `newsroom migrate`)", len(plan))
        return f"{len(plan)} unapplied"
    return "ok"


def _cache() -> str:
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.warning("Readiness: the cache does not answer", exc_info=True)
        return "degraded"
    return "ok" if answered == value else "degraded"


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        response = probe(request)
        add_never_cache_headers(response)
        return response
