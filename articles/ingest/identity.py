"""Which article a wire story already is, and whether it is a newer version of it."""

import difflib
import hashlib
import re
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Article, WireSource
from ..wire import WireStory
from .batch import ImportBatch
from .duplicates import WORD

#: A re-send without an id is the same agency's story received within ``WIRE_RESEND_WINDOW_HOURS`` whose
#: headline and lead are at least this alike, among its newest this many.
RESEND_RATIO = 0.85
RESEND_POOL = 300


def story_fingerprint(story: WireStory, source: WireSource | None) -> str:
    """Identity of a story that has no agency id: its agency, normalised headline and text."""
    text = " ".join([story.headline, *story.paragraphs])
    normalised = " ".join(re.sub(r"\W+", " ", text).lower().split())
    agency = str(source.pk) if source else ""
    return hashlib.sha256(f"{agency}:{normalised}".encode()).hexdigest()


def is_newer(story: WireStory, article: Article, fingerprint: str = "") -> bool:
    """Is ``story`` a later copy than the one ``article`` holds?

    By the agency's version number, else by its issue/sent time for the same
    story; copy without either (an id-less re-send) is newer when its text is
    one the story has not had yet.
    """
    if story.version is not None and article.wire_version is not None:
        return story.version > article.wire_version
    if story.published_at and article.wire_sent_at:
        return story.published_at > article.wire_sent_at
    if fingerprint:
        return (
            fingerprint != article.wire_fingerprint
            and not article.wire_versions.filter(parsed__fingerprint=fingerprint).exists()
        )
    return False


def resolve_source(story: WireStory, explicit: WireSource | None, batch: ImportBatch) -> WireSource | None:
    if explicit:
        return explicit
    return batch.source(story.source) if story.source.strip() else None


def story_identity(story: WireStory, source: WireSource | None, fingerprint: str) -> tuple:
    if story.source_id:
        return ("story", source.pk if source else None, story.source_id[:255])
    return ("text", fingerprint)


def article_identity(article: Article) -> tuple:
    if article.source_story_id:
        return ("story", article.source_id, article.source_story_id)
    return ("text", article.wire_fingerprint)


def lock_existing(identities: list[tuple]) -> dict[tuple, Article]:
    """The articles these stories already are, locked until the transaction ends."""
    wanted = []
    for identity in identities:
        if identity[0] == "story":
            _, source_id, story_id = identity
            wanted.append(Q(source=source_id, source_story_id=story_id))
        else:
            wanted.append(Q(wire_fingerprint=identity[1]))
    found = Article.objects.select_for_update().filter(reduce(or_, wanted))
    return {article_identity(article): article for article in found}


def find_resent(candidates: list[tuple[int, WireStory, WireSource | None]], batch: ImportBatch) -> dict[int, Article]:
    """Stories without an agency id that re-send a story of the same agency received lately with a small fix.

    ``candidates`` are ``(index, story, source)`` for stories not otherwise
    recognised; returns the article each re-sends, by index. One query per
    agency reads its recent id-less stories; leads are compared only where
    headlines share most words.
    """
    by_source: dict[int, list[tuple[int, WireStory]]] = {}
    for i, story, source in candidates:
        if source is not None and not story.source_id:
            by_source.setdefault(source.pk, []).append((i, story))
    found: dict[int, Article] = {}
    since = timezone.now() - timedelta(hours=settings.WIRE_RESEND_WINDOW_HOURS)
    for source_id, stories in by_source.items():
        pool = list(
            Article.objects.filter(source_id=source_id, source_story_id="", created_at__gte=since)
            .order_by("-created_at")
            .values_list("pk", "headline")[:RESEND_POOL]
        )
        for i, story in stories:
            words = set(WORD.findall(story.headline.lower()))
            alike = [pk for pk, headline in pool if _share_most(words, set(WORD.findall(headline.lower())))]
            mine = _words(story.headline, " ".join(story.paragraphs[:2]))
            for pk, text in batch.texts(alike).items():
                headline = next(h for p, h in pool if p == pk)
                theirs = _words(headline, text[: len(" ".join(story.paragraphs[:2])) + 50])
                if difflib.SequenceMatcher(None, mine, theirs, autojunk=False).ratio() >= RESEND_RATIO:
                    found[i] = Article.objects.select_for_update().get(pk=pk)
                    break
    return found


def _share_most(mine: set[str], theirs: set[str]) -> bool:
    return bool(mine and theirs) and len(mine & theirs) >= 0.6 * max(len(mine), len(theirs))


def _words(headline: str, lead: str) -> list[str]:
    return WORD.findall(f"{headline} {lead}".lower())
