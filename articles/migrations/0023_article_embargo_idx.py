"""An index of the embargoed stories, which ``publication_moments`` reads to know when the next one
goes public. Built concurrently on PostgreSQL: a live archive keeps taking writes."""

from django.db import migrations, models

INDEX = models.Index(
    fields=["embargoed_until"], condition=models.Q(embargoed_until__isnull=False), name="article_embargo_idx"
)


def create_index(apps, schema_editor):
    model = apps.get_model("articles", "Article")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(model, INDEX, concurrently=True)
    else:
        schema_editor.add_index(model, INDEX)


def drop_index(apps, schema_editor):
    model = apps.get_model("articles", "Article")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(model, INDEX, concurrently=True)
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0022_text_match_cost")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create_index, drop_index, elidable=False)],
            state_operations=[migrations.AddIndex(model_name="article", index=INDEX)],
        )
    ]
