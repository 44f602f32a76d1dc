"""Related reading: the editor's links first, then the published stories sharing the most tags."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BigIntegerField, Count, FilteredRelation, IntegerField, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from taggit.models import TaggedItem

from .links import article_url
from .models import Article, article_type_id
from .prepared import prepared

#: Candidates are the newest 200 of the public stories that carry the article's
#: tags and were filed within 10,000 stories of it (before or after), so the
#: query costs the same however large the archive, and a rare tag, grow. Only
#: public ones count: the newest tagged stories are often a wire desk's drafts.
CANDIDATES = 200
NEIGHBOURHOOD = 10_000
#: The article's tags are busy around it where they have as many items as a tenth of the stories
#: within ``SAMPLE`` of it: the candidates are then found by walking the public stories from the newest,
#: which stops at the newest 200, about 200 ÷ share steps; where they are not, by reading the tags'
#: items in the neighbourhood, one step each. The two cost about the same at this share,
#: √(200 ÷ 20,000). Counting in a tenth of the neighbourhood reads a tenth of the items.
SAMPLE = NEIGHBOURHOOD // 10
BUSY = 2 * SAMPLE // 10


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    external: bool = False


class _BoundedCount(Subquery):
    """How many rows a sliced queryset has: counting stops at its slice's end."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def items_nearby(tag, story) -> Subquery:
    """How many items ``tag`` has within ``SAMPLE`` stories of ``story``, up to ``BUSY``: read with the
    story's tags, by expressions (``OuterRef``), so its related reading is found the cheaper way
    (``busy``). One range of the index of tags' items by story (``taggeditem_tag_object_idx``)
    answers it: the items are not narrowed to articles', which would read each one's row, and only
    articles are tagged."""
    nearby = TaggedItem.objects.filter(tag=tag, object_id__range=(story - SAMPLE, story + SAMPLE))
    return _BoundedCount(nearby.values("pk")[:BUSY])


def tags_are_busy(nearby: list[int]) -> bool:
    """Whether the tags' counts from ``items_nearby`` make them busy around the story (``BUSY``)."""
    return sum(nearby) >= BUSY


@prepared(
    literals=("content_type", "candidates", "limit", "busy"),
    wrap="SELECT * FROM ({query}) AS candidates ORDER BY shared_tags DESC, published_at DESC, id DESC LIMIT {limit}",
)
def _candidates(tags, low, high, exclude, now, content_type, candidates, limit, busy):
    """The newest ``candidates`` published stories filed between ids ``low`` and ``high`` that share
    ``tags``, each with how many it shares; the best ``limit`` of them, most shared first.

    Two shapes give the same rows; which is cheaper depends on how common the tags are around the
    story (``busy``: ``BUSY``, from ``items_nearby``). Both join the window's public
    stories with their items of these tags in id order, count the shared tags and stop at the
    newest candidates.

    Where the tags are rare, the window bounds the items too, on both their indexes: on
    ``object_id::bigint`` (migration 0021) and on ``object_id``, so the (tag, object) index reads
    only the window's few items, not every one in the archive. PostgreSQL multiplies the bounds'
    selectivities and expects few items: right for rare tags, but for busy ones it read all the
    window's items (7,682 for a story at a million articles) and probed a story for each. So where
    they are busy only the stories are bounded: the window's public stories are walked newest first
    (``article_published_idx``, which skips the wire desk's drafts), each probed for the tags, until
    the newest candidates are found.

    The content type is a literal: taggit compiles it into the join, and a test database numbers it anew.
    """
    window = (low, high)
    stories = Article.objects.published(now).filter(pk__range=window).exclude(pk__in=exclude)
    if busy:
        stories = stories.filter(tagged_items__tag__in=tags)
    else:
        stories = stories.alias(
            shared=FilteredRelation(
                "tagged_items", condition=Q(tagged_items__tag__in=tags, tagged_items__object_id__range=window)
            ),
            shared_id=Cast("shared__object_id", BigIntegerField()),
        ).filter(shared_id__range=window)
    return (
        stories.values("pk")
        .annotate(shared_tags=Count("pk"))
        .values("id", "headline", "slug", "published_at", "created_at", "shared_tags")
        .order_by("-pk")[:candidates]
    )


def related_reading(
    article: Article, *, tags: list, links=None, busy: bool = False, limit: int | None = None
) -> list[RelatedItem]:
    """Up to ``limit`` (``RELATED_READING_COUNT``) items: the editor's public ``links`` (by default the
    article's), then candidates ranked by shared tags, then recency, in one query. ``busy``: whether
    the tags are busy around the article (``BUSY``, ``items_nearby``); it changes how fast, not what.

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
            busy=busy,
        )
        items += [RelatedItem(row["headline"], article_url(row["slug"], row["published_at"], row["created_at"]))
                  for row in candidates[:wanted]]  # fmt: skip
    return items
