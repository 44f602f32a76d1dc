"""The desk's rules: who may change an article, who may publish, and what keeps a story off the site.

The admin (``ArticleAdmin.has_change_permission``, the form, the actions, the
history revert) and the services all ask here, so a rule changes in one place.
"""

import logging
from collections.abc import Sequence
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied

from .models import Article

logger = logging.getLogger(__name__)

#: Fields only a publisher may change: they decide when and whether readers see a story. A revert of
#: an old revision never changes them, whoever reverts (``articles.revisions``).
PUBLISHER_FIELDS = ["published_at", "embargoed_until", "wire_canceled", "retraction_notice"]


def can_publish(user: AbstractBaseUser) -> bool:
    """Editors: publish, schedule, unpublish and retract, and change any article."""
    return user.has_perm("articles.publish_article")


def can_change(user: AbstractBaseUser, article: Article) -> bool:
    """Editors change anything; the wire desk unpublished wire copy; reporters their own unpublished stories."""
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    if article.status == Article.Status.PUBLISHED:
        return False
    if article.source_id and user.has_perm("articles.import_wire"):
        return True
    return article.created_by_id == user.pk or article.authorships.filter(author__user=user).exists()


def can_change_live_updates(user: AbstractBaseUser, article: Article, action: str = "change") -> bool:
    """Live updates are part of their story: who may change the story may add, change or delete its updates.

    On a public or scheduled story that is an editor (``can_change``): a posted
    update reaches readers at once, so posting one is publishing. A reporter
    may write updates on their own unpublished live story (they go public with
    it) and draft none on a published one; there an editor posts.
    """
    return user.has_perm(f"articles.{action}_liveupdate") and can_change(user, article)


def can_edit_corrections(user: AbstractBaseUser) -> bool:
    """Editors: corrections are the desk's public record, edited in the article form and restored by a revert."""
    return user.has_perm("articles.add_correction")


def publish_blockers(article: Article, *, bylines: Sequence | None = None) -> list[str]:
    """What keeps ``article`` off the site, whoever asks (empty when nothing does).

    ``bylines`` are the authors about to be saved with an article the admin form
    is editing; otherwise the stored ones are read.
    """
    if article.wire_canceled:
        return [_("The agency killed this story. Clear “killed by the agency” before publishing it.")]
    if article.spiked_at:
        return [_("This story is spiked. Restore it to the Incoming queue before publishing it.")]
    missing = []
    if not article.headline.strip():
        missing.append(_("no headline"))
    elif article.needs_headline:
        missing.append(_("the headline was derived from the first sentence; write a real one"))
    if not article.section_id:
        missing.append(_("no section"))
    if not article.credit.strip():
        if bylines is None:
            bylines = article.byline_authors if article.pk else []
        if not bylines:
            missing.append(_("no byline or credit"))
    return missing


def require_publish(user: AbstractBaseUser | None) -> None:
    """``user=None`` is trusted code (the importer's ``--publish``, the demo)."""
    if user is not None and not can_publish(user):
        raise PermissionDenied(_("You may not publish, unpublish or retract articles."))


def refusals_answer_403(view):
    """Answer a refused admin request with the 403 page and one INFO line.

    Raised to Django, ``PermissionDenied`` is logged by ``django.request`` as a
    warning with a full traceback: noise for something the desk does every day.
    Returned, the 403 still gets Django's usual one-line "Forbidden" note.
    """

    @wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            path = request.path.encode("unicode_escape").decode("ascii")  # no forged log lines
            logger.info("Refused %s %s to %s: %s", request.method, path, request.user, refusal or "-")
            return permission_denied(request, refusal)

    return answer
