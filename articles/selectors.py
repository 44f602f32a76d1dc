"""Read-side queries shared by the public pages."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from taggit.models import Tag

from .cards import Card, add_bylines, card_rows, cards
from .models import Article, Author, Section
from .models.fronts import showing_q

#: The home page: a lead, top stories under it, the latest headlines, then a block per section.
TOP_COUNT = 4
LATEST_COUNT = 8
SECTION_BLOCK_SIZE = 4
#: The home page reads this many of the newest stories per section besides its front: enough, most
#: days, to fill every section's block without a query of its own.
RECENT_PER_SECTION = 8


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
    articles: list[Card]


def pinned(section: Section | None = None, *, limit: int = TOP_COUNT + 1) -> list[dict]:
    """The published stories pinned on a front (a section's, or the home page's) and in force, in the
    editors' order, as card rows. A pinned story that is not public (a draft, scheduled, embargoed,
    killed) is left out, so the page falls back to the newest."""
    on_front = Q(pins__section=section) if section else Q(pins__section__isnull=True)
    pin = FilteredRelation("pins", condition=on_front & showing_q(prefix="pins__"))
    articles = Article.objects.published().annotate(pin=pin).filter(pin__isnull=False)
    # At the same position the latest pin wins: pinning a new lead needs no edit to the old one.
    return list(card_rows(articles.order_by("pin__position", "-pin__starts_at", "-pin__pk"))[:limit])


def home_page() -> dict:
    """The home page, every story on it at most once, for the same few queries however large the
    archive, however many pins: the pinned stories, the newest others (read deep enough to fill most
    section blocks too), the sections that have public stories, the blocks of quiet sections (in one
    query, only when there is one), and every byline in one more."""
    pins = pinned()
    sections = list(with_public_stories(Section.objects.all()))
    shown = TOP_COUNT + 1 + LATEST_COUNT
    newest = card_rows(Article.objects.published().exclude(pk__in=[row["pk"] for row in pins]))
    newest = list(newest[: shown + RECENT_PER_SECTION * len(sections)])
    front = [Card.from_row(row) for row in (pins + newest)[:shown]]
    lead, top, latest = front[0] if front else None, front[1 : TOP_COUNT + 1], front[TOP_COUNT + 1 :]
    blocks = section_blocks(sections, recent=newest, exclude={card.pk for card in front})
    add_bylines(front + [card for block in blocks for card in block.articles])
    return {"lead": lead, "top_stories": top, "latest": latest, "section_blocks": blocks, "nav_sections": sections}


def section_blocks(sections: list[Section], *, recent: list[dict], exclude: set[int]) -> list[SectionBlock]:
    """Each section's newest stories, none of ``exclude``: from ``recent`` (the newest stories' card rows)
    where it holds a whole block, else in one query for all the quiet sections, a UNION of one part per
    section, each reading its own index and stopping after a block, so a quiet section keeps its place on
    the home page. (One query with the parts OR-ed together made PostgreSQL read the whole table.)
    Bylines are left to the caller (``add_bylines``)."""
    by_section = defaultdict(list)
    for row in recent:
        if row["pk"] not in exclude:
            by_section[row["section__slug"]].append(row)
    quiet = [section for section in sections if len(by_section[section.slug]) < SECTION_BLOCK_SIZE]
    if quiet:
        newest = Article.objects.published().exclude(pk__in=exclude).order_by("-published_at", "-pk").values("pk")
        parts = [
            card_rows(Article.objects.filter(pk__in=newest.filter(section=section)[:SECTION_BLOCK_SIZE]).order_by())
            for section in quiet
        ]
        for section in quiet:
            by_section[section.slug] = []
        for row in sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row["published_at"], row["pk"]),
                          reverse=True):  # fmt: skip
            by_section[row["section__slug"]].append(row)
    return [
        SectionBlock(section, [Card.from_row(row) for row in by_section[section.slug][:SECTION_BLOCK_SIZE]])
        for section in sections
        if by_section[section.slug]
    ]


def section_front(section: Section) -> list[Card]:
    """The stories pinned on a section's front, bylines included: shown above its list, which leaves them out."""
    return cards(pinned(section))
