"""NewsML-G2: ``newsMessage`` / ``newsItem`` text items.

Agencies differ in everything but the vocabulary, so elements are found by
local name (default namespace, ``ns0:`` prefixes, or TT's no namespace).
A message may hold several text items (one story each), picture items and
package items (ignored: they only point at other items).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .base import Block, WireError, WireParser, WireStory
from .html import html_to_blocks, text_to_blocks, unescape_tags
from .meta import parse_date, pick_source, place_name, split_byline, unique, urgency
from .nitf import nitf_story
from .xmlutil import attr, child, children, descendants, first, inner_html, local, parse_xml, root_name, text

ROOTS = frozenset({"newsMessage", "newsItem", "packageItem"})
#: ``itemClass`` qcodes (after the colon) of items that carry no copy.
NON_TEXT_CLASSES = frozenset({"picture", "graphic", "video", "audio", "composite", "planning"})


class NewsMLG2Parser(WireParser):
    format = "newsml"
    priority = 50

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        return root_name(raw) in ROOTS

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        root, warnings = parse_xml(raw)
        if local(root.tag) not in ROOTS:
            raise WireError(f"not NewsML-G2: the root element is <{local(root.tag)}>")
        items = [root] if local(root.tag) == "newsItem" else list(descendants(root, "newsItem"))
        # BusinessDesk capitalises <Header>; the names inside vary the same way.
        header_sources = [
            text(field)
            for header in root
            if local(header.tag).lower() == "header"
            for field in header
            if local(field.tag).lower() in ("sender", "origin")
        ]
        stories, ignored = [], []
        try:
            for item in items:
                content = _content(item)
                if content is None:
                    ignored.append(attr(item, "guid") or "without guid")
                else:
                    stories.append(self._story(item, content, header_sources, list(warnings)))
        except RecursionError:
            raise WireError("NewsML-G2 content is nested too deeply") from None
        if not stories:
            if local(root.tag) == "packageItem" or first(root, "packageItem") is not None:
                raise WireError("NewsML-G2 package without a text item: nothing to import")
            raise WireError("NewsML-G2 message without a text item: nothing to import")
        for story in stories:
            story.warnings.extend(f"ignored non-text item {guid}" for guid in ignored)
        return stories

    def _story(self, item: Element, content: tuple[str, object], header_sources: list[str],
               warnings: list[str]) -> WireStory:  # fmt: skip
        item_meta = child(item, "itemMeta")
        meta = child(item, "contentMeta")
        story = WireStory(format=self.format, warnings=warnings)
        story.source_id = attr(item, "guid")
        version = attr(item, "version")
        story.version = int(version) if version.isdigit() else None

        for headline in children(meta, "headline"):
            if "subheadline" in attr(headline, "role").lower():
                story.subheadline = story.subheadline or text(headline)
            else:
                story.headline = story.headline or text(headline)
        story.headline = story.headline or text(child(item_meta, "title"))
        story.bylines = unique(n for by in children(meta, "by") for n in split_byline(text(by)))
        story.urgency = urgency(text(child(meta, "urgency")))
        story.slugline = text(child(meta, "slugline"))
        story.dateline = place_name(text(child(meta, "dateline"))) or _located(meta)
        story.source = pick_source(
            [
                *(attr(s, "literal") or text(child(s, "name")) for s in children(meta, "infoSource")),
                *_party(child(item_meta, "provider")),
                *_party(first(item, "copyrightHolder")),
                text(child(meta, "creditline")),
                *header_sources,
            ]
        )
        story.copyright = text(first(item, "copyrightNotice"))
        language = child(meta, "language")
        story.language = attr(language, "tag") or attr(item, "lang")
        keywords = [text(k) for k in children(meta, "keyword")]
        if not any(keywords):
            keywords = [text(child(s, "name")) for s in children(meta, "subject") if attr(s, "type") != "cpnat:poi"]
        story.keywords = unique(keywords)

        created = text(child(item_meta, "versionCreated")) or text(child(item_meta, "firstCreated"))
        story.published_at = parse_date(created, "versionCreated", warnings)
        story.embargoed_until = parse_date(text(child(item_meta, "embargoed")), "embargoed", warnings)
        status = attr(child(item_meta, "pubStatus"), "qcode").rpartition(":")[2].lower()
        story.canceled = status in ("canceled", "cancelled", "withheld")
        if status == "withheld":
            warnings.append("pubStatus is withheld: treated as canceled")

        kind, value = content
        if kind == "nitf":
            _fill_from_nitf(story, value)
        else:
            story.blocks = _blocks(kind, value)
        return story


def _party(element: Element | None) -> list[str]:
    """Names a provider or copyright holder goes by: literal, qcode, name."""
    if element is None:
        return []
    return [attr(element, "literal"), attr(element, "qcode"), text(child(element, "name"))]


def _located(meta: Element | None) -> str:
    located = child(meta, "located")
    return place_name(attr(located, "literal") or text(child(located, "name")))


def _content(item: Element) -> tuple[str, object] | None:
    """The first text rendition in ``contentSet``: ("nitf", element),
    ("html", markup) or ("text", plain text); ``None`` for non-text items."""
    item_class = attr(child(item, "itemMeta", "itemClass"), "qcode").rpartition(":")[2]
    if item_class.lower() in NON_TEXT_CLASSES:
        return None
    for part in children(child(item, "contentSet"), "inlineXML"):
        nested = next(iter(part), None)
        if nested is not None and local(nested.tag) == "nitf":
            return "nitf", nested
        if nested is not None:
            body = first(part, "body")
            return "html", unescape_tags(inner_html(body if body is not None else part))
        if (part.text or "").strip():  # escaped markup instead of elements
            return "html", part.text
    for part in children(child(item, "contentSet"), "inlineData"):
        data = part.text or ""
        ctype = attr(part, "contenttype").lower()
        if not data.strip():
            continue
        # ANSA sends text/plain whose CDATA holds <p> markup.
        if "html" in ctype or "<p" in data.lower() or "<br" in data.lower():
            return "html", data
        return "text", data
    return None


def _blocks(kind: str, value: object) -> list[Block]:
    return html_to_blocks(str(value)) if kind == "html" else text_to_blocks(str(value))


def _fill_from_nitf(story: WireStory, nitf: object) -> None:
    """Body from NITF carried inline; its head fills what the G2 metadata left empty."""
    inner = nitf_story(nitf, story.warnings, format=story.format)  # type: ignore[arg-type]
    story.blocks = inner.blocks
    for field in ("headline", "subheadline", "bylines", "dateline", "source", "keywords", "urgency", "slugline"):
        if not getattr(story, field):
            setattr(story, field, getattr(inner, field))
