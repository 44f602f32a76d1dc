"""Related reading: the editor's links first, then the published stories sharing the most tags."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from taggit.models import TaggedItem

from .models import Article

#: Candidates are the newest 500 of the stories that carry the article's tags
#: and were filed within 10,000 stories of it (before or after), so the query
#: costs the same however large the archive, and a rare tag, grow.
CANDIDATES = 500
NEIGHBOURHOOD = 10_000


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    external: bool = False


def related_reading(article: Article, *, tags: list, limit: int | None = None) -> list[RelatedItem]:
    """Up to ``limit`` (``RELATED_READING_COUNT``) items in one query beyond the article's prefetches.

    Candidates are ranked by shared tags, then recency. Each candidate's shared
    tags are counted by a subquery on the (tag, object) index, a few probes
    each, rather than by joining every item of the article's tags: a join read
    all 36,000 items of seven tags at a million articles.
    """
    limit = settings.RELATED_READING_COUNT if limit is None else limit
    links = article.public_related_links()[:limit]
    items = [RelatedItem(link.display_title, link.href, external=not link.target_id) for link in links]
    wanted = limit - len(items)
    if wanted > 0 and tags:
        exclude = {article.pk} | {link.target_id for link in links if link.target_id}
        tagged = TaggedItem.objects.filter(tag__in=tags, content_type=ContentType.objects.get_for_model(Article))
        neighbours = (
            tagged.filter(object_id__range=(article.pk - NEIGHBOURHOOD, article.pk + NEIGHBOURHOOD))
            .order_by("-object_id")
            .values("object_id")[:CANDIDATES]
        )
        shared = tagged.filter(object_id=OuterRef("pk")).order_by().values("object_id").annotate(n=Count("pk"))
        candidates = (
            Article.objects.published()
            .filter(pk__in=neighbours)
            .exclude(pk__in=exclude)
            .annotate(shared_tags=Subquery(shared.values("n")))
            .order_by("-shared_tags", "-published_at", "-pk")
            .only("headline", "slug", "published_at", "created_at")[:wanted]
        )
        items += [RelatedItem(candidate.headline, candidate.get_absolute_url()) for candidate in candidates]
    return items
