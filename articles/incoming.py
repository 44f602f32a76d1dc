"""The wire desk's Incoming queue: take, spike, restore, merge and kill agency copy.

Which stories are in the queue is ``Article.objects.incoming()``. Every action
asks ``articles.policy`` whether this user may, whatever page it came from.
Taking, spiking and restoring are desk state, not edits: they make no new
version of the story, so nobody's open form goes stale.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .ingest import versions
from .models import Article, WireVersion


def _locked(article: Article, user: AbstractBaseUser) -> Article:
    locked = Article.objects.select_for_update(of=("self",)).select_related("source").get(pk=article.pk)
    if not policy.can_change(user, locked):
        raise PermissionDenied(_("You may not change “%s”.") % locked.headline)
    return locked


@transaction.atomic
def take(*, article: Article, user: AbstractBaseUser) -> Article:
    """``user`` takes the story: it is theirs to edit, and the queue says so."""
    article = _locked(article, user)
    if article.spiked_at:
        raise ValidationError(_("“%s” is spiked; restore it first.") % article.headline)
    article.assignee = user
    Article.objects.filter(pk=article.pk).update(assignee=user)
    return article


@transaction.atomic
def spike(*, article: Article, user: AbstractBaseUser) -> Article:
    """Out of the queue, kept as it is, and never public until someone restores it."""
    article = _locked(article, user)
    if article.status == Article.Status.PUBLISHED:
        raise ValidationError(_("“%s” is published or scheduled; unpublish it first.") % article.headline)
    if not article.spiked_at:
        article.spiked_at, article.spiked_by = timezone.now(), user
        Article.objects.filter(pk=article.pk).update(spiked_at=article.spiked_at, spiked_by=user)
    return article


@transaction.atomic
def restore(*, article: Article, user: AbstractBaseUser) -> Article:
    """A spiked story goes back to the queue."""
    article = _locked(article, user)
    article.spiked_at = article.spiked_by = None
    Article.objects.filter(pk=article.pk).update(spiked_at=None, spiked_by=None)
    return article


@transaction.atomic
def kill(*, article: Article, user: AbstractBaseUser) -> Article:
    """The desk withdraws the story, as an agency's kill does (``ingest.versions.kill``)."""
    article = _locked(article, user)
    versions.kill(article, user=user)
    return article


class MergeAs:
    VERSION = "version"
    SOURCE = "source"


@transaction.atomic
def merge(*, story: Article, into: Article, user: AbstractBaseUser, merge_as: str) -> Article:
    """Merge a queue story into an existing one, and spike it (kept, restorable).

    As a **version**, its latest copy waits on ``into`` for an editor to apply
    or dismiss, like an agency's update; as a **source**, the two are linked as
    reports of the same event (``also_reported_by``). Either way they are linked.
    """
    if story.pk == into.pk:
        raise ValidationError(_("A story cannot be merged into itself."))
    story, into = _locked(story, user), _locked(into, user)
    if into.wire_canceled:
        raise ValidationError(_("“%s” was killed; merge into another story.") % into.headline)
    if merge_as == MergeAs.VERSION:
        copy = story.wire_versions.exclude(state=WireVersion.State.KILL).first()
        if copy is None:
            raise ValidationError(_("“%s” has no wire copy to merge as a version.") % story.headline)
        WireVersion.objects.create(
            article=into,
            filename=copy.filename,
            format=copy.format,
            agency_version=copy.agency_version,
            sent_at=copy.sent_at,
            parsed=copy.parsed | {"merged_from": story.pk},
            raw=copy.raw,
            state=WireVersion.State.WAITING,
        )
        into.wire_update_available = True
        into.save(update_fields=["wire_update_available", "updated_at", "version"])
    elif merge_as != MergeAs.SOURCE:
        raise ValidationError(_("Merge as a version or as a source."))
    into.also_reported_by.add(story)
    spike(article=story, user=user)
    return into
