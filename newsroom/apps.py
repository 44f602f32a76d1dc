from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The site's own operations commands (backup, restore); no models."""

    name = "newsroom"
    verbose_name = "Newsroom site"
