"""Near-duplicates: stories from other agencies that report the same event."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from ..models import Article
from ..wire import WireStory

if TYPE_CHECKING:
    from .batch import ImportBatch

#: Stories from two agencies this close in time, with leads this alike, are
#: the same event reported twice.
NEAR_DUPLICATE_WINDOW = timedelta(hours=36)
NEAR_DUPLICATE_RATIO = 0.6
NEAR_DUPLICATE_CANDIDATES = 300
#: The newest stories of any agency read once per lot, to find each story's candidates in.
NEAR_DUPLICATE_POOL = 4 * NEAR_DUPLICATE_CANDIDATES
#: How much of a lead is compared.
NEAR_DUPLICATE_TEXT = 1000

WORD = re.compile(r"\w+")


def link_near_duplicates(articles: list[Article], stories: list[WireStory], batch: ImportBatch) -> None:
    """Link stories from other agencies that report the same event.

    Candidates are the newest stories of other agencies, this lot's earlier
    ones first; headlines that share fewer than two words are passed over
    cheaply, and only the few that do have their leads compared, all read in
    one query for the lot.  Words in many of the recent headlines ("the",
    "in", "says") do not count as shared.
    """
    lot = [(article, story) for article, story in zip(articles, stories, strict=True) if article.source_id]
    if not lot:
        return
    pool = list(
        Article.objects.filter(created_at__gte=timezone.now() - NEAR_DUPLICATE_WINDOW, source__isnull=False)
        .exclude(pk__in=[a.pk for a in articles])
        .order_by("-created_at")
        .values_list("pk", "headline", "source_id")[:NEAR_DUPLICATE_POOL]
    )
    common = _common_words([batch.headline_words(pk, headline) for pk, headline, _ in pool])
    # This lot's own leads come from the stories; the pool's from the database, below.
    texts = {article.pk: " ".join(story.paragraphs)[:NEAR_DUPLICATE_TEXT] for article, story in lot}
    comparisons = []
    earlier: list[tuple[int, str, int]] = []
    for article, story in lot:
        headline_words = set(WORD.findall(story.headline.lower())) - common
        candidates = [row for row in (*reversed(earlier), *pool) if row[2] != article.source_id]
        alike = {
            pk: headline
            for pk, headline, _ in candidates[:NEAR_DUPLICATE_CANDIDATES]
            if len(headline_words & batch.headline_words(pk, headline)) >= 2
        }
        if alike:
            comparisons.append((article.pk, story, alike))
        earlier.append((article.pk, article.headline, article.source_id))
    texts |= batch.texts([pk for *_, alike in comparisons for pk in alike if pk not in texts])
    pairs = []
    for pk, story, alike in comparisons:
        lead = " ".join(story.paragraphs[:1])[:NEAR_DUPLICATE_TEXT]
        mine = f"{story.headline} {lead}".lower().split()
        for other, headline in alike.items():
            if other in texts and _alike(mine, f"{headline} {texts[other][: len(lead) + 50]}".lower().split()):
                pairs.append((pk, other))
    through = Article.also_reported_by.through
    through.objects.bulk_create(
        [through(from_article_id=a, to_article_id=b) for pair in pairs for a, b in (pair, pair[::-1])],
        ignore_conflicts=True,
    )


def _common_words(headlines: list[set[str]]) -> set[str]:
    """Words in more than one in twenty of these headlines (and in more than ten)."""
    counts = Counter(word for words in headlines for word in words)
    floor = max(10, len(headlines) // 20)
    return {word for word, n in counts.items() if n > floor}


def _alike(mine: list[str], theirs: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, mine, theirs)
    # The quick upper bounds first: most candidates fail them.
    return (
        matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.ratio() >= NEAR_DUPLICATE_RATIO
    )
