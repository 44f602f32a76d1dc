"""A fixed-window limit on how often one client address may run a view, counted in the shared cache.

Wrapped inside ``cache_public_page``, it counts only the requests the page
cache could not answer. It fails open: while the cache cannot be reached,
nothing is limited.
"""

import time
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from newsroom.signin import client_ip

from .caching import CACHE_ERRORS, shared

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache
def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"30/m"`` is 30 requests a minute, ``"100/5m"`` 100 in five minutes; empty or ``"0"``: no limit."""
    count, _, period = rate.strip().partition("/")
    period = period.strip() or "s"
    try:
        if not count or int(count) <= 0:
            return None
        return int(count), int(period[:-1] or 1) * UNIT_SECONDS[period[-1]]
    except (KeyError, ValueError):
        raise ImproperlyConfigured(f"A rate limit is requests per s, m, h or d, like 30/m; not {rate!r}.") from None


def _count(key: str, seconds: int) -> int | None:
    """This window's requests so far, this one included; None when the cache cannot be reached."""
    if not shared.reachable():
        return None
    try:
        try:
            return cache.incr(key)
        except ValueError:  # the window's first request (or its key was evicted)
            if cache.add(key, 1, seconds + 1):
                return 1
            return cache.incr(key)
    except CACHE_ERRORS as error:
        shared.failed(error)
        return None


def rate_limited(setting: str):
    """Answer 429 with ``Retry-After`` to an address past the rate in ``settings.<setting>`` (``"30/m"``)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            rate = parse_rate(getattr(settings, setting))
            if rate is None:
                return view(request, *args, **kwargs)
            limit, seconds = rate
            now = time.time()
            window = int(now // seconds)
            count = _count(f"ratelimit:{setting}:{client_ip(request)}:{window}", seconds)
            if count is not None and count > limit:
                response = HttpResponse("Too many searches; please wait a moment.\n", status=429)
                response["Retry-After"] = str(int((window + 1) * seconds - now) + 1)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
