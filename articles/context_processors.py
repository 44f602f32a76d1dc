from django.conf import settings

from .models import Section
from .selectors import with_public_stories


def site(request):
    """Site name, URL and section navigation (a lazy queryset) for every template."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # A section's page is 404 until it has a public story: no link to it before then.
        "nav_sections": with_public_stories(Section.objects.all()),
    }
