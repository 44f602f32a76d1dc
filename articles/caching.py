"""Whole-page caching for anonymous readers, and knowing when it must end.

Every cached page's key contains a *generation* token. Any change to what a
public page can show (a public article, its bylines, tags, section, related
links, corrections, live updates, the pins on the fronts) replaces the token, so
every cached page is missed at once; a draft's changes leave it alone. Time also
changes what is public (a scheduled story goes live, an embargo lifts, a pin
takes effect or expires) without any write, so no page is cached past the
next such moment, and no page claims to be older (``Last-Modified``) than the
last one. Logged-in users are never served from,
nor stored in, the cache.

Pages live in the shared cache (Redis), and the pages a process serves most
are also kept in that process (``LocalPages``), so that a hit costs no round
trip. Each process reads the token at most every ``PAGE_CACHE_TOKEN_SECONDS``:
a change made elsewhere reaches every reader within that time.

The page cache fails open: while the shared cache cannot be reached, pages are
served uncached and saves go through. A process that failed to reach it starts
a new generation when it can again, because the change it could not announce
would otherwise leave older pages current.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, Max, Min, Q, When
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe, urlencode
from redis.exceptions import RedisError
from taggit.models import Tag, TaggedItem

from . import cdn
from .models import (
    Article,
    Author,
    Authorship,
    Correction,
    FrontPagePin,
    LiveUpdate,
    RelatedLink,
    Section,
    article_type_id,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
#: What the shared cache raises when it cannot be reached (Django's Redis backend lets redis-py's errors through).
CACHE_ERRORS = (RedisError, OSError)
#: After a failure, requests stop asking the shared cache for this long (seconds), so that an
#: unreachable server costs one timeout per interval, not one per request.
RETRY_SECONDS = 1.0
#: At most one warning per this many seconds while the shared cache is unreachable.
WARNING_SECONDS = 60.0
#: The query parameters each page reads (by URL name); the others are left out of its cache key and
#: out of ``request.GET``, so ``?cb=<random>`` cannot fill the cache with copies of one page.
QUERY_PARAMS = {
    "articles:section": ("page",),
    "articles:tag": ("page",),
    "articles:author": ("page",),
    "articles:corrections": ("page",),
    "articles:search": ("author", "end", "page", "q", "section", "start"),
    "articles:api-list": ("author", "page", "section", "since", "tag"),
    "articles:sitemap-section": ("p",),
    "articles:news-sitemap": ("p",),
    "articles:live": ("after",),
}


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


class SharedCache:
    """The shared cache as the page cache uses it: unreachable, it answers ``None`` instead of raising."""

    def __init__(self):
        self.retry_at = 0.0
        self.warned_at = 0.0
        #: Set by a failure: pages stored before it may be out of date (an invalidation may have been lost).
        self.missed = False

    def reachable(self) -> bool:
        """False for ``RETRY_SECONDS`` after a failure."""
        return time.time() >= self.retry_at

    def call(self, method: str, *args, **kwargs):
        if not self.reachable():
            return None
        try:
            return getattr(cache, method)(*args, **kwargs)
        except CACHE_ERRORS as error:
            self.failed(error)
            return None

    def failed(self, error: Exception) -> None:
        now = time.time()
        self.retry_at = now + RETRY_SECONDS
        self.missed = True
        local_pages.clear()
        if now - self.warned_at >= WARNING_SECONDS:
            self.warned_at = now
            logger.warning("Shared cache unreachable (%s): serving pages uncached.", error)

    def reset(self) -> None:
        self.__init__()


shared = SharedCache()


def generation() -> str | None:
    """The current token, or None while the shared cache cannot be reached (no page is served from
    the cache, nor stored in it, then)."""
    token = local_pages.current_token()
    if token is not None:
        return token
    if not shared.reachable():
        return None
    if shared.missed:
        # Back after a failure: pages cached before it are no longer trusted.
        shared.missed = False
        token = uuid4().hex
        shared.call("set", GENERATION_KEY, token, timeout=None)
    else:
        token = shared.call("get", GENERATION_KEY)
        if token is None and not shared.missed:
            # A fresh random token, never an old one: a counter restarted after an
            # eviction could meet pages cached under its earlier values.
            shared.call("add", GENERATION_KEY, uuid4().hex, timeout=None)
            token = shared.call("get", GENERATION_KEY)
    if shared.missed or token is None:
        return None
    if token == local_pages.token:
        local_pages.token_read_at = time.time()
    else:
        local_pages.clear(token)
    return token


def new_generation() -> None:
    token = uuid4().hex
    local_pages.clear()
    shared.call("set", GENERATION_KEY, token, timeout=None)
    if not shared.missed:
        local_pages.clear(token)


def invalidate_pages(sender=None, using=None, keys=(cdn.LIST_KEY,), article_ids=(), **kwargs) -> None:
    """Something a public page shows has changed: end every cached page, and purge ``keys`` (and the
    keys of the stories ``article_ids``) from the CDN once the change is committed."""
    new_generation()
    # Again after commit (once per transaction, however many rows it writes):
    # a request between this write and the commit could have cached the old
    # page under the new token.
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(
        callback is new_generation for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(new_generation, using=using)
    cdn.purge_on_commit(keys=keys, article_ids=article_ids, using=using)


def _is_or_was_published(article: Article) -> bool:
    return article.status == Article.Status.PUBLISHED or getattr(article, "_was_published", False)


def note_whether_published(sender, instance: Article, **kwargs) -> None:
    """pre_save: a story leaving the public site (unpublished, retracted) changes pages as much as
    one joining it; a draft that never was public changes none."""
    instance._was_published = (
        instance.status != Article.Status.PUBLISHED
        and instance.pk is not None
        and Article.objects.filter(pk=instance.pk, status=Article.Status.PUBLISHED).exists()
    )


def article_changed(sender, instance: Article, using=None, **kwargs) -> None:
    """Published covers scheduled and embargoed stories too: they change when pages expire."""
    if _is_or_was_published(instance):
        invalidate_pages(sender, using, keys=cdn.article_keys(instance), article_ids=[instance.pk])


def _any_published(article_ids) -> bool:
    return Article.objects.filter(pk__in=article_ids, status=Article.Status.PUBLISHED).exists()


def story_part_changed(sender, instance, using=None, origin=None, **kwargs) -> None:
    """A byline, related link, correction, live update or tagging: it changes pages only if its story is published."""
    if isinstance(origin, Article):
        return  # deleted with its story, which invalidated if it was public
    if sender is TaggedItem:
        if instance.content_type_id != article_type_id():
            return
        article_id, article = instance.object_id, None
    else:
        article_id = instance.article_id
        article = instance.article if sender.article.is_cached(instance) else None
    published = _is_or_was_published(article) if article is not None else _any_published([article_id])
    if published:
        invalidate_pages(sender, using, keys=[f"article-{article_id}", cdn.LIST_KEY], article_ids=[article_id])


def bylines_or_tags_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        article_changed(Article, instance, using)
    elif pk_set is None or _any_published(pk_set):  # an author's or tag's stories; cleared: which is unknown
        invalidate_pages(sender, using, keys=[cdn.object_key(instance), cdn.LIST_KEY], article_ids=pk_set or ())


def pin_changed(sender, instance: FrontPagePin, using=None, **kwargs) -> None:
    """A story pinned, moved, unpinned or re-timed on a front: it changes the page if the story is
    published (a pinned draft shows nowhere). Times to come bound the page's lifetime instead
    (``_publication_moments``)."""
    if _any_published([instance.article_id]):
        keys = [cdn.LIST_KEY, f"section-{instance.section_id}"] if instance.section_id else [cdn.LIST_KEY]
        invalidate_pages(sender, using, keys=keys)


def label_changed(sender, instance, using=None, created=False, **kwargs) -> None:
    """A section, author or tag renamed or removed. A new author or tag is on no page until a story
    carries it, and that change invalidates; a new section is in the navigation at once."""
    if created and sender is not Section:
        return
    invalidate_pages(sender, using, keys=[cdn.object_key(instance), cdn.LIST_KEY])


def connect_signals() -> None:
    pre_save.connect(note_whether_published, sender=Article, dispatch_uid="pages-presave-Article")
    post_save.connect(article_changed, sender=Article, dispatch_uid="pages-save-Article")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="pages-delete-Article")
    for model in (Authorship, Correction, LiveUpdate, RelatedLink, TaggedItem):
        post_save.connect(story_part_changed, sender=model, dispatch_uid=f"pages-save-{model.__name__}")
        post_delete.connect(story_part_changed, sender=model, dispatch_uid=f"pages-delete-{model.__name__}")
    post_save.connect(pin_changed, sender=FrontPagePin, dispatch_uid="pages-save-FrontPagePin")
    post_delete.connect(pin_changed, sender=FrontPagePin, dispatch_uid="pages-delete-FrontPagePin")
    for model in (Author, Section, Tag):
        post_save.connect(label_changed, sender=model, dispatch_uid=f"pages-save-{model.__name__}")
        post_delete.connect(label_changed, sender=model, dispatch_uid=f"pages-delete-{model.__name__}")
    for through in (Article.tags.through, Article.authors.through):
        m2m_changed.connect(bylines_or_tags_changed, sender=through, dispatch_uid=f"pages-m2m-{through.__name__}")


def _publication_moments() -> tuple[float, float]:
    """When a page last changed by itself and when one next will (0.0 for none), as timestamps.

    A published story goes public at the later of its publish time and its embargo; a pin on a front
    takes effect and expires at its own times. One query reads only the stories that can decide it,
    through indexes: the newest one without an embargo that is out, the first still to come, the few
    embargoed ones (migration 0023) and the pinned ones, with their pins. Every published story
    joined to its pins had cost 385 ms at a million stories, once a generation and on every request
    while Redis is away.
    """
    now = timezone.now()
    published = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
    plain = published.filter(embargoed_until__isnull=True).values("pk")
    deciding = published.filter(
        Q(embargoed_until__isnull=False)
        | Q(pk__in=plain.filter(published_at__lte=now).order_by("-published_at")[:1])
        | Q(pk__in=plain.filter(published_at__gt=now).order_by("published_at")[:1])
        | Q(pk__in=FrontPagePin.objects.values("article_id"))
    )
    goes_public = Greatest(F("published_at"), Coalesce(F("embargoed_until"), F("published_at")))
    pin_last = Case(
        When(pins__ends_at__lte=now, then=F("pins__ends_at")), When(pins__starts_at__lte=now, then=F("pins__starts_at"))
    )
    pin_next = Case(
        When(pins__starts_at__gt=now, then=F("pins__starts_at")), When(pins__ends_at__gt=now, then=F("pins__ends_at"))
    )
    moments = deciding.aggregate(
        last=Max(goes_public, filter=LessThanOrEqual(goes_public, now)),
        next=Min(goes_public, filter=GreaterThan(goes_public, now)),
        pin_last=Max(pin_last),
        pin_next=Min(pin_next),
    )
    last = max((m for m in (moments["last"], moments["pin_last"]) if m), default=None)
    next_ = min((m for m in (moments["next"], moments["pin_next"]) if m), default=None)
    return tuple(moment.timestamp() if moment else 0.0 for moment in (last, next_))


def publication_moments(token: str | None) -> tuple[float, float]:
    """``_publication_moments()``, asked once per generation and kept until the next publication."""
    key = f"pages:publication-moments:{token}"
    moments = shared.call("get", key) if token else None
    if moments is None or (moments[1] and moments[1] <= time.time()):
        moments = _publication_moments()
        if token:
            shared.call("set", key, moments, settings.PAGE_CACHE_SECONDS)
    return moments


def kept_like_pages(compute):
    """Decorator: ``compute()``, which reads what is public, kept in this process for as long as a
    cached page stays current: until a change starts a new generation, or the next story goes
    public. Read every time while the shared cache cannot be reached, as pages then are."""
    kept = {}  # the current token's entry: {token: (value, when the next story goes public or 0.0)}

    @wraps(compute)
    def wrapper():
        token = generation()
        if token is None:
            return compute()
        entry = kept.get(token)
        if entry is None or (entry[1] and entry[1] <= time.time()):
            next_public = publication_moments(token)[1]
            entry = (compute(), next_public)
            kept.clear()
            kept[token] = entry
        return entry[0]

    return wrapper


def _share_for(response, seconds: int) -> None:
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    patch_vary_headers(response, ["Cookie"])


def _cached_page(key: str) -> HttpResponse | None:
    entry = local_pages.get(key)
    if entry is None:
        entry = shared.call("get", key)
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


def _page_path(request) -> str:
    """The path and the query parameters the page reads, sorted; ``request.GET`` keeps only those."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return request.path
    names = QUERY_PARAMS.get(getattr(request.resolver_match, "view_name", None), ())
    clean = urlencode([(name, value) for name in names for value in request.GET.getlist(name)])
    if clean != query:
        request.GET = QueryDict(clean)
        request.META["QUERY_STRING"] = clean
    return f"{request.path}?{clean}" if clean else request.path


def _not_older_than(response, moment: float) -> None:
    """No response may claim to be older than the last story that went public: its lists changed then."""
    if response.has_header("Last-Modified"):
        last_modified = parse_http_date_safe(response["Last-Modified"]) or 0
        if last_modified < int(moment):
            response["Last-Modified"] = http_date(moment)


def cache_public_page(view):
    """Serve anonymous GET/HEAD requests from the page cache, and mark them cacheable by a CDN.

    Only 200 responses without cookies or a ``Cache-Control`` of their own
    (staff previews set one) are stored: their body and headers, not the
    response object, so that a hit is cheap to rebuild; and not when larger
    than ``PAGE_CACHE_ENTRY_BYTES``. They carry their surrogate keys (``cdn``).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Without a session cookie nobody is logged in, and the session need not be opened to see so.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        if settings.PAGE_CACHE_SECONDS <= 0:
            response = view(request, *args, **kwargs)
            # Without the cache there is no cheap floor for it; the ETag still answers conditional requests.
            response.headers.pop("Last-Modified", None)
            return response
        token = generation()
        key = f"pages:{token}:{hashlib.sha256(_page_path(request).encode()).hexdigest()}"
        cached = _cached_page(key) if token else None
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
            return response
        if hasattr(response, "render"):
            response.render()
        last_public, next_public = publication_moments(token)
        lifetime = settings.PAGE_CACHE_SECONDS
        if next_public:
            lifetime = max(min(lifetime, int(next_public - time.time())), 0)
        _not_older_than(response, last_public)
        cdn.add_surrogate_keys(response, getattr(response, "context_data", None))
        set_response_etag(response)
        if token and lifetime > 0 and len(response.content) <= settings.PAGE_CACHE_ENTRY_BYTES:
            entry = (response.content, list(response.items()), time.time() + lifetime)
            shared.call("set", key, entry, lifetime)
            local_pages.put(key, entry)
        _share_for(response, lifetime)
        return response

    return wrapper
