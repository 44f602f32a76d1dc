from django.urls import path, register_converter

from . import api, feeds, live, sitemaps, views
from .caching import cache_public_page as public  # anonymous readers are served from the page cache
from .params import SLUG_PATTERN
from .preview import PreviewView
from .ratelimit import rate_limited


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


class UnicodeSlugConverter:
    """Django's ``<slug:>`` takes ASCII only; names in any script have slugs like "zürich" or "東京"."""

    regex = SLUG_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TwoDigitConverter, "dd")
register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"


urlpatterns = [
    path("", public(views.HomeView.as_view()), name="home"),
    path("<int:year>/<dd:month>/<dd:day>/<uslug:slug>/", public(views.ArticleDetailView.as_view()), name="detail"),
    # A live page's fragment and feeds: under the article's address (``articles.live.live_path``).
    path("<int:year>/<dd:month>/<dd:day>/<uslug:slug>/live/", public(live.live_fragment), name="live"),
    path("<int:year>/<dd:month>/<dd:day>/<uslug:slug>/live/rss/", public(feeds.LiveFeed("rss")), name="live-feed-rss"),
    path(
        "<int:year>/<dd:month>/<dd:day>/<uslug:slug>/live/atom/", public(feeds.LiveFeed("atom")), name="live-feed-atom"
    ),
    path("section/<uslug:slug>/", public(views.SectionView.as_view()), name="section"),
    path("author/<uslug:slug>/", public(views.AuthorView.as_view()), name="author"),
    path("tag/<uslug:slug>/", public(views.TagView.as_view()), name="tag"),
    path("search/", public(rate_limited("SEARCH_RATE_LIMIT")(views.SearchView.as_view())), name="search"),
    path("corrections/", public(views.CorrectionsView.as_view()), name="corrections"),
    path("preview/<str:token>/", PreviewView.as_view(), name="preview"),
    # Feeds
    path("feeds/rss/", public(feeds.SiteFeed("rss")), name="feed-rss"),
    path("feeds/atom/", public(feeds.SiteFeed("atom")), name="feed-atom"),
    path("section/<uslug:slug>/rss/", public(feeds.SectionFeed("rss")), name="section-feed-rss"),
    path("section/<uslug:slug>/atom/", public(feeds.SectionFeed("atom")), name="section-feed-atom"),
    path("tag/<uslug:slug>/rss/", public(feeds.TagFeed("rss")), name="tag-feed-rss"),
    path("tag/<uslug:slug>/atom/", public(feeds.TagFeed("atom")), name="tag-feed-atom"),
    path("author/<uslug:slug>/rss/", public(feeds.AuthorFeed("rss")), name="author-feed-rss"),
    path("author/<uslug:slug>/atom/", public(feeds.AuthorFeed("atom")), name="author-feed-atom"),
    path("corrections/rss/", public(feeds.CorrectionsFeed("rss")), name="corrections-feed-rss"),
    path("corrections/atom/", public(feeds.CorrectionsFeed("atom")), name="corrections-feed-atom"),
    # Sitemaps and robots
    path("robots.txt", public(sitemaps.robots_txt), name="robots"),
    path("sitemap.xml", public(sitemaps.index), name="sitemap"),
    path("sitemap-<slug:section>.xml", public(sitemaps.section), name="sitemap-section"),
    path("news-sitemap.xml", public(sitemaps.news), name="news-sitemap"),
    # ninjs API for partners
    path("api/ninjs/", public(api.article_list), name="api-list"),
    path("api/ninjs/<int:pk>/", public(api.article_detail), name="api-detail"),
]
