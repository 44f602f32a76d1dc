from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .caching import connect_signals
        from .models import Article
        from .revisions import keep_parts

        connect_signals()
        pre_create_historical_record.connect(keep_parts, sender=Article.history.model, dispatch_uid="revision-parts")
