"""Tell PostgreSQL what matching a story's search vector costs.

Search reads the newest matches (``ORDER BY published_at DESC LIMIT``). PostgreSQL may walk the
``published_at`` index testing each story's vector, which stops early for a common word, or read the
matches through the GIN index and sort them, which is right for a rare one. It prices the test at one
operator (``ts_match_vq`` costs 1), where reading a story's vector out of TOAST takes about 8 µs, some
300 operators' worth, and a word missing from its statistics gets an estimate of up to 0.5% of the
stories: so it walked. At 1,000,000 articles a search for a word no story holds walked all 940,052
public stories (7 s). At cost 300 the same search reads the GIN index, and common words still walk.

The function belongs to the server's superuser: where the migration's user cannot alter it, it says
so and carries on (the README's Deploying section gives the statement). ``pg_dump`` does not keep it.
"""

import warnings

from django.db import ProgrammingError, migrations, transaction

MATCH = "pg_catalog.ts_match_vq(tsvector, tsquery)"
COST, DEFAULT_COST = 300, 1


def set_cost(cost):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=connection.alias):
                schema_editor.execute(f"ALTER FUNCTION {MATCH} COST {cost}")
        except ProgrammingError as error:  # not the function's owner
            warnings.warn(
                f"Search on PostgreSQL: could not run ALTER FUNCTION {MATCH} COST {cost} ({error}). "
                "Run it as the server's superuser, or a search for a rare word may walk the whole archive.",
                stacklevel=1,
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_taggeditem_article_idx")]

    operations = [migrations.RunPython(set_cost(COST), set_cost(DEFAULT_COST), elidable=False)]
