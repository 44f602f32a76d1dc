from django.db import migrations


def create_default_sources(apps, schema_editor):
    from articles.wire.agencies import DEFAULT_AGENCIES

    WireSource = apps.get_model("articles", "WireSource")
    for agency in DEFAULT_AGENCIES:
        WireSource.objects.get_or_create(
            name=agency.name,
            defaults={
                "aliases": "\n".join(agency.aliases),
                "boilerplate": "\n".join(agency.boilerplate),
                "credit_patterns": "\n".join(agency.credits),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_default_sources, migrations.RunPython.noop)]
