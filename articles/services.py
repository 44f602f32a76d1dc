"""Workflows that change more than one field or touch more than one row."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article


def _require_publish_permission(user: AbstractBaseUser | None) -> None:
    if user is not None and not user.has_perm("articles.publish_article"):
        raise PermissionDenied("You may not publish or unpublish articles.")


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
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: AbstractBaseUser | None = None) -> Article:
    """Take an article off the public site; it goes back to draft."""
    _require_publish_permission(user)
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article
