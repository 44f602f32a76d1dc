"""Surrogate keys for a CDN, and purging by them after a change.

Every public response names what it shows in ``Surrogate-Key`` (space
separated: Fastly, Varnish) and ``Cache-Tag`` (comma separated: Cloudflare,
Akamai) headers, read from the page's template context: an article page
carries ``article-<pk>``, ``section-<pk>``, ``tag-<pk>`` and ``author-<pk>``
for its story; a section, tag or author page its own key and ``list``;
everything else (home, search, feeds, sitemaps, the API) ``list``.

When a public story changes (published, scheduled, unpublished, retracted,
killed, corrected, its bylines, tags or live updates), its keys and ``list`` are purged
through ``settings.CDN_PURGER`` once the transaction commits.
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from taggit.models import Tag

from .models import Article, Author, Section

logger = logging.getLogger(__name__)

LIST_KEY = "list"
KEY_PREFIXES = {Article: "article", Section: "section", Tag: "tag", Author: "author"}


def object_key(obj) -> str:
    return f"{KEY_PREFIXES[type(obj)]}-{obj.pk}"


def article_keys(article: Article) -> list[str]:
    """The keys of a story's own page and of every list, without a query (bylines and tags come at purge time)."""
    keys = [object_key(article), LIST_KEY]
    if article.section_id:
        keys.append(f"section-{article.section_id}")
    return keys


def response_keys(context) -> list[str]:
    context = context or {}
    article = context.get("article")
    if isinstance(article, Article):
        # The detail view hands over the bylines and tags it shows; nothing is fetched here.
        shown = [article, *context.get("bylines", ()), *(tag for tag, _ in context.get("tag_links", ()))]
        keys = {object_key(obj) for obj in shown}
        if article.section_id:
            keys.add(f"section-{article.section_id}")
        return sorted(keys)
    for name in ("section", "tag", "author"):
        if isinstance(context.get(name), tuple(KEY_PREFIXES)):
            return sorted({object_key(context[name]), LIST_KEY})
    return [LIST_KEY]


def add_surrogate_keys(response, context) -> None:
    keys = response_keys(context)
    response["Surrogate-Key"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)


def story_keys(article_ids) -> set[str]:
    """The section, byline and tag keys of these stories, as they are now (one query)."""
    rows = Article.objects.filter(pk__in=article_ids).values_list("section_id", "authorships__author_id", "tags__id")
    keys = set()
    for section_id, author_id, tag_id in rows:
        keys |= {f"section-{section_id}", f"author-{author_id}", f"tag-{tag_id}"}
    return {key for key in keys if not key.endswith("-None")}


class PendingPurge:
    """What one transaction's changes ask to purge, sent once it commits."""

    def __init__(self):
        self.keys: set[str] = set()
        self.article_ids: set[int] = set()

    def __call__(self):
        keys = self.keys | story_keys(self.article_ids) if self.article_ids else self.keys
        import_string(settings.CDN_PURGER)().purge(sorted(keys))


def purge_on_commit(*, keys=(), article_ids=(), using=None) -> None:
    connection = transaction.get_connection(using)
    pending = next((cb for _, cb, _ in connection.run_on_commit if isinstance(cb, PendingPurge)), None)
    if pending is None:
        pending = PendingPurge()
        pending.keys.update(keys)
        pending.article_ids.update(article_ids)
        transaction.on_commit(pending, using=using, robust=True)  # outside a transaction: now
    else:
        pending.keys.update(keys)
        pending.article_ids.update(article_ids)


class LoggingPurger:
    """The default: no CDN, so the purge is only logged."""

    def purge(self, keys: list[str]) -> None:
        logger.info("CDN purge: %s", " ".join(keys))


class HttpPurger:
    """POSTs ``{"keys": [...]}`` (and the keys as a ``Surrogate-Key`` header) to ``CDN_PURGE_URL``,
    with ``CDN_PURGE_TOKEN`` as a bearer token if set. A failure is logged: the change is saved, and
    the CDN's copies end with their ``max-age``."""

    def purge(self, keys: list[str]) -> None:
        headers = {"Content-Type": "application/json", "Surrogate-Key": " ".join(keys)}
        if settings.CDN_PURGE_TOKEN:
            headers["Authorization"] = f"Bearer {settings.CDN_PURGE_TOKEN}"
        body = json.dumps({"keys": keys}).encode()
        request = urllib.request.Request(settings.CDN_PURGE_URL, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as response:
                response.read()
        except (OSError, ValueError) as error:
            logger.warning("CDN purge of %s failed: %s", " ".join(keys), error)
