from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom desk")
    site_title = _("Newsroom desk")
    index_title = _("Desk")
    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        from articles.dashboard import desk_dashboard

        extra_context = (extra_context or {}) | {"desk": desk_dashboard(request)}
        return super().index(request, extra_context)
