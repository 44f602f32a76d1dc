"""NewsML 1.2 (AFP): ``NewsML`` / ``NewsItem`` with ``NewsLines`` and a ``DataContent`` body.

The body is an NITF fragment or bare ``<p>`` elements.  The ``DateLine``
("STOCKHOLM, Aug 29, 2014 (AFP) -") is metadata, separate from the body, so
only its place goes to ``story.dateline``; the agency comes from the provider.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .base import WireError, WireParser, WireStory
from .html import html_to_blocks, unescape_tags
from .meta import parse_date, pick_source, place_name, split_byline, unique, urgency
from .nitf import nitf_blocks
from .xmlutil import attr, child, children, descendants, first, inner_html, local, parse_xml, root_name, text


class NewsML1Parser(WireParser):
    format = "newsml1"
    priority = 50

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        return root_name(raw) == "NewsML"

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        root, warnings = parse_xml(raw)
        if local(root.tag) != "NewsML":
            raise WireError(f"not NewsML 1.2: the root element is <{local(root.tag)}>")
        items = list(descendants(root, "NewsItem"))
        if not items:
            raise WireError("NewsML 1.2 document without a NewsItem: nothing to import")
        try:
            return [self._story(item, list(warnings)) for item in items]
        except RecursionError:
            raise WireError("NewsML 1.2 content is nested too deeply") from None

    def _story(self, item: Element, warnings: list[str]) -> WireStory:
        story = WireStory(format=self.format, warnings=warnings)
        identifier = first(item, "NewsIdentifier")
        story.source_id = text(child(identifier, "PublicIdentifier")) or text(child(identifier, "NewsItemId"))
        revision = text(child(identifier, "RevisionId"))
        story.version = int(revision) if revision.isdigit() else None

        lines = first(item, "NewsLines")
        story.headline = text(child(lines, "HeadLine"))
        story.subheadline = text(child(lines, "SubHeadLine"))
        story.bylines = unique(n for b in children(lines, "ByLine") for n in split_byline(text(b)))
        story.dateline = place_name(text(child(lines, "DateLine")))
        story.slugline = text(child(lines, "SlugLine"))
        story.urgency = urgency(attr(first(item, "Urgency"), "FormalName"))
        story.source = pick_source(
            [
                *(attr(p, "FormalName") for p in descendants(first(item, "Provider"), "Party")),
                text(child(identifier, "ProviderId")),
                text(child(lines, "CopyrightLine")).lstrip("©").strip(" 0123456789"),
            ]
        )
        language = first(item, "Language")
        story.language = attr(language, "FormalName") or attr(item, "lang")
        story.keywords = unique(
            attr(p, "Value") for p in descendants(item, "Property") if attr(p, "FormalName") == "Keyword"
        )

        management = child(item, "NewsManagement")
        created = text(child(management, "ThisRevisionCreated")) or text(child(management, "FirstCreated"))
        story.published_at = parse_date(created, "ThisRevisionCreated", warnings)
        status = attr(child(management, "Status"), "FormalName").lower()
        story.canceled = status in ("canceled", "cancelled", "withheld")
        if status == "embargoed":
            change = text(first(management, "DateAndTime"))
            story.embargoed_until = parse_date(change, "StatusWillChange", warnings)

        content = _text_content(item)
        if content is not None:
            nitf_body = first(content, "body.content")
            if nitf_body is not None:
                story.blocks = nitf_blocks(nitf_body)
            else:
                story.blocks = html_to_blocks(unescape_tags(inner_html(content)))
        return story


def _text_content(item: Element) -> Element | None:
    """The ``DataContent`` of the first text ``ContentItem``."""
    for content_item in descendants(item, "ContentItem"):
        media_type = attr(child(content_item, "MediaType"), "FormalName").lower()
        data = child(content_item, "DataContent")
        if data is not None and media_type in ("", "text"):
            return data
    return None
