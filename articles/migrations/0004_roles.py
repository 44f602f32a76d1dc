from django.contrib.auth.management import create_permissions
from django.db import migrations


def add_role_groups(apps, schema_editor):
    from articles.roles import create_roles

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_label in ("articles", "taggit"):
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None

    create_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(add_role_groups, migrations.RunPython.noop)]
