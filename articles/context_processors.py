from django.conf import settings

from .models import Section


def site(request):
    """Site name, URL and section navigation (a lazy queryset) for every template."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": Section.objects.all(),
    }
