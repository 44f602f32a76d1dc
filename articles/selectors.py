"""Read-side queries shared by the public pages."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet, prefetch_related_objects
from taggit.models import Tag

from .models import Article, Author, Section
from .models.content import bylines_prefetch
from .models.fronts import showing_q

#: The home page: a lead, top stories under it, the latest headlines, then a block per section.
TOP_COUNT = 4
LATEST_COUNT = 8
SECTION_BLOCK_SIZE = 4


#: How an article reaches each kind of name it is filed under.
STORY_RELATIONS = {Section: "section", Tag: "tags", Author: "authorships__author"}


def with_public_stories(names: QuerySet) -> QuerySet:
    """The sections, tags or authors among ``names`` that have a published story.

    Only those are public: a name tied to nothing but drafts, scheduled or
    embargoed stories has no page or feed and is listed nowhere. One probe of
    an index per name, in the same query.
    """
    public = Article.objects.published().filter(**{STORY_RELATIONS[names.model]: OuterRef("pk")})
    return names.filter(Exists(public))


@dataclass
class SectionBlock:
    section: Section
    articles: list[Article]


def pinned(section: Section | None = None, *, limit: int = TOP_COUNT + 1) -> list[Article]:
    """The published stories pinned on a front (a section's, or the home page's) and in force, in the
    editors' order. A pinned story that is not public (a draft, scheduled, embargoed, killed) is left
    out, so the page falls back to the newest. Bylines are left to the caller (``prefetch_bylines``)."""
    on_front = Q(pins__section=section) if section else Q(pins__section__isnull=True)
    pin = FilteredRelation("pins", condition=on_front & showing_q(prefix="pins__"))
    articles = Article.objects.published().for_card().annotate(pin=pin).filter(pin__isnull=False)
    # At the same position the latest pin wins: pinning a new lead needs no edit to the old one.
    return list(articles.order_by("pin__position", "-pin__starts_at", "-pin__pk")[:limit])


def home_page() -> dict:
    """The home page, every story on it at most once, for the same few queries however large the
    archive, however many pins: the pinned stories, the newest others, the sections that have public
    stories, then their newest stories not shown above (in one query), and every byline in one more."""
    pins = pinned()
    newest = list(
        Article.objects.published().for_card().exclude(pk__in=[a.pk for a in pins])[: TOP_COUNT + 1 + LATEST_COUNT]
    )
    front = pins + newest
    lead, top, latest = front[0] if front else None, front[1 : TOP_COUNT + 1], front[TOP_COUNT + 1 :]
    latest = latest[:LATEST_COUNT]
    shown = [a.pk for a in [lead, *top, *latest] if a]
    sections = list(with_public_stories(Section.objects.all()))
    blocks = section_blocks(sections, exclude=shown)
    prefetch_bylines([a for a in [lead, *top, *latest] if a] + [a for block in blocks for a in block.articles])
    return {"lead": lead, "top_stories": top, "latest": latest, "section_blocks": blocks, "nav_sections": sections}


def section_blocks(sections: list[Section], *, exclude) -> list[SectionBlock]:
    """Each section's newest stories, none of ``exclude``, in one query: a UNION of one part per section,
    each reading its own index and stopping after a block, so a quiet section keeps its place on the home
    page. (One query with the parts OR-ed together made PostgreSQL read the whole table.)"""
    if not sections:
        return []
    newest = Article.objects.published().exclude(pk__in=exclude).order_by("-published_at", "-pk").values("pk")
    parts = [
        Article.objects.for_card().filter(pk__in=newest.filter(section=section)[:SECTION_BLOCK_SIZE]).order_by()
        for section in sections
    ]
    by_section = defaultdict(list)
    for article in sorted(parts[0].union(*parts[1:], all=True), key=lambda a: (a.published_at, a.pk), reverse=True):
        by_section[article.section_id].append(article)
    return [SectionBlock(section, by_section[section.pk]) for section in sections if by_section[section.pk]]


def section_front(section: Section) -> list[Article]:
    """The stories pinned on a section's front, bylines included: shown above its list, which leaves them out."""
    articles = pinned(section)
    prefetch_bylines(articles)
    return articles


def prefetch_bylines(articles: list[Article]) -> None:
    """The bylines of stories fetched by several queries, in one query."""
    prefetch_related_objects(articles, bylines_prefetch())
