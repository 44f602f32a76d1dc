"""Sitemaps (an index of monthly article maps, sections, tags, authors), Google News and robots.txt."""

import calendar
import math
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .caching import shared
from .links import absolute_url, tag_url
from .models import Article, Author, Section
from .params import validate_date
from .selectors import STORY_RELATIONS, with_public_stories

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most this many URLs per sitemap
#: How stale the index's entries for past months may be (seconds).
SITEMAP_ARCHIVE_SECONDS = 3600


class PublicSitemap(Sitemap):
    """Locations on ``SITE_URL``, not on whatever host the crawler asked."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return item.lastmod


class ArticleMonthSitemap(PublicSitemap):
    def __init__(self, year: int, month: int):
        self.start = timezone.make_aware(datetime(year, month, 1))
        self.end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=self.start, published_at__lt=self.end)
            .only("slug", "published_at", "created_at", "updated_at")
            .order_by("published_at", "pk")
        )

    def lastmod(self, item):
        return item.updated_at


class EntitySitemap(PublicSitemap):
    """The sections, tags or authors with a public story, each dated by its latest story's update.

    One grouped query over the public stories (0.9 s for 2,000 tags at a
    million articles); a subquery per tag took 97 s there.
    """

    model: type

    def has_items(self) -> bool:
        """Whether any has a public story: asked from their side, a probe of an index each until one
        does, not a walk through the articles."""
        return with_public_stories(self.model.objects.all()).exists()

    def addressable(self):
        """The rows that have an address to list."""
        return self.model.objects.all()

    def items(self):
        relation = STORY_RELATIONS[self.model]
        public = Article.objects.published().filter(**{f"{relation}__isnull": False})
        lastmods = dict(public.values_list(relation).annotate(Max("updated_at")).order_by())
        items = list(self.addressable().filter(pk__in=list(lastmods)).order_by("pk"))
        for item in items:
            item.lastmod = lastmods[item.pk]
        return items


class SectionSitemap(EntitySitemap):
    model = Section


class TagSitemap(EntitySitemap):
    model = Tag

    def addressable(self):
        return Tag.objects.exclude(slug="")  # see tag_url()

    def location(self, item):
        return tag_url(item)


class AuthorSitemap(EntitySitemap):
    model = Author


def news_language(code: str) -> str:
    """Google News wants an ISO 639 code: "en" for "en-GB", but "zh-cn" and "zh-tw" whole."""
    code = code.lower().replace("_", "-")
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


class NewsSitemap(PublicSitemap):
    """Google News: the stories of the last 48 hours (templates/sitemaps/news.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        articles = list(
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .only("headline", "slug", "language", "published_at", "created_at", "updated_at")
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )
        for article in articles:
            article.news_language = news_language(article.language or settings.SITE_LANGUAGE)
        return articles

    def lastmod(self, item):
        return item.updated_at


ENTITY_SITEMAPS = {"sections": SectionSitemap, "tags": TagSitemap, "authors": AuthorSitemap}


def sitemap_for(section: str) -> Sitemap:
    """The sitemap called ``section`` in the index: "articles-2025-11", "sections", "tags" or "authors"."""
    if section in ENTITY_SITEMAPS:
        return ENTITY_SITEMAPS[section]()
    prefix, _, month = section.partition("-")
    try:
        first = datetime.strptime(month, "%Y-%m").date()
        validate_date(first)
        validate_date(first.replace(day=calendar.monthrange(first.year, first.month)[1]))
    except (ValueError, ValidationError):
        raise Http404("No such sitemap.") from None
    if prefix != "articles":
        raise Http404("No such sitemap.")
    return ArticleMonthSitemap(first.year, first.month)


def _index_entries(section: str, lastmod, count: int) -> list[sitemap_views.SitemapIndexItem]:
    location = absolute_url(reverse("articles:sitemap-section", kwargs={"section": section}))
    pages = max(1, math.ceil(count / Sitemap.limit))
    return [sitemap_views.SitemapIndexItem(location, lastmod)] + [
        sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod) for page in range(2, pages + 1)
    ]


def _month_rows(articles) -> list[dict]:
    return list(
        articles.annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(lastmod=Max("updated_at"), count=Count("pk"))
        .order_by("-month")
    )


def _months() -> list[dict]:
    """Each month's ``lastmod`` and story count, newest first.

    Counting every month reads the whole archive, so the months before this
    one are counted at most once every ``SITEMAP_ARCHIVE_SECONDS``; this
    month, where the news is, is counted on every request.
    """
    public = Article.objects.published()
    this_month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    key = f"sitemaps:months-before:{this_month:%Y-%m}"
    earlier = shared.call("get", key)  # None too when the cache is away: then counted now
    if earlier is None:
        earlier = _month_rows(public.filter(published_at__lt=this_month))
        shared.call("set", key, earlier, SITEMAP_ARCHIVE_SECONDS)
    return _month_rows(public.filter(published_at__gte=this_month)) + earlier


@require_safe
def index(request):
    """The sitemap index: a few small queries, however long the archive."""
    entries = []
    months = _months()
    for row in months:
        entries += _index_entries(f"articles-{row['month']:%Y-%m}", row["lastmod"], row["count"])
    # Section, tag and author pages change whenever one of their stories does.
    latest = max((row["lastmod"] for row in months), default=None)
    for name, sitemap in ENTITY_SITEMAPS.items():
        if sitemap().has_items():
            # All the rows, an upper bound: counting only those with public stories reads the archive.
            entries += _index_entries(name, latest, sitemap.model.objects.count())
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
    if latest:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


@require_safe
def section(request, section: str):
    return sitemap_views.sitemap(request, {section: sitemap_for(section)}, section=section)


@require_safe
def news(request):
    return sitemap_views.sitemap(request, {"news": NewsSitemap()}, template_name="sitemaps/news.xml")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('articles:sitemap'))}",
        f"Sitemap: {absolute_url(reverse('articles:news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
