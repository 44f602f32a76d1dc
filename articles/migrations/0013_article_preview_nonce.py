"""A per-article nonce signed into preview links, so links can be revoked.

Existing rows start with one shared value: a link also signs the article's id,
and every revocation gives that article a nonce of its own. Links made before
this migration (which signed the id alone) stop working.
"""

import articles.models.content
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_ingest_channels"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="preview_nonce",
            field=models.CharField(
                default=articles.models.content.new_preview_nonce,
                editable=False,
                help_text="Signed into preview links; a new one makes every link shared so far stop working.",
                max_length=32,
            ),
        ),
    ]
