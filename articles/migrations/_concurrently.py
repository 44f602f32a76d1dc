"""Index migrations for a live archive: on PostgreSQL an index is built (and dropped) concurrently,
so its table keeps taking writes while it is built. A migration using it is not atomic."""

from django.db import migrations


def add_article_index(index) -> migrations.SeparateDatabaseAndState:
    """``AddIndex`` of the article ``index``, built concurrently on PostgreSQL."""

    def run(method: str):
        def operation(apps, schema_editor):
            options = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
            getattr(schema_editor, method)(apps.get_model("articles", "Article"), index, **options)

        return operation

    return migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunPython(run("add_index"), run("remove_index"), elidable=False)],
        state_operations=[migrations.AddIndex(model_name="article", index=index)],
    )
