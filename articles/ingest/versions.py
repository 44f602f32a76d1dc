"""Versions of a story: every copy kept, newer ones applied or left waiting for an editor, kills obeyed.

An agency's newer copy updates a draft nobody has touched. Once an editor has
changed the story, or it has ever been published, the copy waits beside it
until an editor applies or dismisses it: nothing is overwritten silently and
nothing is discarded.
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from .. import policy
from ..models import Article, WireVersion
from ..sanitize import strip_tags
from ..wire import WireStory

#: Bytes of a file kept with each of its stories; a larger file holding many stories (a feed) keeps only
#: what was read from it, or every item would store the whole feed again.
RAW_KEPT_PER_STORY = 256 * 1024

BLOCK_TAGS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "table", "pre"}


@dataclass(frozen=True)
class Copy:
    """The file a story came from."""

    filename: str = ""
    raw: bytes = b""
    stories_in_file: int = 1

    def kept_bytes(self) -> bytes:
        return self.raw if self.stories_in_file == 1 or len(self.raw) <= RAW_KEPT_PER_STORY else b""


def story_body_html(story: WireStory) -> str:
    parts = []
    for block in story.blocks:
        tag = block.kind if block.kind in BLOCK_TAGS else "p"
        inner = block.html or escape(block.text)
        if inner.strip():
            parts.append(f"<{tag}>{inner}</{tag}>")
    return "\n".join(parts)


def story_fields(story: WireStory) -> dict:
    """What an article takes from a story, as JSON: kept with each version so it can be applied later."""
    return {
        "headline": story.headline[:255],
        "headline_derived": story.headline_derived,
        "dek": story.subheadline,
        "body": story_body_html(story),
        "paragraphs": story.paragraphs,
        "dateline": story.dateline[:100],
        "credits": "\n".join(story.credits),
        "bylines": list(story.bylines),
        "language": story.language[:10],
        "credit": story.source[:100],
        "copyright": story.copyright[:255],
        "embargoed_until": story.embargoed_until.isoformat() if story.embargoed_until else None,
        "keywords": [keyword[:100] for keyword in story.keywords if keyword],
        "urgency": story.urgency,
        "slugline": story.slugline[:255],
    }


def apply_fields(article: Article, fields: dict) -> None:
    """Copy a version's wire fields onto ``article`` (never status, placement or the editor's tags)."""
    article.headline = fields["headline"]
    article.dek = fields["dek"]
    article.body = fields["body"]
    article.dateline = fields["dateline"]
    article.credits = fields["credits"]
    article.needs_headline = fields["headline_derived"]
    if fields.get("language"):
        article.language = fields["language"]
    if fields.get("credit") and not article.credit:
        article.credit = fields["credit"]
    if fields.get("copyright"):
        article.copyright_notice = fields["copyright"]
    if "keywords" in fields:  # versions kept before keywords were
        article.wire_keywords = fields["keywords"]
    if fields.get("urgency") is not None:
        article.urgency = fields["urgency"]
    if fields.get("slugline"):
        article.slugline = fields["slugline"]
    if fields.get("embargoed_until"):
        article.embargoed_until = timezone.datetime.fromisoformat(fields["embargoed_until"])


def new_version(article: Article, story: WireStory, copy: Copy, state: str, *, fingerprint: str = "") -> WireVersion:
    """An unsaved version of ``article`` for ``story``."""
    return WireVersion(
        article=article,
        filename=copy.filename[:500],
        format=story.format[:20],
        agency_version=story.version,
        sent_at=story.published_at,
        parsed=story_fields(story) | {"fingerprint": fingerprint},
        raw=copy.kept_bytes(),
        state=state,
    )


def is_waiting_for_editor(article: Article) -> bool:
    """A newer copy waits for an editor once the story was edited or has ever been published."""
    return article.edited_since_import or article.published_at is not None or article.status != Article.Status.DRAFT


def kill(article: Article, *, user=None) -> None:
    """The agency withdrew the story: off every public surface now, and an alert until an editor acknowledges it.

    An editor who kills a story from the Incoming queue (``user``) needs the
    right to publish, as for the kill flag on the form; it is theirs, so it
    raises no alert.
    """
    if user is not None:
        policy.require_publish(user)
    article.wire_canceled = True
    article.kill_acknowledged_at = timezone.now() if user is not None else None
    article.kill_acknowledged_by = user
    if article.status == Article.Status.PUBLISHED:
        article.status = Article.Status.DRAFT
        article.retracted_at = timezone.now()
        agency = article.credit or (article.source.name if article.source_id else "the agency")
        article.retraction_notice = f"This story was withdrawn by {agency}."
    article.save()


def previous_applied(version: WireVersion) -> WireVersion | None:
    return (
        WireVersion.objects.filter(article_id=version.article_id, state=WireVersion.State.APPLIED)
        .exclude(pk=version.pk)
        .filter(received_at__lte=version.received_at)
        .order_by("-received_at", "-pk")
        .first()
    )


def paragraph_diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """``(change, paragraph)`` pairs, change being "same", "removed" or "added", paragraph by paragraph."""
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [("same", text) for text in before[i1:i2]]
            continue
        rows += [("removed", text) for text in before[i1:i2]]
        rows += [("added", text) for text in after[j1:j2]]
    return rows


def current_paragraphs(article: Article) -> list[str]:
    """The article's body as paragraph texts, to compare with a version's."""
    blocks = re.split(r"</(?:p|h[2-4]|blockquote|li|pre|td|th)>", article.body)
    return [text for text in (" ".join(strip_tags(block).split()) for block in blocks) if text]


def _require_may_apply(user, article: Article) -> None:
    if not policy.can_change(user, article):
        raise PermissionDenied("You may not change this article.")
    if article.published_at is not None and not policy.can_publish(user):
        raise PermissionDenied("Only an editor who may publish can change a published story's text.")


@transaction.atomic
def apply_version(*, version: WireVersion, user) -> Article:
    """An editor takes a waiting version: its text replaces the article's, the rest of the article stays."""
    article = Article.objects.select_for_update().get(pk=version.article_id)
    _require_may_apply(user, article)
    apply_fields(article, version.parsed)
    if "merged_from" not in version.parsed:  # another agency's numbering says nothing about this story's
        article.wire_version = version.agency_version
        article.wire_sent_at = version.sent_at
    _decide(version, WireVersion.State.APPLIED, user)
    article.wire_update_available = article.wire_versions.filter(state=WireVersion.State.WAITING).exists()
    article.save()
    return article


@transaction.atomic
def dismiss_version(*, version: WireVersion, user) -> None:
    article = Article.objects.select_for_update().get(pk=version.article_id)
    _require_may_apply(user, article)
    _decide(version, WireVersion.State.DISMISSED, user)
    article.wire_update_available = article.wire_versions.filter(state=WireVersion.State.WAITING).exists()
    article.save(update_fields=["wire_update_available", "updated_at", "version"])


def _decide(version: WireVersion, state: str, user) -> None:
    if version.state != WireVersion.State.WAITING:
        raise PermissionDenied("This version is no longer waiting.")
    version.state, version.decided_by, version.decided_at = state, user, timezone.now()
    version.save(update_fields=["state", "decided_by", "decided_at"])


@transaction.atomic
def acknowledge_kill(*, article: Article, user) -> None:
    if not policy.can_change(user, article):
        raise PermissionDenied("You may not change this article.")
    Article.objects.filter(pk=article.pk).update(kill_acknowledged_at=timezone.now(), kill_acknowledged_by=user)
