"""Which article a wire story already is, and whether it is a newer version of it."""

import hashlib
import re
from functools import reduce
from operator import or_

from django.db.models import Q

from ..models import Article, WireSource
from ..wire import WireStory
from .batch import ImportBatch


def story_fingerprint(story: WireStory, source: WireSource | None) -> str:
    """Identity of a story that has no agency id: its agency, normalised headline and text."""
    text = " ".join([story.headline, *story.paragraphs])
    normalised = " ".join(re.sub(r"\W+", " ", text).lower().split())
    agency = str(source.pk) if source else ""
    return hashlib.sha256(f"{agency}:{normalised}".encode()).hexdigest()


def is_newer(story: WireStory, article: Article) -> bool:
    if story.version is not None and article.wire_version is not None:
        return story.version > article.wire_version
    if story.published_at and article.published_at:
        return story.published_at > article.published_at
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
