"""The desk's role groups, with their permissions as they were when this migration was written.

The permission lists are copied in, not imported from ``articles.roles``: a
migration must do the same thing whenever it runs. ``articles.roles`` says
what a role may do now; ``articles.policy`` enforces it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Reporters": [
        "view_article",
        "add_article",
        "change_article",
        "view_author",
        "view_section",
        "add_authorship",
        "change_authorship",
        "delete_authorship",
        "view_authorship",
        "add_relatedlink",
        "change_relatedlink",
        "delete_relatedlink",
        "view_relatedlink",
    ],
    "Wire desk": [
        "view_article",
        "change_article",
        "import_wire",
        "view_wiresource",
        "view_importrun",
        "view_importedfile",
        "view_author",
        "view_section",
        "add_authorship",
        "change_authorship",
        "delete_authorship",
        "view_authorship",
        "add_relatedlink",
        "change_relatedlink",
        "delete_relatedlink",
        "view_relatedlink",
    ],
    "Editors": [
        "view_article",
        "add_article",
        "change_article",
        "delete_article",
        "publish_article",
        "import_wire",
        "add_author",
        "change_author",
        "add_section",
        "change_section",
        "add_correction",
        "change_correction",
        "delete_correction",
        "view_correction",
        "view_wiresource",
        "change_wiresource",
        "view_importrun",
        "view_importedfile",
        "view_author",
        "view_section",
        "add_authorship",
        "change_authorship",
        "delete_authorship",
        "view_authorship",
        "add_relatedlink",
        "change_relatedlink",
        "delete_relatedlink",
        "view_relatedlink",
    ],
}
TAG_PERMISSIONS = ["view_tag", "add_tag"]


def add_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_label in ("articles", "taggit"):
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames),
            *Permission.objects.filter(content_type__app_label="taggit", codename__in=TAG_PERMISSIONS),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(add_role_groups, migrations.RunPython.noop)]
