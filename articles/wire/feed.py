"""RSS 2.0, RSS 1.0 and Atom feeds, read with feedparser: one story per entry.

feedparser has its own XML handling, so the bytes first go through the
defusedxml check in ``xmlutil.parse_xml``: entity declarations and external
references are refused before feedparser sees anything.  A feed that is
merely malformed (and declares no DTD) is still read, leniently, with a
warning, because real feeds often are.
"""

from __future__ import annotations

import codecs
import io
import re
from calendar import timegm
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

import feedparser

from .base import Block, WireError, WireParser, WireStory
from .html import html_to_blocks, text_to_blocks
from .meta import pick_source, split_byline, unique
from .xmlutil import MalformedXML, local, parse_xml, resolve_entities, root_name

ROOTS = frozenset({"rss", "feed", "RDF"})
#: Vendor elements holding the real copy when the standard content is a stub,
#: by namespace: WENN puts a placeholder in <content> and the story here.
VENDOR_BODY = {"http://feed.wenn.com/xmlns/2010/03/wenn_cm": ("first_line", "body")}


class FeedParser(WireParser):
    format = "rss"
    priority = 30

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        return root_name(raw) in ROOTS

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        try:
            root, warnings = parse_xml(raw)
        except MalformedXML as error:
            if re.search(rb"<!(DOCTYPE|ENTITY)", raw, re.I):
                raise
            root, warnings = None, [f"{error}; read leniently"]
        if root is not None and local(root.tag) not in ROOTS:
            raise WireError(f"not a feed: the root element is <{local(root.tag)}>")
        if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Latin-1 maps bytes one to one, so any ASCII-compatible encoding
            # survives; feedparser would drop "&endash;" with the text after it.
            raw = resolve_entities(raw.decode("latin-1"))[0].encode("latin-1")
        try:
            # A BytesIO, not bytes: feedparser would try bytes as a file name.
            parsed = feedparser.parse(io.BytesIO(raw), resolve_relative_uris=False)
        except ValueError as error:  # its encoding sniffing, on a declared encoding with a NUL in it
            raise WireError(f"unreadable feed: {error}") from None
        if not parsed.entries:
            if parsed.bozo and root is None:
                raise WireError(f"unreadable feed: {parsed.get('bozo_exception')}")
            raise WireError("feed has no items")
        channel = parsed.feed
        source = pick_source([channel.get("title", ""), channel.get("author", "")], fallback=False)
        vendor = _vendor_bodies(root)
        stories, skipped = [], []
        for entry in parsed.entries:
            story = self._story(entry, source, channel.get("language", ""), vendor, list(warnings))
            if story.blocks:
                stories.append(story)
            else:
                skipped.append(story.source_id or story.headline or "untitled")
        if not stories:
            raise WireError("feed has no item with a body")
        for story in stories:
            story.warnings.extend(f"skipped item without a body: {s}" for s in skipped)
        return stories

    def _story(self, entry, source: str, language: str, vendor: dict[str, str],
               warnings: list[str]) -> WireStory:  # fmt: skip
        story = WireStory(format=self.format, source=source, warnings=warnings)
        story.headline = " ".join(entry.get("title", "").split())
        story.source_id = entry.get("id") or entry.get("link", "")
        names = [a.get("name", "") for a in entry.get("authors", [])] or [entry.get("author", "")]
        story.bylines = unique(n for name in names for n in split_byline(name))
        story.keywords = unique(tag.get("term", "") for tag in entry.get("tags", []))
        story.language = entry.get("language") or language
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            try:
                story.published_at = datetime.fromtimestamp(timegm(stamp), tz=UTC)
            except (OverflowError, ValueError, OSError):
                warnings.append(f"ignored an impossible date: {stamp}")
        story.blocks = _entry_blocks(entry, vendor.get(story.source_id, ""))
        return story


# WordPress shortcodes ([gallery ids="1,2"], [caption ...]text[/caption]) are
# instructions to the blog's theme, unrendered in an export.  A bracketed word
# counts as one only if it has attributes, an underscore or hyphen, a closing
# tag, or is a core shortcode: "[sic]" and "[1]" are text.
#: Enclosing shortcodes whose content is not copy (a URL, a form, a player);
#: any other keeps its content, as [caption] keeps the caption text.
SHORTCODES_DROP_CONTENT = re.compile(r"embed|gallery|slider|form|audio|video|player|playlist|map|code|tweet", re.I)
#: Core shortcodes recognised even with no attributes.
CORE_SHORTCODES = frozenset({"gallery", "embed", "audio", "video", "playlist", "caption", "wp_caption"})
_SHORTCODE_NAME = r"[a-zA-Z][\w-]*"
_OPENING = rf"\[(?P<name>{_SHORTCODE_NAME})(?P<attrs>(?:\s[^\[\]]*)?)"
_ENCLOSING = re.compile(rf"{_OPENING}\](?P<content>.*?)\[/(?P=name)\]", re.S)
_SELF_CLOSING = re.compile(rf"{_OPENING}/?\]")


def strip_shortcodes(text: str) -> str:
    """``text`` without WordPress shortcodes; caption-like ones keep their content."""

    def enclosing(found: re.Match[str]) -> str:
        drop = SHORTCODES_DROP_CONTENT.search(found["name"])
        return "" if drop else strip_shortcodes(found["content"])

    def self_closing(found: re.Match[str]) -> str:
        name = found["name"]
        is_shortcode = "=" in found["attrs"] or "_" in name or "-" in name or name.lower() in CORE_SHORTCODES
        return "" if is_shortcode else found.group(0)

    text = _ENCLOSING.sub(enclosing, text)
    return _SELF_CLOSING.sub(self_closing, text)


def _entry_blocks(entry, vendor_text: str) -> list[Block]:
    """Vendor copy, else content:encoded / Atom content, else the description."""
    if vendor_text:
        return text_to_blocks(vendor_text)
    contents = sorted(entry.get("content", []), key=lambda c: "html" not in c.get("type", ""))
    for part in [*contents, entry.get("summary_detail") or {}]:
        value = strip_shortcodes(part.get("value", ""))
        if not value.strip():
            continue
        blocks = html_to_blocks(value) if "html" in part.get("type", "html") else text_to_blocks(value)
        if blocks:
            return blocks
    return []


def _vendor_bodies(root: Element | None) -> dict[str, str]:
    """Vendor copy by entry id (the defusedxml tree; feedparser mangles prefixes)."""
    bodies: dict[str, str] = {}
    if root is None:
        return bodies
    for entry in root.iter():
        if local(entry.tag) not in ("entry", "item"):
            continue
        entry_id = next((" ".join((e.text or "").split()) for e in entry if local(e.tag) in ("id", "guid")), "")
        for namespace, fields in VENDOR_BODY.items():
            parts = [entry.findtext(f".//{{{namespace}}}{field}", "").strip() for field in fields]
            if entry_id and any(parts):
                bodies[entry_id] = "\n\n".join(p for p in parts if p)
    return bodies
