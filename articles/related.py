"""Related reading: the editor's links first, then the published stories sharing the most tags."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BigIntegerField, Count, Exists, FilteredRelation, OuterRef, Q
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
#: Where the article's tags have this many items in its neighbourhood, the candidates are found by
#: walking the public stories from the newest, which stops at the newest 200 (about 200 ÷ share
#: steps); where they have fewer, by reading those items (one step each). The two cost the same
#: where the tags' share of the neighbourhood's stories is about √(200 ÷ 20,000), a tenth.
BUSY = 2_000


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    external: bool = False


def busy_tags() -> Exists:
    """Whether the story's (``OuterRef("pk")``) tags have ``BUSY`` items in its neighbourhood: read
    with the story, it chooses how its related reading is found (``_candidates``). The index of
    tags' items by story id (``taggeditem_tag_object_idx``) answers it alone, from ``BUSY`` entries
    at most: the items are not narrowed to articles', which would read each one's row, and only
    articles are tagged."""
    story = OuterRef("pk")
    its_tags = TaggedItem.objects.filter(object_id=OuterRef(story), content_type=article_type_id()).values("tag")
    nearby = TaggedItem.objects.filter(
        tag__in=its_tags, object_id__range=(story - NEIGHBOURHOOD, story + NEIGHBOURHOOD)
    )
    return Exists(nearby[BUSY - 1 : BUSY])


@prepared(
    literals=("content_type", "candidates", "limit", "busy"),
    wrap="SELECT * FROM ({query}) AS candidates ORDER BY shared_tags DESC, published_at DESC, id DESC LIMIT {limit}",
)
def _candidates(tags, low, high, exclude, now, content_type, candidates, limit, busy):
    """The newest ``candidates`` published stories filed between ids ``low`` and ``high`` that share
    ``tags``, each with how many it shares; the best ``limit`` of them, most shared first.

    Two shapes give the same rows; which is cheaper depends on how common the tags are around the
    story (``busy``, from ``busy_tags``). Both join the window's public stories with their items of
    these tags in id order, counting the shared tags, and stop at the newest candidates.
    Where the tags are rare, the window bounds the items too, on both their indexes: on
    ``object_id::bigint`` (migration 0021) and on ``object_id``, so the (tag, object) index reads
    only the window's few items, not every one in the archive. PostgreSQL multiplies the bounds'
    selectivities and expects few items: right for rare tags, but for busy ones it read all the
    window's items (7,682 for a story at a million articles) and probed a story for each.
    So where they are busy only the stories are bounded: the window's public stories are walked
    newest first (``article_published_idx``, which skips the wire desk's drafts), each probed for the
    tags, until the newest candidates are found.
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
    article's), then candidates ranked by shared tags, then recency, in one query. ``busy``: what
    ``busy_tags`` read with the story; it changes how fast, not what.

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
