"""Whole-page caching for anonymous readers, and knowing when it must end.

Every cached page's key contains a *generation* token. Any change to what a
public page can show (an article, its bylines, tags, section, related links,
corrections) replaces the token, so every cached page is missed at once: a
correction is visible on the next request. Time also changes what is public
(a scheduled story goes live, an embargo lifts) without any write, so no page
is cached past the next such moment. Logged-in users are never served from,
nor stored in, the cache.
"""

import hashlib
import time
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers, set_response_etag
from taggit.models import Tag, TaggedItem

from .models import Article, Author, Authorship, Correction, RelatedLink, Section

GENERATION_KEY = "pages:generation"
PUBLIC_MODELS = (Article, Author, Authorship, Correction, RelatedLink, Section, Tag, TaggedItem)


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        # A fresh random token, never an old one: a counter restarted after an
        # eviction could meet pages cached under its earlier values.
        cache.add(GENERATION_KEY, uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)


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


def connect_signals() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(invalidate_pages, sender=model, dispatch_uid=f"pages-save-{model.__name__}")
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


def cache_public_page(view):
    """Serve anonymous GET/HEAD requests from the page cache, and mark them cacheable by a CDN.

    Only 200 responses without cookies or a ``Cache-Control`` of their own
    (staff previews set one) are stored.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        token = generation()
        key = f"pages:{token}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
        entry = cache.get(key)
        if entry is not None:
            response, expires = entry
            remaining = int(expires - time.time())
            if remaining > 0:
                _share_for(response, remaining)
                return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
            return response
        if hasattr(response, "render"):
            response.render()
        lifetime = page_lifetime(token)
        set_response_etag(response)
        _share_for(response, lifetime)
        if lifetime > 0:
            cache.set(key, (response, time.time() + lifetime), lifetime)
        return response

    return wrapper
