"""Workflows that change more than one field or touch more than one row.

Every path that changes ``status`` or ``published_at`` goes through here or
through the admin form, and both check the ``publish_article`` permission.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Article, Correction

PREVIEW_SALT = "articles.preview"


def _require_publish_permission(user: AbstractBaseUser | None) -> None:
    if user is not None and not user.has_perm("articles.publish_article"):
        raise PermissionDenied("You may not publish, unpublish or retract articles.")


@transaction.atomic
def article_publish(*, article: Article, user: AbstractBaseUser | None = None, at=None) -> Article:
    """Publish now, or at ``at`` (a future time schedules the article).

    ``user=None`` is for trusted code (the importer's ``--publish``, the demo).
    """
    _require_publish_permission(user)
    if article.wire_canceled:
        raise ValidationError("The agency killed this story; clear the flag before publishing.")
    article.status = Article.Status.PUBLISHED
    article.published_at = at or timezone.now()
    article.published_by = user
    article.retracted_at = None
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: AbstractBaseUser | None = None) -> Article:
    """Take an article off the public site; it goes back to draft."""
    _require_publish_permission(user)
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at", "version"])
    return article


@transaction.atomic
def article_retract(*, article: Article, user: AbstractBaseUser | None = None, notice: str = "") -> Article:
    """Unpublish and leave a notice at the article's address instead of a bare 404."""
    _require_publish_permission(user)
    article.status = Article.Status.DRAFT
    article.retracted_at = timezone.now()
    article.retraction_notice = notice or article.retraction_notice or "This article has been withdrawn."
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


def preview_token(article: Article) -> str:
    return signing.dumps(article.pk, salt=PREVIEW_SALT)


def preview_url(article: Article) -> str:
    """A link that lets someone without an account read this one draft, for a while."""
    return reverse("articles:preview", kwargs={"token": preview_token(article)})


def article_from_preview_token(token: str, *, max_age: int) -> Article | None:
    try:
        pk = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Article.objects.for_detail().filter(pk=pk, wire_canceled=False).first()
