"""The Jinja2 environment of the public pages (the admin keeps Django's templates).

Jinja2 compiles a template to Python once, where Django's engine walks its node tree on every
render: a list page prints dozens of cards, and the walk cost more than the rest of the page.
The globals and filters below are the few the public templates use, with Django's meaning.
"""

from django.core.files.storage import default_storage
from django.template.defaultfilters import linebreaks_filter, linebreaksbr, truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from jinja2 import Environment

from articles.images import srcset
from articles.links import page_url, static_url
from articles.markup import byline, local_time, with_dateline


def date(value, format_string: str) -> str:
    """Django's ``date`` filter: the local time in Django's format syntax ("j F Y, H:i T")."""
    if not value:
        return ""
    return local_time(value, format_string, timezone.get_current_timezone(), get_language())


def querystring(request, **changes) -> str:
    """Django's ``{% querystring %}``: this request's query string with ``changes`` applied."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    return f"?{query.urlencode()}"


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals |= {
        # Every page links to the same few named pages: reversed once (``page_url``), not per render.
        "url": lambda name, *args, **kwargs: reverse(name, args=args) if args else page_url(name, **kwargs),
        "static": static_url,
        "media_url": lambda name: default_storage.url(name),  # the storage of now: tests swap it
        "querystring": querystring,
        "srcset": srcset,
        "byline": byline,
        "now": timezone.localtime,
    }
    env.filters |= {
        "date": date,
        "with_dateline": with_dateline,
        "truncatechars": truncatechars,
        "linebreaks": lambda value: linebreaks_filter(value, autoescape=True),
        "linebreaksbr": lambda value: linebreaksbr(value, autoescape=True),
    }
    return env
