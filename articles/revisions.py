"""Revisions: what each keeps beside the article's own fields, how one is restored, and what changed.

django-simple-history copies the article's row on every save. A story is more than its row, so each
copy also keeps the article's other rows in ``related`` (bylines in order, tags, related links and
corrections): restoring a revision brings back the story as readers saw it. Saves that change nothing a
reader or an editor can see (a form saved as it was, a time that lost its microseconds) leave no
revision, and the history page lists changes, not internals.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from taggit.models import TaggedItem

from . import policy
from .models import Article, Author, Authorship, Correction, RelatedLink
from .sanitize import strip_tags

#: What a revert brings back; everything else (publish time, embargo, kill, retraction, slug once
#: public, provenance) stays as it is now: a revert restores what the story said, not when or whether
#: it is public (``policy.PUBLISHER_FIELDS`` are read-only in the revert form).
RESTORED_FIELDS = (
    "headline", "kicker", "dek", "body", "dateline", "credits", "section", "status", "language", "credit",
    "copyright_notice", "needs_headline", "image", "image_width", "image_height", "image_caption", "image_credit",
    "image_alt",
)  # fmt: skip

PART_LABELS = {
    "bylines": gettext_lazy("Bylines"),
    "tags": gettext_lazy("Tags"),
    "related_links": gettext_lazy("Related reading"),
    "corrections": gettext_lazy("Corrections and updates"),
}


def revision_of(instance) -> "Article | None":
    """The historical record behind an article instance simple_history's revert view made, else None."""
    return getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


def parts(article_ids) -> dict:
    """Each article's other rows, as a revision keeps them: four queries for any number of articles."""
    kept = {pk: {name: [] for name in PART_LABELS} for pk in article_ids}
    bylines = (
        Authorship.objects.filter(article_id__in=kept)
        .select_related("author")
        .only("article_id", "author_id", "author__name")
    )
    for byline in bylines.order_by("article_id", "position", "pk"):
        kept[byline.article_id]["bylines"].append({"author": byline.author_id, "name": byline.author.name})
    taggings = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=kept
    ).values_list("object_id", "tag__name")
    for article_id, name in taggings.order_by("tag__name"):
        kept[article_id]["tags"].append(name)
    links = (
        RelatedLink.objects.filter(article_id__in=kept)
        .select_related("target")
        .only("article_id", "target_id", "url", "title", "target__headline")
    )
    for link in links.order_by("article_id", "position", "pk"):
        kept[link.article_id]["related_links"].append(
            {"target": link.target_id, "url": link.url, "title": link.title, "label": link.display_title}
        )
    for correction in Correction.objects.filter(article_id__in=kept).order_by("created_at", "pk"):
        kept[correction.article_id]["corrections"].append(
            {"id": correction.pk, "kind": correction.kind, "text": correction.text,
             "created_at": correction.created_at.isoformat(), "created_by": correction.created_by_id}
        )  # fmt: skip
    return kept


def keep_parts(sender, instance, history_instance, **kwargs) -> None:
    """pre_create_historical_record: every revision keeps the article's rows as they are at its save."""
    if history_instance.history_type == "+":  # nothing can point at a row not yet written
        history_instance.related = {name: [] for name in PART_LABELS}
    else:
        history_instance.related = parts([instance.pk])[instance.pk]


def keep_parts_of_bulk(records) -> None:
    """The importer writes revisions in bulk, with no signal: they keep the stories' rows as written."""
    kept = parts([record.id for record in records])
    for record in records:
        record.related = kept[record.id]
    Article.history.model.objects.bulk_update(records, ["related"])


def settle(article: Article) -> None:
    """After a save and everything saved with it (inlines, tags): the latest revision keeps the rows
    as they now are, and is dropped when it repeats the revision before (a save that changed nothing)."""
    latest, *previous = Article.history.filter(id=article.pk).order_by("-history_date", "-history_id")[:2]
    latest.related = parts([article.pk])[article.pk]
    if previous and not changes(latest, previous[0], display=False):
        latest.delete()
    else:
        latest.save(update_fields=["related"])


def keep_current(instance: Article, stored: Article) -> None:
    """Make the revert view's instance the stored article with only ``RESTORED_FIELDS`` from the revision;
    the slug then follows the restored headline until the story has gone public (``Article.save``)."""
    restored = {name: getattr(instance, Article._meta.get_field(name).attname) for name in RESTORED_FIELDS}
    for field in Article._meta.concrete_fields:
        setattr(instance, field.attname, getattr(stored, field.attname))
    for name, value in restored.items():
        setattr(instance, Article._meta.get_field(name).attname, value)
    instance._loaded = stored._loaded


@transaction.atomic
def restore_parts(*, article: Article, revision, user) -> None:
    """Bring back the revision's bylines (in order), tags and related links, and its corrections for those
    who may edit corrections. Authors and linked articles deleted since are left out. Revisions made
    before revisions kept these rows leave them as they are."""
    kept = revision.related
    if kept is None:
        return
    authors = set(Author.objects.filter(pk__in=[b["author"] for b in kept["bylines"]]).values_list("pk", flat=True))
    article.authorships.all().delete()
    Authorship.objects.bulk_create(
        Authorship(article=article, author_id=byline["author"], position=position)
        for position, byline in enumerate(b for b in kept["bylines"] if b["author"] in authors)
    )
    article.tags.set(kept["tags"])
    wanted = [link["target"] for link in kept["related_links"] if link["target"]]
    targets = set(Article.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    article.related_links.all().delete()
    links = [
        RelatedLink(article=article, target_id=target, url=link["url"], title=link["title"])
        for link in kept["related_links"]
        if (target := link["target"] if link["target"] in targets else None) or link["url"] or link["title"]
    ]
    for position, link in enumerate(links):
        link.position = position
    RelatedLink.objects.bulk_create(links)
    if policy.can_edit_corrections(user):
        article.corrections.exclude(pk__in=[c["id"] for c in kept["corrections"]]).delete()
        for correction in kept["corrections"]:
            Correction.objects.update_or_create(
                pk=correction["id"],
                article=article,
                defaults={"kind": correction["kind"], "text": correction["text"],
                          "created_at": datetime.fromisoformat(correction["created_at"]),
                          "created_by_id": correction["created_by"]},
            )  # fmt: skip


# What changed, for the history page


def _same(old, new) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(microsecond=0) == new.replace(microsecond=0)  # the form keeps whole seconds
    return old == new


def _shown(revision, field) -> str:
    value = getattr(revision, field.attname)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        try:
            return str(getattr(revision, field.name))
        except ObjectDoesNotExist:
            return _("(deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.name == "body":
        value = strip_tags(value)
    return Truncator(str(value)).chars(100)


#: Kept for the history page only: an author renamed or a linked story retitled is no change to this story.
DISPLAY_ONLY = ("name", "label")


def _facts(items: list) -> list:
    """A part's rows without what is kept only for display."""
    return [
        {key: value for key, value in item.items() if key not in DISPLAY_ONLY} if isinstance(item, dict) else item
        for item in items
    ]


def _part_shown(name: str, items: list) -> str:
    if name == "bylines":
        return ", ".join(b["name"] for b in items) or "—"
    if name == "tags":
        return ", ".join(items) or "—"
    if name == "related_links":
        return "; ".join(link["label"] for link in items) or "—"
    return "; ".join(Truncator(c["text"]).chars(60) for c in items) or "—"


def changes(new, old, *, display: bool = True) -> list[dict]:
    """What ``new`` (a revision) changed since ``old``: the editable fields and the kept rows, as
    ``{"field", "old", "new"}`` for the history page. A time that differs by less than a second and a
    row list that was not kept then are not changes."""
    tracked = {field.name for field in new.tracked_fields if field.editable}
    found = [
        (field.verbose_name, field, None)
        for field in Article._meta.concrete_fields
        if field.name in tracked and not _same(getattr(old, field.attname), getattr(new, field.attname))
    ]
    if old.related is not None and new.related is not None:
        found += [
            (PART_LABELS[name], None, name)
            for name in PART_LABELS
            if _facts(old.related[name]) != _facts(new.related[name])
        ]
    if not display:
        return found
    return [
        {"field": capfirst(label), "old": _shown(old, field), "new": _shown(new, field)}
        if field
        else {"field": label, "old": _part_shown(part, old.related[part]), "new": _part_shown(part, new.related[part])}
        for label, field, part in found
    ]


def parts_summary(revision) -> str:
    """The rows a revert of ``revision`` brings back, in one line for the revert form."""
    if revision.related is None:
        return _("This revision predates kept bylines and tags: a revert leaves them as they are.")
    return " · ".join(f"{PART_LABELS[name]}: {_part_shown(name, items)}" for name, items in revision.related.items())
