"""The ceiling: what Django alone serves on this machine, without the database."""

from datetime import UTC, datetime

from django.http import HttpResponse
from django.template import engines

PAGE = engines["django"].from_string(
    """{% load static %}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="{% static 'css/site.css' %}"></head>
<body><main><h1>{{ title }}</h1>
{% for item in items %}<article class="card"><h2><a href="/item/{{ item.slug }}/">{{ item.headline }}</a></h2>
<p class="meta">By {{ item.author }} · <time>{{ item.when|date:"j M Y, H:i" }}</time></p></article>
{% endfor %}</main></body></html>"""
)
ITEMS = [
    {
        "slug": f"story-{i}",
        "headline": f"Headline number {i}",
        "author": "A. Writer",
        "when": datetime(2025, 1, 1, 12, i, tzinfo=UTC),
    }
    for i in range(12)
]


def bare(request):
    return HttpResponse("Hello from a bare Django view.")


def sized(request, size: int):
    """A bare view sending ``size`` bytes: the ceiling for a cached page of that size."""
    return HttpResponse(b"x" * min(size, 10_000_000))


def template(request):
    return HttpResponse(PAGE.render({"title": "Bare template", "items": ITEMS}, request))
