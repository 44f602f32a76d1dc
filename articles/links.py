"""URLs of public pages: reversed once per process, and absolute on the public site address."""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone


def page_url(viewname: str, **kwargs) -> str:
    """``reverse()``, remembered: a list page links to dozens of articles, authors and sections,
    and reversing each anew cost more than the rest of a card."""
    return _reverse(viewname, tuple(kwargs.items()), get_urlconf(settings.ROOT_URLCONF), get_script_prefix())


def article_url(slug: str, published_at, created_at=None) -> str:
    """A story's address: its (local) publish date, or the day it was written until it has one, and its slug."""
    return article_urls()(slug, published_at, created_at)


def article_urls():
    """``article_url`` for the many stories of one page, the time zone, URLconf and script prefix read
    once: each is a context-local lookup, and dozens of them cost more than the addresses."""
    zone, urlconf, prefix = timezone.get_current_timezone(), get_urlconf(settings.ROOT_URLCONF), get_script_prefix()

    def url(slug: str, published_at, created_at=None) -> str:
        when = timezone.localtime(published_at or created_at or timezone.now(), zone)
        day = (("year", when.year), ("month", f"{when.month:02d}"), ("day", f"{when.day:02d}"), ("slug", slug))
        return _reverse("articles:detail", day, urlconf, prefix)

    return url


def tag_url(tag) -> str | None:
    """A tag's page (taggit's ``Tag`` has no ``get_absolute_url``), or None when taggit found no slug
    in its name (emoji or punctuation only, as "🎉"): no address can name such a tag, so it is shown unlinked."""
    return page_url("articles:tag", slug=tag.slug) if tag.slug else None


@lru_cache(maxsize=20_000)
def _reverse(viewname: str, kwargs: tuple, urlconf: str, script_prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def absolute_url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def logo_url() -> str:
    return absolute_url(static_url("img/logo.png"))


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """``static()``, remembered: asking the manifest storage cost more than a card, a few times a page."""
    return static(path)


@receiver(setting_changed)
def _static_settings_changed(setting, **kwargs):
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES"):
        static_url.cache_clear()
