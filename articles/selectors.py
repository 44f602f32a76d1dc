"""Read-side queries shared by the public pages."""

from collections import defaultdict
from dataclasses import dataclass

from .models import Article, Section

LATEST_COUNT = 12
SECTION_BLOCK_SIZE = 4
#: The home page is built from this many latest stories, fetched in one
#: query, so it costs the same few queries however large the archive grows.
#: A section with nothing among them gets no block.
HOME_WINDOW = 60


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
