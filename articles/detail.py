"""What the article page reads: the story with its section, bylines and tags in one prepared query
(``articles.prepared``), then its corrections and related links where it has any, as the model
instances the page and its structured data use.

Building and compiling the page's queries cost more than answering them, and each round trip more
than the database's work on its small subqueries.
"""

from dataclasses import dataclass

from django.db.models import Aggregate, Exists, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .models import Article, Author, Authorship, Correction, RelatedLink, Section, article_type_id
from .prepared import columns, instance, prepared
from .related import items_nearby, tags_are_busy

#: The story's columns a page shows, and its section's: not its search vector (the database's) nor the
#: desk's and the wire's workflow (whose copy, which version, who is on it), which no reader sees.
ARTICLE_COLUMNS = columns(
    Article,
    leave_out={
        "search_vector", "source_story_id", "wire_fingerprint", "wire_version", "needs_headline", "wire_canceled",
        "wire_update_available", "edited_since_import", "wire_sent_at", "kill_acknowledged_at",
        "kill_acknowledged_by", "wire_keywords", "preview_nonce", "created_by", "published_by", "urgency",
        "slugline", "assignee", "spiked_at", "spiked_by",
    },
)  # fmt: skip
SECTION_COLUMNS = columns(Section)
CORRECTION_COLUMNS = columns(Correction)
LINK_COLUMNS = columns(RelatedLink)
#: A related link's target: what its title, address and "is it public" need.
TARGET_COLUMNS = ["id", "headline", "slug", "status", "published_at", "created_at", "embargoed_until"]


class JSONList(Aggregate):
    """The aggregated values as one JSON array: ``JSON_GROUP_ARRAY``, ``JSONB_AGG`` on PostgreSQL."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _json_rows(related, key: str, **fields) -> Subquery:
    """``related`` (rows of one story) as a JSON list of objects with these ``fields``."""
    return Subquery(related.order_by().values(key).annotate(rows=JSONList(JSONObject(**fields))).values("rows"))


def _story_rows(articles, content_type):
    """One query for the page's story: its columns and its section's, its bylines and tags as JSON lists,
    whether it has corrections or related links (most have neither, and then they are not read), and
    how many items its tags have around it, for how its related reading is best found
    (``related.items_nearby``)."""
    bylines = Authorship.objects.filter(article=OuterRef("pk"))
    tags = TaggedItem.objects.filter(object_id=OuterRef("pk"), content_type=content_type)
    columns = [*ARTICLE_COLUMNS, *(f"section__{column}" for column in SECTION_COLUMNS)]
    return articles.values(*columns).annotate(
        byline_rows=_json_rows(bylines, "article", id="author__id", name="author__name", slug="author__slug",
                               position="position", order="pk"),
        tag_rows=_json_rows(tags, "object_id", id="tag__id", name="tag__name", slug="tag__slug", order="pk",
                            nearby=items_nearby(OuterRef("tag_id"), OuterRef(OuterRef("pk")))),
        has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))),
        has_links=Exists(RelatedLink.objects.filter(article=OuterRef("pk"))),
    )  # fmt: skip


@prepared(plan_once=True)
def _public_story(slug, now, content_type):
    return _story_rows(Article.objects.published(now).filter(slug=slug), content_type)


@prepared(plan_once=True)
def _any_story(slug, content_type):
    return _story_rows(Article.objects.filter(slug=slug), content_type)


@prepared(plan_once=True)
def _story_by_pk(pk, content_type):
    return _story_rows(Article.objects.filter(pk=pk), content_type)


@prepared(plan_once=True)
def _corrections(article):
    return Correction.objects.filter(article=article).order_by("created_at", "pk").values(*CORRECTION_COLUMNS)


@prepared(plan_once=True)
def _links(article):
    links = RelatedLink.objects.filter(article=article).order_by("position", "pk")
    return links.values(*LINK_COLUMNS, *(f"target__{column}" for column in TARGET_COLUMNS))


@dataclass
class StoryParts:
    bylines: list[Author]
    tags: list[Tag]
    corrections: list[Correction]
    links: list[RelatedLink]  # the public ones: published targets and external addresses
    busy_tags: bool  # the tags are busy around the story (``related.tags_are_busy``), for ``related_reading``


@dataclass
class Story:
    article: Article
    parts: StoryParts


def story(slug: str, *, staff: bool = False) -> Story | None:
    """The story at ``slug`` and its parts: a public one, or any for staff."""
    content_type = article_type_id()
    if staff:
        rows = _any_story(slug=slug, content_type=content_type)
    else:
        rows = _public_story(slug=slug, now=timezone.now(), content_type=content_type)
    return _story(rows[0]) if rows else None


def parts(article: Article) -> StoryParts:
    """The parts of a story read elsewhere (a preview)."""
    return _story(_story_by_pk(pk=article.pk, content_type=article_type_id())[0]).parts


def _story(row: dict) -> Story:
    article = instance(Article, row, ARTICLE_COLUMNS)
    if article.section_id:
        article.section = instance(Section, row, SECTION_COLUMNS, prefix="section__")
    bylines = sorted(row["byline_rows"] or (), key=lambda byline: (byline["position"], byline["order"]))
    tags = sorted(row["tag_rows"] or (), key=lambda tag: tag["order"])
    links = []
    for link_row in _links(article=article.pk) if row["has_links"] else ():
        link = instance(RelatedLink, link_row, LINK_COLUMNS)
        if link.target_id:
            link.target = instance(Article, link_row, TARGET_COLUMNS, prefix="target__")
        if link.is_public():
            links.append(link)
    corrections = _corrections(article=article.pk) if row["has_corrections"] else ()
    return Story(
        article,
        StoryParts(
            bylines=[instance(Author, byline, ["id", "name", "slug"]) for byline in bylines],
            tags=[instance(Tag, tag, ["id", "name", "slug"]) for tag in tags],
            corrections=[instance(Correction, correction, CORRECTION_COLUMNS) for correction in corrections],
            links=links,
            busy_tags=tags_are_busy([tag["nearby"] for tag in tags]),
        ),
    )
