"""HTML fragments the public templates print: bylines and datelines."""

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
    if not authors:
        return mark_safe("")
    links = [format_html('<a href="{}" rel="author">{}</a>', *_name_and_url(author)[::-1]) for author in authors]
    if len(links) > 1:
        links = [", ".join(links[:-1]), links[-1]]
    return format_html('<span class="byline">By {}</span>', mark_safe(" and ".join(links)))  # noqa: S308 - parts escaped


def _name_and_url(author) -> tuple[str, str]:
    if isinstance(author, tuple):
        name, slug = author
        return name, page_url("articles:author", slug=slug)
    return author.name, author.get_absolute_url()
