"""An index of the embargoed stories, which ``publication_moments`` reads to know when the next one
goes public. Built concurrently on PostgreSQL: a live archive keeps taking writes."""

from django.db import migrations, models

from articles.migrations._concurrently import add_article_index


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0022_text_match_cost")]

    operations = [
        add_article_index(
            models.Index(
                fields=["embargoed_until"],
                condition=models.Q(embargoed_until__isnull=False),
                name="article_embargo_idx",
            )
        )
    ]
