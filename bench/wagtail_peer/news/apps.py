from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "bench.wagtail_peer.news"
    label = "news"
    default_auto_field = "django.db.models.AutoField"
