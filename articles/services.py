"""Workflows that change more than one field or touch more than one row.

Every path that changes ``status`` or ``published_at`` goes through here or
through the admin form, and both ask ``articles.policy`` who may.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import policy
from .models import Article, Correction, LiveUpdate
from .models.content import new_preview_nonce

PREVIEW_SALT = "articles.preview"


@transaction.atomic
def article_publish(*, article: Article, user: AbstractBaseUser | None = None, at=None) -> Article:
    """Publish now, or at ``at`` (a future time schedules the article).

    ``user=None`` is for trusted code (the importer's ``--publish``, the demo).
    """
    policy.require_publish(user)
    if blockers := policy.publish_blockers(article):
        raise ValidationError(blockers)
    article.status = Article.Status.PUBLISHED
    article.published_at = at or timezone.now().replace(microsecond=0)  # whole seconds, as the form keeps them
    article.published_by = user
    article.retracted_at = None
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: AbstractBaseUser | None = None) -> Article:
    """Take an article off the public site; it goes back to draft."""
    policy.require_publish(user)
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at", "version"])
    return article


@transaction.atomic
def article_retract(*, article: Article, user: AbstractBaseUser | None = None, notice: str = "") -> Article:
    """Unpublish and leave a notice at the article's address instead of a bare 404."""
    policy.require_publish(user)
    article.status = Article.Status.DRAFT
    article.retracted_at = timezone.now()
    article.retraction_notice = notice or article.retraction_notice or "This article has been withdrawn."
    # Links shared before stay dead even if the story is published again.
    article.preview_nonce = new_preview_nonce()
    article.save()
    return article


@transaction.atomic
def correction_add(
    *, article: Article, text: str, user: AbstractBaseUser | None = None, kind=Correction.Kind.CORRECTION
):
    """Append a correction or update; the article's modified time moves with it."""
    if user is not None and not user.has_perm("articles.add_correction"):
        raise PermissionDenied("You may not add corrections.")
    correction = Correction.objects.create(article=article, text=text, kind=kind, created_by=user)
    article.save(update_fields=["updated_at", "version"])
    return correction


@transaction.atomic
def live_update_add(
    *,
    article: Article,
    body: str,
    user: AbstractBaseUser | None = None,
    title: str = "",
    key_point: bool = False,
    status: str = LiveUpdate.Status.POSTED,
) -> LiveUpdate:
    """Add an update to a live page (posted at once unless ``status`` says draft); ``user=None`` is trusted code."""
    if user is not None and not policy.can_change_live_updates(user, article, "add"):
        raise PermissionDenied("You may not add updates to this story.")
    update = LiveUpdate(article=article, title=title, body=body, key_point=key_point, status=status, created_by=user)
    if not article.is_live:
        raise ValidationError("This story is not a live page.")
    update.full_clean()
    update._history_user = user  # the revision names who wrote it
    update.save()
    if update.status == LiveUpdate.Status.POSTED:
        live_updates_changed(article=article)
    return update


@transaction.atomic
def live_coverage_end(*, article: Article, user: AbstractBaseUser | None = None) -> Article:
    """End the live coverage now: the badge goes and readers' pages stop asking for updates."""
    if user is not None and not policy.can_change(user, article):
        raise PermissionDenied("You may not change this story.")
    article.live_ended_at = timezone.now()
    article.save(update_fields=["live_ended_at", "updated_at", "version"])
    return article


def live_updates_changed(*, article: Article) -> None:
    """The story's modified time (feeds, JSON-LD, ``Last-Modified``) moves with its updates.

    Not a save: the version stays, so an editor with the story's form open can
    still save it while others post updates (the update's own save has already
    ended the cached pages).
    """
    article.updated_at = timezone.now()
    Article.objects.filter(pk=article.pk).update(updated_at=article.updated_at)


def preview_token(article: Article) -> str:
    """Signs the article's nonce and its embargo: a new nonce, or a later embargo, voids the link."""
    embargo = article.embargoed_until.timestamp() if article.embargoed_until else None
    return signing.dumps([article.pk, article.preview_nonce, embargo], salt=PREVIEW_SALT)


def preview_url(article: Article) -> str:
    """A link that lets someone without an account read this one draft, for a while."""
    return reverse("articles:preview", kwargs={"token": preview_token(article)})


def preview_withheld(article: Article) -> bool:
    """A retracted, killed or spiked story is shown to nobody outside the desk, whatever link they hold."""
    return bool(article.retracted_at or article.wire_canceled or article.spiked_at)


def article_from_preview_token(token: str, *, max_age: int) -> Article | None:
    try:
        pk, nonce, embargo = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):  # also a valid signature over an old payload
        return None
    # The page reads the story's bylines, tags, corrections and links itself (``detail.parts``).
    article = Article.objects.select_related("section").filter(pk=pk, preview_nonce=nonce).first()
    if article is None or preview_withheld(article):
        return None
    if article.embargoed_until and (embargo is None or article.embargoed_until.timestamp() > embargo):
        return None  # embargoed again, or longer, since the link was made
    return article


def preview_links_revoke(*, article: Article) -> None:
    """Every preview link shared so far stops working; not an edit, so no new version or revision."""
    article.preview_nonce = new_preview_nonce()
    Article.objects.filter(pk=article.pk).update(preview_nonce=article.preview_nonce)
