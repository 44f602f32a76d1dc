"""Cards: the stories on a list page (home, fronts, section, tag, author, search), read as values.

A list page shows dozens of stories; building a model instance for each (and an author instance for
each byline) cost more than the page's SQL. A card holds what one shows, nothing more.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from .links import article_url, page_url
from .models import Authorship
from .pagination import Page
from .prepared import prepared

#: What a card reads of its story (``QuerySet.values``).
CARD_FIELDS = (
    "pk", "headline", "slug", "kicker", "dek", "published_at", "created_at", "section__name", "section__slug",
    "image", "image_width", "image_height", "image_alt", "is_live", "live_ended_at",
)  # fmt: skip


@dataclass(slots=True)
class Card:
    pk: int
    headline: str
    url: str
    kicker: str
    dek: str
    published_at: datetime | None
    section_name: str | None
    section_url: str | None
    image: str
    image_width: int | None
    image_height: int | None
    image_alt: str
    live: bool  # a live page whose coverage has not ended: the card says "Live"
    bylines: list[tuple[str, str]] = field(default_factory=list)  # (name, slug) in byline order
    snippet: str = ""  # search results: the matching words, marked

    @classmethod
    def from_row(cls, row: dict) -> "Card":
        section_slug = row["section__slug"]
        return cls(
            pk=row["pk"],
            headline=row["headline"],
            url=article_url(row["slug"], row["published_at"], row["created_at"]),
            kicker=row["kicker"],
            dek=row["dek"],
            published_at=row["published_at"],
            section_name=row["section__name"],
            section_url=page_url("articles:section", slug=section_slug) if section_slug else None,
            image=row["image"],
            image_width=row["image_width"],
            image_height=row["image_height"],
            image_alt=row["image_alt"],
            live=row["is_live"] and not row["live_ended_at"],
        )


def card_rows(articles: QuerySet) -> QuerySet:
    """``articles`` as the rows cards are made from."""
    return articles.values(*CARD_FIELDS)


def cards(rows) -> list[Card]:
    """Cards for these rows (``card_rows``), every byline fetched in one query."""
    made = [Card.from_row(row) for row in rows]
    add_bylines(made)
    return made


def card_page(page: Page) -> Page:
    """A page of card rows (``paginate(card_rows(...))``) as cards."""
    page.object_list = cards(page.object_list)
    return page


@prepared(plan_once=True)
def _bylines(articles):
    authorships = Authorship.objects.filter(article__in=articles).order_by("position", "pk")
    return authorships.values("article_id", "author__name", "author__slug")


def bylines_of(articles: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The bylines of these stories, (name, slug) in byline order, in one query."""
    bylines = defaultdict(list)
    if articles:
        for row in _bylines(articles=articles):
            bylines[row["article_id"]].append((row["author__name"], row["author__slug"]))
    return bylines


def add_bylines(cards: list[Card]) -> None:
    """Fill in the bylines of cards gathered by several queries, in one query."""
    bylines = bylines_of([card.pk for card in cards])
    for card in cards:
        card.bylines = bylines[card.pk]
