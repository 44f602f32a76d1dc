from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import images

register = template.Library()


@register.filter
def with_dateline(body: str, dateline: str):
    """Lead the first paragraph of a sanitised ``body`` with "PLACE —", as papers print it."""
    if not dateline:
        return mark_safe(body)  # noqa: S308 - bodies are sanitised on save
    lead = format_html('<span class="dateline">{} —</span> ', dateline.upper())
    if body.startswith("<p>"):
        return mark_safe(f"<p>{lead}{body[3:]}")  # noqa: S308
    return mark_safe(f"<p>{lead}</p>{body}")  # noqa: S308


@register.filter
def srcset(image, extension: str) -> str:
    """``srcset`` for an article image or author photo from its stored renditions."""
    instance = image.instance
    width = getattr(instance, image.field.width_field, None)
    height = getattr(instance, image.field.height_field, None)
    return images.srcset(image, width, height, extension)


@register.simple_tag
def byline(authors) -> str:
    """ "By A, B and C", each name linking to the author's page.

    A tag rather than an included template: list pages print dozens of bylines.
    """
    if not authors:
        return ""
    links = [format_html('<a href="{}" rel="author">{}</a>', a.get_absolute_url(), a.name) for a in authors]
    if len(links) > 1:
        links = [", ".join(links[:-1]), links[-1]]
    return format_html('<span class="byline">By {}</span>', mark_safe(" and ".join(links)))  # noqa: S308 - parts escaped
