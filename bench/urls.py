"""The site's URLs plus the two ceiling views; used only through ``bench.settings``."""

from django.urls import path

from bench import views
from newsroom import urls as site

urlpatterns = [
    path("_bench/bare/", views.bare),
    path("_bench/template/", views.template),
    path("_bench/bytes/<int:size>/", views.sized),
    *site.urlpatterns,
]

for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(site, _name):
        globals()[_name] = getattr(site, _name)
