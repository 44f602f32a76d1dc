"""Related reading: the editor's links first, then the published stories sharing the most tags."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BigIntegerField, Count, FilteredRelation, Q
from django.db.models.functions import Cast
from django.utils import timezone

from .links import article_url
from .models import Article, article_type_id
from .prepared import prepared

#: Candidates are the newest 200 of the public stories that carry the article's
#: tags and were filed within 10,000 stories of it (before or after), so the
#: query costs the same however large the archive, and a rare tag, grow. Only
#: public ones count: the newest tagged stories are often a wire desk's drafts.
CANDIDATES = 200
NEIGHBOURHOOD = 10_000


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    external: bool = False


@prepared(
    literals=("content_type", "candidates", "limit"),
    wrap="SELECT * FROM ({query}) AS candidates ORDER BY shared_tags DESC, published_at DESC, id DESC LIMIT {limit}",
)
def _candidates(tags, low, high, exclude, now, content_type, candidates, limit):
    """The newest ``candidates`` published stories filed between ids ``low`` and ``high`` that share
    ``tags``, each with how many it shares; the best ``limit`` of them, most shared first.

    One join of the stories with their items of these tags, in id order, counts the shared tags as it
    goes and stops at the newest candidates. The window bounds the items on both of their indexes:
    on ``object_id::bigint`` (migration 0021), which the join walks in id order where the tags are
    common, and on ``object_id`` itself, so the (tag, object) index reads only the window's items
    where they are rare (without it, every item of the tags in the archive: 15,912 of them at
    100,000 articles). The content type is a literal: taggit compiles it into the join, and a test
    database numbers it anew.
    """
    window = (low, high)
    shared = (
        Article.objects.published(now)
        .alias(
            shared=FilteredRelation(
                "tagged_items", condition=Q(tagged_items__tag__in=tags, tagged_items__object_id__range=window)
            ),
            shared_id=Cast("shared__object_id", BigIntegerField()),
        )
        .filter(pk__range=window, shared_id__range=window)
    )
    return (
        shared.exclude(pk__in=exclude)
        .values("pk")
        .annotate(shared_tags=Count("pk"))
        .values("id", "headline", "slug", "published_at", "created_at", "shared_tags")
        .order_by("-pk")[:candidates]
    )


def related_reading(article: Article, *, tags: list, links=None, limit: int | None = None) -> list[RelatedItem]:
    """Up to ``limit`` (``RELATED_READING_COUNT``) items: the editor's public ``links`` (by default the
    article's), then candidates ranked by shared tags, then recency, in one query.

    Only the newest candidates are read: joining every item of the article's tags read all 36,000
    items of seven tags at a million articles.
    """
    limit = settings.RELATED_READING_COUNT if limit is None else limit
    links = (article.public_related_links() if links is None else links)[:limit]
    items = [RelatedItem(link.display_title, link.href, external=not link.target_id) for link in links]
    wanted = limit - len(items)
    if wanted > 0 and tags:
        candidates = _candidates(
            low=article.pk - NEIGHBOURHOOD,
            high=article.pk + NEIGHBOURHOOD,
            tags=[tag.pk for tag in tags],
            exclude=sorted({article.pk} | {link.target_id for link in links if link.target_id}),
            content_type=article_type_id(),
            now=timezone.now(),
            candidates=CANDIDATES,
            limit=limit,
        )
        items += [RelatedItem(row["headline"], article_url(row["slug"], row["published_at"], row["created_at"]))
                  for row in candidates[:wanted]]  # fmt: skip
    return items
