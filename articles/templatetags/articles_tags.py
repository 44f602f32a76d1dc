from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
