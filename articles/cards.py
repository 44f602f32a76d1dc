"""Cards: the stories on a list page (home, fronts, section, tag, author, search), read as values.

A list page shows dozens of stories; building a model instance for each (and an author instance for
each byline) cost more than the page's SQL. A card holds what one shows, nothing more.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from .links import article_urls, page_url
from .markup import local_time
from .models import Authorship
from .pagination import Page
from .prepared import prepared

#: What a card reads of its story (``QuerySet.values``).
CARD_FIELDS = (
    "pk", "headline", "slug", "kicker", "dek", "published_at", "created_at", "section__name", "section__slug",
    "image", "image_width", "image_height", "image_alt", "is_live", "live_ended_at",
)  # fmt: skip


#: How a card prints its time (Django's date format), and the home page's latest list.
CARD_TIME, CLOCK_TIME = "j M Y, H:i", "H:i"


@dataclass(slots=True)
class Card:
    pk: int
    headline: str
    url: str
    kicker: str
    dek: str
    published_at: datetime | None
    # Its publication time (or ""): for ``<time datetime>``, as a card prints it, and as a clock.
    published_iso: str
    published_text: str
    published_clock: str
    section_name: str | None
    section_url: str | None
    image: str
    image_width: int | None
    image_height: int | None
    image_alt: str
    live: bool  # a live page whose coverage has not ended: the card says "Live"
    bylines: list[tuple[str, str]] = field(default_factory=list)  # (name, slug) in byline order
    snippet: str = ""  # search results: the matching words, marked


def card_maker() -> Callable[[dict], Card]:
    """Makes the cards of one page from their rows. The time zone, language, URLconf and script prefix
    are context-local lookups; read once a page, not a few times a card, they cost a tenth of a page."""
    url = article_urls()
    zone, language = timezone.get_current_timezone(), get_language()

    def make(row: dict) -> Card:
        when, section_slug = row["published_at"], row["section__slug"]
        times = [local_time(when, f, zone, language) if when else "" for f in ("c", CARD_TIME, CLOCK_TIME)]
        return Card(
            pk=row["pk"],
            headline=row["headline"],
            url=url(row["slug"], when, row["created_at"]),
            kicker=row["kicker"],
            dek=row["dek"],
            published_at=when,
            published_iso=times[0],
            published_text=times[1],
            published_clock=times[2],
            section_name=row["section__name"],
            section_url=page_url("articles:section", slug=section_slug) if section_slug else None,
            image=row["image"],
            image_width=row["image_width"],
            image_height=row["image_height"],
            image_alt=row["image_alt"],
            live=row["is_live"] and not row["live_ended_at"],
        )

    return make


def card_rows(articles: QuerySet) -> QuerySet:
    """``articles`` as the rows cards are made from."""
    return articles.values(*CARD_FIELDS)


def cards(rows) -> list[Card]:
    """Cards for these rows (``card_rows``), every byline fetched in one query."""
    made = list(map(card_maker(), rows))
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
