"""What the public templates print: bylines, datelines and local times."""

from datetime import datetime
from functools import lru_cache

from django.urls import get_script_prefix
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.links import page_url


def with_dateline(body: str, dateline: str) -> SafeString:
    """Lead the first paragraph of a sanitised ``body`` with "PLACE —", as papers print it."""
    if not dateline:
        return mark_safe(body)  # noqa: S308 - bodies are sanitised on save
    lead = format_html('<span class="dateline">{} —</span> ', dateline.upper())
    if body.startswith("<p>"):
        return mark_safe(f"<p>{lead}{body[3:]}")  # noqa: S308
    return mark_safe(f"<p>{lead}</p>{body}")  # noqa: S308


def byline(authors) -> SafeString:
    """ "By A, B and C", each name linking to the author's page; ``authors`` are authors or
    (name, slug) pairs."""
    pairs = tuple(author if isinstance(author, tuple) else (author.name, author.slug) for author in authors)
    return _byline(pairs, get_script_prefix()) if pairs else mark_safe("")


@lru_cache(maxsize=4096)
def _byline(authors: tuple[tuple[str, str], ...], script_prefix: str) -> SafeString:
    """Remembered: a list page prints dozens of bylines, most of them printed on the last request too."""
    links = [format_html('<a href="{}" rel="author">{}</a>', page_url("articles:author", slug=slug), name)
             for name, slug in authors]  # fmt: skip
    if len(links) > 1:
        links = [", ".join(links[:-1]), links[-1]]
    return format_html('<span class="byline">By {}</span>', mark_safe(" and ".join(links)))  # noqa: S308 - parts escaped


@lru_cache(maxsize=8192)
def local_time(value, format_string: str, zone, language) -> str:
    """``value`` in Django's date format, in ``zone`` (the active time zone) and ``language`` (which
    names its months). Remembered: a list page prints two times a story, most printed on the last
    request too."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    return dateformat.format(value, format_string)
