"""Read-side queries shared by the public pages."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from taggit.models import Tag

from .models import Article, Author, Section

LATEST_COUNT = 12
SECTION_BLOCK_SIZE = 4
#: The home page is built from this many latest stories, fetched in one
#: query, so it costs the same few queries however large the archive grows.
#: A section with nothing among them gets no block.
HOME_WINDOW = 60


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


def home_page() -> dict:
    window = list(Article.objects.published().for_listing()[:HOME_WINDOW])
    lead, latest = (window[:1] or [None])[0], window[1 : LATEST_COUNT + 1]
    by_section = defaultdict(list)
    for article in window[1:]:
        if article.section_id and len(by_section[article.section_id]) < SECTION_BLOCK_SIZE:
            by_section[article.section_id].append(article)
    # Sections come with their articles (``for_listing`` selects them): no query of their own.
    sections = sorted({a.section for a in window[1:] if a.section_id}, key=lambda s: (s.order, s.name))
    blocks = [SectionBlock(section, by_section[section.pk]) for section in sections]
    return {"lead": lead, "latest": latest, "section_blocks": blocks}
