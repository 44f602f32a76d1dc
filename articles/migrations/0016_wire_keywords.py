"""Agency keywords kept on the article (not made into tags), and the agency spellings that lived in
``wire/meta.py`` added to the agencies' rows.

The spellings are copied in, as they were when this migration was written.
"""

from django.db import migrations, models

#: Spellings found in metadata that the built-in agencies' rows did not list yet.
NEW_SPELLINGS = {
    "Reuters": ["reuters.com"],
    "AFP": ["afp.com"],
    "dpa": ["Deutsche Presse Agentur"],
    "ANSA": ["ansa.it"],
    "STT": ["STT-Lehtikuva"],
    "TT": ["tt.se"],
    "WENN": ["WENN"],
}


def add_spellings(apps, schema_editor):
    WireSource = apps.get_model("articles", "WireSource")
    WireSource.objects.get_or_create(name="WENN", defaults={"aliases": "WENN"})
    for source in WireSource.objects.filter(name__in=NEW_SPELLINGS):
        lines = source.aliases.splitlines()
        known = {line.strip().casefold() for line in lines}
        missing = [spelling for spelling in NEW_SPELLINGS[source.name] if spelling.casefold() not in known]
        if missing:
            source.aliases = "\n".join([*lines, *missing]).strip()
            source.save(update_fields=["aliases"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_article_headline_upper_idx'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='wire_keywords',
            field=models.JSONField(blank=True, default=list, editable=False, help_text="The agency's keywords and subjects: for the desk and tag suggestions, never shown to readers.", verbose_name='agency keywords'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='wire_keywords',
            field=models.JSONField(blank=True, default=list, editable=False, help_text="The agency's keywords and subjects: for the desk and tag suggestions, never shown to readers.", verbose_name='agency keywords'),
        ),
        migrations.AlterField(
            model_name='wiresource',
            name='active',
            field=models.BooleanField(default=True, help_text="Only active agencies' rules are applied. An agency first met in a story's metadata is added inactive: check its name and rules, then activate it.", verbose_name='active'),
        ),
        migrations.RunPython(add_spellings, migrations.RunPython.noop),
    ]
