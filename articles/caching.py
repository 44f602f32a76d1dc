"""Whole-page caching for anonymous readers, and knowing when it must end.

Every cached page's key contains a *generation* token. Any change to what a
public page can show (an article, its bylines, tags, section, related links,
corrections) replaces the token, so every cached page is missed at once. Time
also changes what is public (a scheduled story goes live, an embargo lifts)
without any write, so no page is cached past the next such moment. Logged-in
users are never served from, nor stored in, the cache.

Pages live in the shared cache (Redis), and the pages a process serves most
are also kept in that process (``LocalPages``), so that a hit costs no round
trip. Each process reads the token at most every ``PAGE_CACHE_TOKEN_SECONDS``:
a change made elsewhere reaches every reader within that time.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers, set_response_etag
from taggit.models import Tag, TaggedItem

from .models import Article, Author, Authorship, Correction, RelatedLink, Section

GENERATION_KEY = "pages:generation"
PUBLIC_MODELS = (Article, Author, Authorship, Correction, RelatedLink, Section, Tag, TaggedItem)


class LocalPages:
    """This process's copy of the pages it served from the cache, and of the token they were cached under.

    Bounded by ``PAGE_CACHE_LOCAL_BYTES`` of page bodies, least recently used
    first out; a new token empties it.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.token: str | None = None
        self.token_read_at = 0.0
        self.pages: OrderedDict[str, tuple[bytes, list[tuple[str, str]], float]] = OrderedDict()
        self.size = 0

    def clear(self, token: str | None = None) -> None:
        with self.lock:
            self.token, self.token_read_at = token, time.time() if token else 0.0
            self.pages.clear()
            self.size = 0

    def current_token(self) -> str | None:
        """The token read less than ``PAGE_CACHE_TOKEN_SECONDS`` ago, if any."""
        if self.token and time.time() - self.token_read_at < settings.PAGE_CACHE_TOKEN_SECONDS:
            return self.token
        return None

    def get(self, key: str):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key: str, entry) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        with self.lock:
            if key in self.pages or len(entry[0]) > limit:
                return
            self.pages[key] = entry
            self.size += len(entry[0])
            while self.size > limit:
                _, (content, _, _) = self.pages.popitem(last=False)
                self.size -= len(content)


local_pages = LocalPages()


def generation() -> str:
    token = local_pages.current_token()
    if token is not None:
        return token
    token = cache.get(GENERATION_KEY)
    if token is None:
        # A fresh random token, never an old one: a counter restarted after an
        # eviction could meet pages cached under its earlier values.
        cache.add(GENERATION_KEY, uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    if token == local_pages.token:
        local_pages.token_read_at = time.time()
    else:
        local_pages.clear(token)
    return token


def new_generation() -> None:
    token = uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    local_pages.clear(token)


def invalidate_pages(sender, using=None, **kwargs) -> None:
    """Signal receiver: something a public page shows has changed."""
    new_generation()
    # Again after commit (once per transaction, however many rows it writes):
    # a request between this write and the commit could have cached the old
    # page under the new token.
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(
        callback is new_generation for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(new_generation, using=using)


def invalidate_pages_unless_new(sender, created=False, **kwargs) -> None:
    """Signal receiver for tags and authors: a new one is on no page until a story carries it,
    and that change invalidates."""
    if not created:
        invalidate_pages(sender, **kwargs)


def connect_signals() -> None:
    for model in PUBLIC_MODELS:
        receiver = invalidate_pages_unless_new if model in (Author, Tag) else invalidate_pages
        post_save.connect(receiver, sender=model, dispatch_uid=f"pages-save-{model.__name__}")
        post_delete.connect(invalidate_pages, sender=model, dispatch_uid=f"pages-delete-{model.__name__}")
    for through in (Article.tags.through, Article.authors.through):
        m2m_changed.connect(invalidate_pages, sender=through, dispatch_uid=f"pages-m2m-{through.__name__}")


def page_lifetime(token: str) -> int:
    """Seconds a page may be cached now: ``PAGE_CACHE_SECONDS``, cut short by the next scheduled publication.

    The next publication time costs one query per generation and is kept no
    longer than a page would be.
    """
    key = f"pages:next-publication:{token}"
    now = time.time()
    next_at = cache.get(key)
    if next_at is None or (next_at and next_at <= now):
        moment = Article.objects.next_publication_time()
        next_at = moment.timestamp() if moment else 0.0
        cache.set(key, next_at, settings.PAGE_CACHE_SECONDS)
    lifetime = settings.PAGE_CACHE_SECONDS
    if next_at:
        lifetime = min(lifetime, int(next_at - now))
    return max(lifetime, 0)


def _share_for(response, seconds: int) -> None:
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    patch_vary_headers(response, ["Cookie"])


def _cached_page(key: str) -> HttpResponse | None:
    entry = local_pages.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            return None
        local_pages.put(key, entry)
    content, headers, expires = entry
    remaining = int(expires - time.time())
    if remaining <= 0:
        return None
    response = HttpResponse(content)
    for header, value in headers:
        response.headers[header] = value
    _share_for(response, remaining)
    return response


def cache_public_page(view):
    """Serve anonymous GET/HEAD requests from the page cache, and mark them cacheable by a CDN.

    Only 200 responses without cookies or a ``Cache-Control`` of their own
    (staff previews set one) are stored: their body and headers, not the
    response object, so that a hit is cheap to rebuild.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        # Without a session cookie nobody is logged in, and the session need not be opened to see so.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        token = generation()
        key = f"pages:{token}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
        cached = _cached_page(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
            return response
        if hasattr(response, "render"):
            response.render()
        lifetime = page_lifetime(token)
        set_response_etag(response)
        if lifetime > 0:
            entry = (response.content, list(response.items()), time.time() + lifetime)
            cache.set(key, entry, lifetime)
            local_pages.put(key, entry)
        _share_for(response, lifetime)
        return response

    return wrapper
