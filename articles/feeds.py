"""RSS 2.0 and Atom feeds for the site, each section, tag and author, and each live page.

Every feed item carries all bylines, the tags as categories, the summary, the
full sanitised body and the featured image as an enclosure. A live page is one
item of the site's feeds, its updated time moving with each update; its own
feed carries the updates themselves, as a reader subscribing to it expects.
"""

import mimetypes
from collections import defaultdict
from io import StringIO

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from taggit.models import Tag, TaggedItem

from .cards import bylines_of
from .links import absolute_url, article_urls, page_url, tag_url
from .live import live_path
from .models import Article, Author, Correction, Section, article_type_id, summary_of
from .prepared import prepared
from .selectors import with_public_stories

FEED_ITEMS = 30


@prepared(plan_once=True)
def _tag_names(articles, content_type):
    """Each name by its key, not by a join: PostgreSQL hashed the whole tag table for a few hundred rows."""
    items = TaggedItem.objects.filter(object_id__in=articles, content_type=content_type).order_by("pk")
    return items.values("object_id", name=Subquery(Tag.objects.filter(pk=OuterRef("tag_id")).values("name")))


def tag_names_of(articles: list[int]) -> dict[int, list[str]]:
    """The tag names of these stories, in the order they were tagged, in one query."""
    names = defaultdict(list)
    if articles:
        for row in _tag_names(articles=articles, content_type=article_type_id()):
            names[row["object_id"]].append(row["name"])
    return names


class WholeDocument:
    """A feed generator that hands the response its document in one piece.

    Django's writers hand their file each tag and each text apart, and SAX's writer wraps a response
    in a text writer that encodes and passes on every piece at once: tens of thousands of calls for a
    feed of thirty stories. Encoding the whole text once gives the same bytes (that wrapper, too,
    writes what the encoding cannot carry as character references).
    """

    def write(self, outfile, encoding):
        document = StringIO()
        super().write(document, encoding)
        outfile.write(document.getvalue().encode(encoding, "xmlcharrefreplace"))


class RssFeed(WholeDocument, Rss201rev2Feed):
    pass


class AtomFeed(WholeDocument, Atom1Feed):
    pass


class NewsRssFeed(RssFeed):
    """RSS 2.0 with one ``dc:creator`` per byline, ``atom:updated`` and ``content:encoded``."""

    def rss_attributes(self):
        return super().rss_attributes() | {
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _ in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["credit"]:
            handler.addQuickElement("dc:source", item["credit"])
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content"])


class NewsAtomFeed(AtomFeed):
    """Atom with one ``author`` per byline and the body as ``content``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, slug in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", absolute_url(page_url("articles:author", slug=slug)))
            handler.endElement("author")
        if item["credit"]:
            handler.startElement("contributor", {})
            handler.addQuickElement("name", item["credit"])
            handler.endElement("contributor")
        handler.addQuickElement("content", item["content"], {"type": "html"})


FORMATS = {"rss": NewsRssFeed, "atom": NewsAtomFeed}


def feed_url(scope=None, kind: str = "rss") -> str:
    """The feed of ``scope`` (a Section, Tag, Author, or None for the whole site)."""
    if scope is None:
        return reverse(f"articles:feed-{kind}")
    name = {Section: "section", Tag: "tag", Author: "author"}[type(scope)]
    return reverse(f"articles:{name}-feed-{kind}", kwargs={"slug": scope.slug})


def feed_links(title: str, href) -> list[dict]:
    """``<link rel="alternate">`` data for a page's RSS and Atom feeds; ``href(kind)`` is each one's address."""
    return [
        {"href": href(kind), "type": f"application/{kind}+xml", "title": f"{title} ({label})"}
        for kind, label in (("rss", "RSS"), ("atom", "Atom"))
    ]


def alternate_links(scope=None) -> list[dict]:
    """The feeds of ``scope`` (a Section, Tag, Author, or None for the whole site)."""
    title = f"{settings.SITE_NAME}: {scope}" if scope is not None else settings.SITE_NAME
    return feed_links(title, lambda kind: feed_url(scope, kind))


def live_feed_links(article: Article) -> list[dict]:
    return feed_links(f"{settings.SITE_NAME}: {article.headline}, live", lambda kind: f"{live_path(article)}{kind}/")


def image_enclosures(name: str) -> list[Enclosure]:
    """An item's image (its name in the default storage) as its enclosure; none without an image."""
    if not name:
        return []
    try:
        length = str(default_storage.size(name))
    except OSError:  # the file is missing from storage: still point at it
        length = "0"
    mime_type = mimetypes.guess_type(name)[0] or "image/jpeg"
    return [Enclosure(absolute_url(default_storage.url(name)), length, mime_type)]


class NewsFeed(Feed):
    """A feed whose ``get_feed`` calls its hooks directly, each with its one argument.

    Django's ``get_feed`` asks for every attribute of every item through ``_get_dynamic_attr``,
    which unwraps the hook and counts its arguments each time, and for hooks these feeds never
    define (templates, guids, item authors, comments, copyright). Here every hook takes the feed's
    object (None for the site's feeds) or the item, and every link is absolute already, so there
    is no site domain to add.
    """

    language = settings.SITE_LANGUAGE
    author_name = settings.SITE_NAME
    formats = FORMATS

    def __init__(self, kind: str = "rss"):
        super().__init__()
        self.kind = kind
        self.feed_type = self.formats[kind]

    def get_feed(self, obj, request):
        feed = self.feed_type(
            title=self.title(obj),
            subtitle=self.description(obj) if self.kind == "atom" else None,
            link=self.link(obj),
            description=self.description(obj),
            language=self.language,
            feed_url=self.feed_url(obj),
            author_name=self.author_name,
        )
        for item in self.items(obj):
            link = self.item_link(item)
            feed.add_item(
                title=self.item_title(item),
                link=link,
                description=self.item_description(item),
                unique_id=link,
                enclosures=self.item_enclosures(item),
                pubdate=self.item_pubdate(item),
                updateddate=self.item_updateddate(item),
                categories=self.item_categories(item),
                **self.item_extra_kwargs(item),
            )
        return feed

    def link(self, obj):
        return absolute_url(obj.get_absolute_url() if obj is not None else reverse("articles:home"))

    def item_enclosures(self, item):
        return []

    def item_categories(self, item):
        return []


#: What an item reads of its story (``QuerySet.values``).
STORY_COLUMNS = ("pk", "headline", "slug", "dek", "body", "published_at", "created_at", "updated_at", "image", "credit")


def _story_rows(articles):
    return articles.values(*STORY_COLUMNS)[:FEED_ITEMS]


@prepared(plan_once=True)
def _newest(now):
    return _story_rows(Article.objects.published(now))


@prepared(plan_once=True)
def _newest_in_section(section, now):
    return _story_rows(Article.objects.published(now).filter(section=section))


@prepared
def _newest_tagged(tag, content_type, now):
    return _story_rows(Article.objects.published(now).tagged(tag, content_type))


@prepared
def _newest_by(author, now):
    return _story_rows(Article.objects.published(now).filter(authorships__author=author))


class SiteFeed(NewsFeed):
    """The newest stories; each item is a row of ``STORY_COLUMNS`` with its ``bylines``, ``tags`` and ``url``."""

    def stories(self, obj, now) -> list[dict]:
        """The newest stories of ``obj`` public at ``now``, as rows (a prepared query per kind of feed)."""
        return _newest(now=now)

    def items(self, obj):
        """The stories, with their bylines and tag names (read as values, one query each) and addresses."""
        rows = self.stories(obj, timezone.now())
        ids = [row["pk"] for row in rows]
        bylines, tags, url = bylines_of(ids), tag_names_of(ids), article_urls()
        for row in rows:
            row["bylines"], row["tags"] = bylines[row["pk"]], tags[row["pk"]]
            row["url"] = url(row["slug"], row["published_at"], row["created_at"])
        return rows

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return f"The latest news from {settings.SITE_NAME}."

    def feed_url(self, obj):
        return absolute_url(feed_url(obj, self.kind))

    def item_title(self, item):
        return item["headline"]

    def item_description(self, item):
        return summary_of(item["dek"], item["body"])

    def item_link(self, item):
        return absolute_url(item["url"])

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["updated_at"]

    def item_categories(self, item):
        return item["tags"]

    def item_enclosures(self, item):
        return image_enclosures(item["image"])

    def item_extra_kwargs(self, item):
        return {"authors": item["bylines"], "content": item["body"], "credit": item["credit"]}


class SectionFeed(SiteFeed):
    def get_object(self, request, slug):
        return get_object_or_404(with_public_stories(Section.objects.all()), slug=slug)

    def stories(self, obj, now):
        return _newest_in_section(section=obj.pk, now=now)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories from {settings.SITE_NAME}."


class TagFeed(SiteFeed):
    def get_object(self, request, slug):
        return get_object_or_404(with_public_stories(Tag.objects.all()), slug=slug)

    def stories(self, obj, now):
        return _newest_tagged(tag=obj.pk, content_type=article_type_id(), now=now)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return f"Stories tagged {obj.name} on {settings.SITE_NAME}."

    def link(self, obj):
        return absolute_url(tag_url(obj))


class AuthorFeed(SiteFeed):
    def get_object(self, request, slug):
        return get_object_or_404(with_public_stories(Author.objects.all()), slug=slug)

    def stories(self, obj, now):
        return _newest_by(author=obj.pk, now=now)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return f"Stories by {obj.name} on {settings.SITE_NAME}."


class LiveFeed(NewsFeed):
    """A live page's posted updates, newest first; each item links to the update's permalink."""

    def get_object(self, request, year, month, day, slug):
        article = get_object_or_404(Article.objects.published().filter(is_live=True), slug=slug)
        if not request.path.startswith(live_path(article)):
            raise Http404("No live page here.")
        return article

    def items(self, obj):
        return obj.live_updates.posted().newest_first()[:FEED_ITEMS]

    def title(self, obj):
        return f"{obj.headline} · {settings.SITE_NAME}"

    def description(self, obj):
        return obj.summary

    def feed_url(self, obj):
        return absolute_url(f"{live_path(obj)}{self.kind}/")

    def item_title(self, item):
        return item.summary

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.posted_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_enclosures(self, item):
        return image_enclosures(item.image.name)

    def item_extra_kwargs(self, item):
        return {"authors": [], "content": item.body, "credit": item.article.credit}


class CorrectionsFeed(NewsFeed):
    """Every correction to a public story, newest first: the public record of what we got wrong."""

    formats = {"rss": RssFeed, "atom": AtomFeed}

    def items(self, obj):
        return Correction.objects.public()[:FEED_ITEMS]

    def title(self, obj):
        return f"Corrections · {settings.SITE_NAME}"

    def description(self, obj):
        return f"Corrections to stories published by {settings.SITE_NAME}, newest first."

    def link(self, obj):
        return absolute_url(reverse("articles:corrections"))

    def feed_url(self, obj):
        return absolute_url(reverse(f"articles:corrections-feed-{self.kind}"))

    def item_title(self, item):
        return f"Correction: {item.article.headline}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at


def corrections_feed_links() -> list[dict]:
    return feed_links(f"{settings.SITE_NAME}: corrections", lambda kind: reverse(f"articles:corrections-feed-{kind}"))
