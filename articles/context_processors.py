from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .selectors import public_sections


def site(request):
    """Site name, URL and the sections with a public story (read when shown) for every template.

    The navigation shows a view's ``nav_sections`` where it has them (the home page reads them anyway),
    else these: Jinja2 lets a context processor override the view's context, so it has a name of its own.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # A section's page is 404 until it has a public story: no link to it before then.
        "public_sections": SimpleLazyObject(public_sections),
    }
