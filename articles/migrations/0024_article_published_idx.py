"""An index of the public stories' ids, which related reading walks near an article where its tags
are common (``related._candidates``), skipping the drafts among them. Built concurrently on
PostgreSQL: a live archive keeps taking writes."""

from django.db import migrations, models

from articles.migrations._concurrently import add_article_index


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0023_article_embargo_idx")]

    operations = [
        add_article_index(
            models.Index(fields=["id"], condition=models.Q(status="published"), name="article_published_idx")
        )
    ]
