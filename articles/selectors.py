"""Read-side queries shared by the public pages."""

from collections import defaultdict
from dataclasses import dataclass

from .models import Article, Section

SECTION_BLOCK_SIZE = 4
#: Section blocks on the home page are filled from this many latest stories,
#: so the page costs the same few queries however large the archive grows.
SECTION_BLOCK_WINDOW = 300


@dataclass
class SectionBlock:
    section: Section
    articles: list[Article]


def home_page() -> dict:
    latest = list(Article.objects.published().for_listing()[:13])
    lead, rest = (latest[0], latest[1:]) if latest else (None, [])
    shown = {article.pk for article in latest}

    recent = Article.objects.published().filter(section__isnull=False).exclude(pk__in=shown)
    ids_by_section = defaultdict(list)
    for pk, section_id in recent.values_list("pk", "section_id")[:SECTION_BLOCK_WINDOW]:
        if len(ids_by_section[section_id]) < SECTION_BLOCK_SIZE:
            ids_by_section[section_id].append(pk)
    wanted = [pk for ids in ids_by_section.values() for pk in ids]
    by_pk = Article.objects.for_listing().in_bulk(wanted) if wanted else {}
    blocks = [
        SectionBlock(section, [by_pk[pk] for pk in ids_by_section[section.pk]])
        for section in Section.objects.all()
        if ids_by_section.get(section.pk)
    ]
    return {"lead": lead, "latest": rest, "section_blocks": blocks}
