"""Related reading: the editor's links first, then the published stories sharing the most tags."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from taggit.models import TaggedItem

from .models import Article

#: Candidates come from the newest stories carrying the article's tags, so the
#: query costs the same however large the archive (and a popular tag) grows.
CANDIDATES = 500


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
        newest_tagged = (
            TaggedItem.objects.filter(tag__in=tags, content_type=ContentType.objects.get_for_model(Article))
            .order_by("-object_id")
            .values("object_id")[:CANDIDATES]
        )
        candidates = (
            Article.objects.published()
            .filter(pk__in=newest_tagged)
            .filter(tags__in=tags)  # filtered before the Count, so it counts shared tags only
            .exclude(pk__in=exclude)
            .annotate(shared_tags=Count("tags"))
            .order_by("-shared_tags", "-published_at", "-pk")
            .only("headline", "slug", "published_at", "created_at")[:wanted]
        )
        items += [RelatedItem(candidate.headline, candidate.get_absolute_url()) for candidate in candidates]
    return items
