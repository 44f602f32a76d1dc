"""What search engines and social networks read: JSON-LD ``NewsArticle``, Open Graph and Twitter cards.

Built in Python and serialised with ``json.dumps`` so no template can produce
broken or unsafe JSON; ``<``, ``>`` and ``&`` are escaped as in Django's
``json_script``, so a headline cannot close the ``<script>`` element.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .links import absolute_url, logo_url
from .models import Article, Author

JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class PageMeta:
    """Title, description, canonical link and sharing tags of one public page."""

    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    #: A story's own picture earns the large card; the logo does not.
    twitter_card: str = "summary"
    #: Extra Open Graph ``(property, content)`` pairs, e.g. ``article:tag``.
    properties: list[tuple[str, str]] = field(default_factory=list)


def listing_meta(*, title: str, description: str, path: str) -> PageMeta:
    return PageMeta(title=title, description=description, canonical=absolute_url(path), image=logo_url())


def _image_url(article: Article) -> str:
    return absolute_url(article.image.url) if article.image else ""


def article_meta(article: Article, *, authors: list[Author], tags: list) -> PageMeta:
    properties = [("article:published_time", article.published_at.isoformat())] if article.published_at else []
    properties.append(("article:modified_time", article.updated_at.isoformat()))
    if article.section:
        properties.append(("article:section", article.section.name))
    properties += [("article:author", absolute_url(author.get_absolute_url())) for author in authors]
    properties += [("article:tag", tag.name) for tag in tags]
    return PageMeta(
        title=article.headline,
        description=article.summary,
        canonical=absolute_url(article.get_absolute_url()),
        og_type="article",
        image=_image_url(article) or logo_url(),
        image_alt=article.image_alt if article.image else "",
        twitter_card="summary_large_image" if article.image else "summary",
        properties=properties,
    )


def news_article(article: Article, *, authors: list[Author], tags: list, corrections: list) -> dict:
    """The schema.org ``NewsArticle`` for ``article``, its bylines, tags and corrections."""
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": article.summary,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
            "logo": {"@type": "ImageObject", "url": logo_url()},
        },
        "image": [_image_url(article) or logo_url()],
        "articleSection": article.section.name if article.section else None,
        "keywords": [tag.name for tag in tags],
        "contentLocation": {"@type": "Place", "name": article.dateline} if article.dateline else None,
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
        "sourceOrganization": {"@type": "Organization", "name": article.credit} if article.credit else None,
        "creditText": article.credit,
        "copyrightNotice": article.copyright_notice,
        "correction": correction_comments(article, corrections),
    }
    return _without_empty(data)


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def live_blog_posting(news: dict, article: Article, updates: list) -> dict:
    """A live page's ``NewsArticle`` as a ``LiveBlogPosting`` with its posted updates (``liveBlogUpdate``)."""
    posts = [
        _without_empty({
            "@type": "BlogPosting",
            "headline": update.summary,
            "url": absolute_url(update.get_absolute_url()),
            "datePublished": update.posted_at.isoformat(),
            "dateModified": update.updated_at.isoformat(),
            "articleBody": update.text,
            "image": absolute_url(update.image.url) if update.image else None,
        })
        for update in updates
    ]  # fmt: skip
    return _without_empty(news | {
        "@type": "LiveBlogPosting",
        "coverageStartTime": news.get("datePublished"),
        "coverageEndTime": article.live_ended_at.isoformat() if article.live_ended_at else None,
        "liveBlogUpdate": posts,
    })  # fmt: skip


def correction_comments(article: Article, corrections: list) -> list[dict]:
    """Each correction (not update) as a ``CorrectionComment``."""
    return [
        {"@type": "CorrectionComment", "text": correction.text, "datePublished": correction.created_at.isoformat(),
         "url": absolute_url(f"{article.get_absolute_url()}#correction-{correction.pk}")}
        for correction in corrections
        if correction.kind == correction.Kind.CORRECTION
    ]  # fmt: skip


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
