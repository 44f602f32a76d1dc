"""The desk's roles, as permission lists; a data migration creates the groups.

What a role may do is decided in ``articles.policy``, which the admin
(``ArticleAdmin``, its form, actions and history revert) and the services ask;
it is enforced there, not only hidden in the page.
"""

REPORTERS = "Reporters"
EDITORS = "Editors"
WIRE_DESK = "Wire desk"

_BYLINE_AND_LINKS = [
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
]

#: Who may change a story may add to its live coverage (``articles.policy.can_change_live_updates``).
_LIVE_UPDATES = ["add_liveupdate", "change_liveupdate", "delete_liveupdate", "view_liveupdate"]

ROLE_PERMISSIONS = {
    REPORTERS: ["view_article", "add_article", "change_article", *_BYLINE_AND_LINKS, *_LIVE_UPDATES],
    WIRE_DESK: [
        "view_article",
        "change_article",
        "import_wire",
        "view_wiresource",
        "view_importrun",
        "view_importedfile",
        *_BYLINE_AND_LINKS,
    ],
    EDITORS: [
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
        *_BYLINE_AND_LINKS,
        *_LIVE_UPDATES,
    ],
}
#: taggit's permissions every role needs to pick and add tags.
TAG_PERMISSIONS = ["view_tag", "add_tag"]


def create_roles(group_model, permission_model) -> None:
    """Create (or complete) the role groups; takes the models so migrations can pass historical ones."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(content_type__app_label="articles", codename__in=codenames),
            *permission_model.objects.filter(content_type__app_label="taggit", codename__in=TAG_PERMISSIONS),
        )
