"""The ``wagtail start`` URLs plus the same bare view as ours (the ratio's denominator)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from bench.wagtail_peer import views

urlpatterns = [
    path("_bench/bare/", views.bare),
    path("admin/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]
