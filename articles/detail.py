"""What the article page reads: the story, then its bylines, tags, corrections and related links, each
by a prepared query (``articles.prepared``), as the model instances the page and its structured data use.

The page asks the same six small questions on every request; building and compiling them cost more
than answering them.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .models import Article, Author, Authorship, Correction, RelatedLink, Section
from .prepared import prepared


def _columns(model, *, leave_out=()) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if field.name not in leave_out]


#: The story's own columns (its search vector is the database's, not the page's) and its section's.
ARTICLE_COLUMNS = _columns(Article, leave_out={"search_vector"})
SECTION_COLUMNS = _columns(Section)
CORRECTION_COLUMNS = _columns(Correction)
LINK_COLUMNS = _columns(RelatedLink)
#: A related link's target: what its title, address and "is it public" need.
TARGET_COLUMNS = ["id", "headline", "slug", "status", "published_at", "created_at", "embargoed_until"]


def _instance(model, row: dict, columns: list[str], prefix: str = ""):
    return model.from_db(DEFAULT_DB_ALIAS, columns, [row[prefix + column] for column in columns])


def _with_section(articles):
    return articles.values(*ARTICLE_COLUMNS, *(f"section__{column}" for column in SECTION_COLUMNS))


@prepared
def _public_article(slug, now):
    return _with_section(Article.objects.published(now).filter(slug=slug))


@prepared
def _any_article(slug):
    return _with_section(Article.objects.filter(slug=slug))


def article(slug: str, *, staff: bool = False) -> Article | None:
    """The story at ``slug`` with its section: a public one, or any for staff."""
    rows = _any_article(slug=slug) if staff else _public_article(slug=slug, now=timezone.now())
    if not rows:
        return None
    story = _instance(Article, rows[0], ARTICLE_COLUMNS)
    if story.section_id:
        story.section = _instance(Section, rows[0], SECTION_COLUMNS, prefix="section__")
    return story


@prepared
def _bylines(article):
    authorships = Authorship.objects.filter(article=article).order_by("position", "pk")
    return authorships.values("author__id", "author__name", "author__slug")


@prepared
def _tags(article, content_type):
    items = TaggedItem.objects.filter(object_id=article, content_type=content_type).order_by("pk")
    return items.values("tag__id", "tag__name", "tag__slug")


@prepared
def _corrections(article):
    return Correction.objects.filter(article=article).order_by("created_at", "pk").values(*CORRECTION_COLUMNS)


@prepared
def _links(article):
    links = RelatedLink.objects.filter(article=article).order_by("position", "pk")
    return links.values(*LINK_COLUMNS, *(f"target__{column}" for column in TARGET_COLUMNS))


@dataclass
class StoryParts:
    bylines: list[Author]
    tags: list[Tag]
    corrections: list[Correction]
    links: list[RelatedLink]  # the public ones: published targets and external addresses


def parts(story: Article) -> StoryParts:
    content_type = ContentType.objects.get_for_model(Article).pk
    links = []
    for row in _links(article=story.pk):
        link = _instance(RelatedLink, row, LINK_COLUMNS)
        if link.target_id:
            link.target = _instance(Article, row, TARGET_COLUMNS, prefix="target__")
        if link.is_public():
            links.append(link)
    return StoryParts(
        bylines=[
            _instance(Author, row, ["id", "name", "slug"], prefix="author__") for row in _bylines(article=story.pk)
        ],
        tags=[
            _instance(Tag, row, ["id", "name", "slug"], prefix="tag__")
            for row in _tags(article=story.pk, content_type=content_type)
        ],
        corrections=[_instance(Correction, row, CORRECTION_COLUMNS) for row in _corrections(article=story.pk)],
        links=links,
    )
