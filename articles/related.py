"""Related reading: the editor's links first, then the published stories sharing the most tags."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from .models import Article


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    external: bool = False


def related_reading(article: Article, *, tags: list, limit: int | None = None) -> list[RelatedItem]:
    """Up to ``limit`` (``RELATED_READING_COUNT``) items in one query beyond the article's prefetches.

    Candidates are ranked by shared tags, then recency, in a single aggregate
    query (``Count`` over the tag join), never one query per candidate.
    """
    limit = settings.RELATED_READING_COUNT if limit is None else limit
    links = article.public_related_links()[:limit]
    items = [RelatedItem(link.display_title, link.href, external=not link.target_id) for link in links]
    wanted = limit - len(items)
    if wanted > 0 and tags:
        exclude = {article.pk} | {link.target_id for link in links if link.target_id}
        candidates = (
            Article.objects.published()
            .filter(tags__in=tags)  # filtered before the Count, so it counts shared tags only
            .exclude(pk__in=exclude)
            .annotate(shared_tags=Count("tags"))
            .order_by("-shared_tags", "-published_at", "-pk")
            .only("headline", "slug", "published_at", "created_at")[:wanted]
        )
        items += [RelatedItem(candidate.headline, candidate.get_absolute_url()) for candidate in candidates]
    return items
