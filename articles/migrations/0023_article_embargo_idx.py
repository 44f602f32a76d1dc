"""An index of the embargoed stories, which ``publication_moments`` reads to know when the next one
goes public. Built concurrently on PostgreSQL: a live archive keeps taking writes."""

from django.db import migrations, models

INDEX = models.Index(
    fields=["embargoed_until"], condition=models.Q(embargoed_until__isnull=False), name="article_embargo_idx"
)


def index_operation(method: str):
    """``schema_editor.add_index`` or ``remove_index`` of ``INDEX``, concurrently on PostgreSQL."""

    def run(apps, schema_editor):
        options = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
        getattr(schema_editor, method)(apps.get_model("articles", "Article"), INDEX, **options)

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0022_text_match_cost")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(index_operation("add_index"), index_operation("remove_index"), elidable=False)
            ],
            state_operations=[migrations.AddIndex(model_name="article", index=INDEX)],
        )
    ]
