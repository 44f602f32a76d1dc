"""The project's settings plus the bench-only URLs (``/_bench/bare/``, ``/_bench/template/``)."""

import os

from newsroom.settings import *  # noqa: F403
from newsroom.settings import CACHES

ROOT_URLCONF = "bench.urls"

# A prefix per run, so a shared Redis never serves a page cached by an earlier run.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "newsroom-bench")

# 404s for pages not built yet are reported in the table, not logged per request.
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # noqa: F405

# The bench loads the search page from one address, far past the readers' limit (30/m by default):
# with it, the uncached run measured the limiter's 429 (1,780 req/s), not search results.
SEARCH_RATE_LIMIT = "0"
