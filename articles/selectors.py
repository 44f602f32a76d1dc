"""Read-side queries shared by the public pages."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from taggit.models import Tag

from .caching import kept_like_pages
from .cards import Card, add_bylines, card_maker, card_rows, cards
from .models import Article, Author, Section, article_type_id
from .models.fronts import showing_q
from .prepared import columns, instance, prepared

#: The home page: a lead, top stories under it, the latest headlines, then a block per section.
TOP_COUNT = 4
LATEST_COUNT = 8
SECTION_BLOCK_SIZE = 4
#: The home page reads this many of the newest stories: its front, and enough, most days, to fill
#: every section's block without a query of its own.
HOME_RECENT = 100


#: How an article reaches each kind of name it is filed under.
STORY_RELATIONS = {Section: "section", Tag: "tags", Author: "authorships__author"}


def with_public_stories(names: QuerySet, now=None) -> QuerySet:
    """The sections, tags or authors among ``names`` that have a published story.

    Only those are public: a name tied to nothing but drafts, scheduled or
    embargoed stories has no page or feed and is listed nowhere. One probe of
    an index per name, in the same query: the first public story found, not
    ``EXISTS``, which PostgreSQL planned as a bitmap of every item of a common
    tag (245,751 of them at 1,000,000 articles) before it looked at one.
    """
    public = Article.objects.published(now).filter(**{STORY_RELATIONS[names.model]: OuterRef("pk")})
    return names.alias(public_story=Subquery(public.values("pk")[:1])).filter(public_story__isnull=False)


@prepared(plan_once=True)
def _public_sections(now):
    return with_public_stories(Section.objects.all(), now).values(*columns(Section))


@kept_like_pages
def public_sections() -> list[Section]:
    """The sections with a public story, in the navigation's order: the others have no page yet.
    Every page's navigation shows them, and they change only when the site does: kept between
    requests as cached pages are (``kept_like_pages``)."""
    return [instance(Section, row, columns(Section)) for row in _public_sections(now=timezone.now())]


def _public_name_query(model):
    @prepared(plan_once=True)
    def rows(slug, now):
        return with_public_stories(model.objects.filter(slug=slug), now).values(*columns(model))

    return rows


_PUBLIC_NAMES = {model: _public_name_query(model) for model in STORY_RELATIONS}


def public_name(model, slug: str):
    """The section, tag or author with this slug if it has a public story, else None."""
    found = _PUBLIC_NAMES[model](slug=slug, now=timezone.now())
    return instance(model, found[0], columns(model)) if found else None


@dataclass
class SectionBlock:
    section: Section
    articles: list[Card]


def _pinned_rows(on_front: Q, now):
    pin = FilteredRelation("pins", condition=on_front & showing_q(now, prefix="pins__"))
    articles = Article.objects.published(now).annotate(pin=pin).filter(pin__isnull=False)
    # At the same position the latest pin wins: pinning a new lead needs no edit to the old one.
    return card_rows(articles.order_by("pin__position", "-pin__starts_at", "-pin__pk"))[: TOP_COUNT + 1]


@prepared(plan_once=True)
def _home_pins(now):
    return _pinned_rows(Q(pins__section__isnull=True), now)


@prepared(plan_once=True)
def _section_pins(section, now):
    return _pinned_rows(Q(pins__section=section), now)


def pinned(section: Section | None = None) -> list[dict]:
    """The published stories pinned on a front (a section's, or the home page's) and in force, in the
    editors' order, as card rows. A pinned story that is not public (a draft, scheduled, embargoed,
    killed) is left out, so the page falls back to the newest."""
    now = timezone.now()
    return _section_pins(section=section.pk, now=now) if section else _home_pins(now=now)


@prepared(plan_once=True)
def _newest(exclude, now):
    return card_rows(Article.objects.published(now).exclude(pk__in=exclude))[:HOME_RECENT]


def home_page() -> dict:
    """The home page, every story on it at most once, for the same few queries however large the
    archive, however many pins: the pinned stories, the newest others (read deep enough to fill most
    section blocks too), the sections that have public stories, the blocks of quiet sections (in one
    query, only when there is one), and every byline in one more."""
    pins = pinned()
    sections = public_sections()
    newest = _newest(exclude=[row["pk"] for row in pins], now=timezone.now())
    make = card_maker()
    front = [make(row) for row in (pins + newest)[: TOP_COUNT + 1 + LATEST_COUNT]]
    lead, top, latest = front[0] if front else None, front[1 : TOP_COUNT + 1], front[TOP_COUNT + 1 :]
    blocks = section_blocks(sections, recent=newest, exclude={card.pk for card in front})
    add_bylines(front + [card for block in blocks for card in block.articles])
    return {"lead": lead, "top_stories": top, "latest": latest, "section_blocks": blocks, "nav_sections": sections}


@prepared(plan_once=True)
def _block_rows(sections, exclude, now):
    """A UNION of one part per section, each reading its own index and stopping after a block.
    (One query with the parts OR-ed together made PostgreSQL read the whole table.)"""
    newest = Article.objects.published(now).exclude(pk__in=exclude).order_by("-published_at", "-pk").values("pk")
    parts = [
        card_rows(Article.objects.filter(pk__in=newest.filter(section=section)[:SECTION_BLOCK_SIZE]).order_by())
        for section in sections
    ]
    return parts[0].union(*parts[1:], all=True)


def section_blocks(sections: list[Section], *, recent: list[dict], exclude: set[int]) -> list[SectionBlock]:
    """Each section's newest stories, none of ``exclude``: from ``recent`` (the newest stories' card rows)
    where it holds a whole block, else in one query for all the quiet sections, so a quiet section keeps
    its place on the home page. Bylines are left to the caller (``add_bylines``)."""
    by_section = defaultdict(list)
    for row in recent:
        if row["pk"] not in exclude:
            by_section[row["section__slug"]].append(row)
    quiet = [section for section in sections if len(by_section[section.slug]) < SECTION_BLOCK_SIZE]
    if quiet:
        rows = _block_rows(sections=[section.pk for section in quiet], exclude=sorted(exclude), now=timezone.now())
        for section in quiet:
            by_section[section.slug] = []
        for row in sorted(rows, key=lambda row: (row["published_at"], row["pk"]), reverse=True):
            by_section[row["section__slug"]].append(row)
    make = card_maker()
    return [
        SectionBlock(section, [make(row) for row in by_section[section.slug][:SECTION_BLOCK_SIZE]])
        for section in sections
        if by_section[section.slug]
    ]


def section_front(section: Section) -> list[Card]:
    """The stories pinned on a section's front, bylines included: shown above its list, which leaves them out."""
    return cards(pinned(section))


#: Stories on a page of a list (section, tag, author, search).
LIST_PAGE_SIZE = 20


@prepared(plan_once=True)
def _section_first_page(section, exclude, now):
    articles = Article.objects.published(now).filter(section=section).exclude(pk__in=exclude)
    return card_rows(articles)[: LIST_PAGE_SIZE + 1]


# A tag's and an author's lists are planned for their values: a rare tag's best plan is not a common
# tag's (migration 0010), nor a prolific author's an occasional one's.
@prepared
def _tag_first_page(tag, content_type, now):
    return card_rows(Article.objects.published(now).tagged(tag, content_type))[: LIST_PAGE_SIZE + 1]


@prepared
def _author_first_page(author, now):
    return card_rows(Article.objects.published(now).filter(authorships__author=author))[: LIST_PAGE_SIZE + 1]


def first_page(name, *, exclude=()) -> list[dict]:
    """The card rows of the first page of a section's, tag's or author's list (one more than a page,
    to tell whether there is a next), leaving out ``exclude`` (a section front's pinned stories)."""
    now = timezone.now()
    if isinstance(name, Section):
        return _section_first_page(section=name.pk, exclude=list(exclude), now=now)
    if isinstance(name, Tag):
        return _tag_first_page(tag=name.pk, content_type=article_type_id(), now=now)
    return _author_first_page(author=name.pk, now=now)
