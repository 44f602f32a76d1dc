"""The reader's side of live coverage: the updates on a live page, and the fragment its script polls.

An open live page holds a *cursor*, the last change time of the newest update
it shows. Its script asks ``<article>/live/?after=<cursor>`` for the updates
posted or edited since, with the key points and the badge as they are now;
the answer goes through the page cache like any page (an update ends every
cached page), so thousands of readers cost one render per change. The page
works without the script: a reload shows the same.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from . import params
from .models import Article, LiveUpdate

#: The fragment also returns what changed this long before the cursor, in case an update saved just
#: before a newer one committed after it; the script skips what it already holds.
OVERLAP = timedelta(seconds=5)
#: The most updates one fragment carries (a reader back after a long absence reloads for the rest).
FRAGMENT_LIMIT = 100


def live_path(article: Article) -> str:
    """The fragment's address; the live feeds are under it (``articles.urls``)."""
    return f"{article.get_absolute_url()}live/"


def cursor(updates: list[LiveUpdate], *, after=params.EPOCH) -> str:
    """The last change time among ``updates``, never earlier than ``after``."""
    return params.moment_value(max([after, *(update.updated_at for update in updates)]))


def live_page(article: Article, *, polling: bool = True) -> dict:
    """What a live page shows besides the story: every posted update, newest first (one query)."""
    updates = list(article.live_updates.posted().newest_first())
    return {
        "live_updates": updates,
        "key_points": [update for update in updates if update.key_point],
        "live_cursor": cursor(updates),
        "live_url": live_path(article) if polling and article.live_now else "",
        "live_poll_seconds": settings.LIVE_POLL_SECONDS,
    }


def live_fragment(request, year, month, day, slug):
    """The updates changed since ``?after=``, the key points and the badge, as HTML for the page's script."""
    articles = Article.objects.filter(is_live=True).only(
        "slug", "status", "published_at", "created_at", "embargoed_until", "is_live", "live_ended_at", "section_id"
    )
    staff = request.user.is_authenticated and request.user.is_staff
    article = get_object_or_404(articles if staff else articles.published(), slug=slug)
    if request.path != live_path(article):
        raise Http404("No live page here.")
    after = params.moment(request.GET.get("after"))
    since = after - OVERLAP
    rows = list(
        article.live_updates.posted()
        .filter(Q(updated_at__gt=since) | Q(key_point=True))
        .newest_first()[:FRAGMENT_LIMIT]
    )
    changed = [update for update in rows if update.updated_at > since]
    context = {
        "article": article,
        "live_updates": changed,
        "key_points": [update for update in rows if update.key_point],
        "live_cursor": cursor(changed, after=after),
    }
    response = TemplateResponse(request, "articles/live_fragment.html", context)
    response["X-Robots-Tag"] = "noindex"
    if not article.is_published():
        add_never_cache_headers(response)
    return response
