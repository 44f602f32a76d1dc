"""An index for joining an article to its tags on PostgreSQL.

Article ids are ``bigint`` and taggit's ``object_id`` an ``integer``, so Django
joins them on ``object_id::bigint``, which the plain ``object_id`` index cannot
serve: related reading sorted every item of the article's tags. On the cast,
with the tag, the join walks both indexes in id order and stops early.
Built concurrently: a live archive's tagging table keeps taking writes.
"""

from django.db import migrations

INDEX = "taggeditem_article_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON taggit_taggeditem ((object_id::bigint), tag_id, content_type_id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0020_incoming_queue"), ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
