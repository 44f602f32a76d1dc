"""Absolute URLs on the public site address, whatever host a request came in on."""

from django.conf import settings
from django.templatetags.static import static


def absolute_url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def logo_url() -> str:
    return absolute_url(static("img/logo.png"))
