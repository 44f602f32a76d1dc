"""NITF 3.x: the IPTC's XML for one text story.

``nitf_story`` reads an already-parsed ``<nitf>`` element so NewsML-G2,
NewsML 1.2 and ninjs, which all wrap NITF at times, share this code.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .base import Block, WireError, WireParser, WireStory
from .html import html_to_blocks, unescape_tags
from .meta import parse_date, pick_source, place_name, split_byline, title_case, unique, urgency
from .xmlutil import (
    attr,
    child,
    children,
    descendants,
    first,
    inner_html,
    local,
    parse_xml,
    root_name,
    text,
)

#: NITF body vocabulary that has an HTML equivalent.
BODY_RENAME = {"hl1": "h2", "hl2": "h2", "bq": "blockquote", "block": "div", "credit": "p",
               "fn": "p", "nitf-table": "div"}  # fmt: skip
#: NITF body elements that are not copy (pictures, table metadata).
BODY_DROP = frozenset({"media", "nitf-table-metadata", "table-reference"})


def nitf_blocks(content: Element | None) -> list[Block]:
    """Blocks of a ``<body.content>`` (or any element holding NITF body markup)."""
    if content is None:
        return []
    for note in list(descendants(content, "note")):
        if attr(note, "type") == "npa":  # "not publishable" editorial note
            tail = note.tail
            note.clear()
            note.tail = tail
    return html_to_blocks(unescape_tags(inner_html(content, BODY_RENAME, BODY_DROP)))


def nitf_story(root: Element, warnings: list[str], *, format: str = "nitf") -> WireStory:
    """A story from a ``<nitf>`` element; ``warnings`` collects what was guessed."""
    head = child(root, "head")
    docdata = child(head, "docdata")
    body_head = child(root, "body", "body.head")
    hedline = child(body_head, "hedline")
    story = WireStory(format=format, warnings=warnings)

    story.headline = text(child(hedline, "hl1")) or text(child(head, "title"))
    subheadline = text(child(hedline, "hl2"))
    if subheadline != story.headline:
        story.subheadline = subheadline
    for byline in children(body_head, "byline"):
        story.bylines.extend(split_byline(text(byline, skip=frozenset({"byttl"}))))
    story.bylines = unique(story.bylines)
    story.dateline = _dateline(child(body_head, "dateline"))

    doc_id = child(docdata, "doc-id")
    story.source_id = attr(doc_id, "id-string")
    story.source = pick_source(
        [
            attr(doc_id, "regsrc"),
            *(attr(s, "src-name") for s in descendants(docdata, "from-src")),
            text(child(body_head, "distributor")),
            text(first(body_head, "rights.owner")),
            attr(child(docdata, "doc.copyright"), "holder"),
        ]
    )
    rights = child(docdata, "doc.copyright")
    story.copyright = (
        " ".join(filter(None, ["©", attr(rights, "year"), attr(rights, "holder")])) if attr(rights, "holder") else ""
    )
    story.urgency = urgency(attr(first(head, "urgency"), "ed-urg"))  # CP puts it outside docdata
    story.slugline = attr(child(docdata, "du-key"), "key") or _meta(head, "anpa-keyword")
    version = attr(child(docdata, "du-key"), "version")
    story.version = int(version) if version.isdigit() else None
    story.language = attr(root, "baselang") or attr(root, "lang")
    story.keywords = unique(attr(k, "key") or text(k) for k in descendants(child(docdata, "key-list"), "keyword"))

    issued = (
        attr(child(docdata, "date.issue"), "norm")
        or attr(first(body_head, "story.date"), "norm")
        or attr(child(head, "pubdata"), "date.publication")
    )
    story.published_at = parse_date(issued, "date.issue", warnings)
    release = parse_date(attr(child(docdata, "date.release"), "norm"), "date.release", warnings)
    status = attr(docdata, "management-status").lower()
    story.canceled = status in ("canceled", "cancelled", "withheld")
    if status == "withheld":
        warnings.append("management-status is withheld: treated as canceled")
    if release and (status == "embargoed" or not story.published_at or release > story.published_at):
        story.embargoed_until = release
    elif status == "embargoed":
        warnings.append("management-status is embargoed but there is no date.release")

    story.blocks = nitf_blocks(child(root, "body", "body.content"))
    return story


def _meta(head: Element | None, name: str) -> str:
    return next((attr(m, "content") for m in children(head, "meta") if attr(m, "name") == name), "")


def _dateline(dateline: Element | None) -> str:
    """The place of ``<dateline>``: its ``<city>``, ``<location>`` or own text."""
    if dateline is None:
        return ""
    city = first(dateline, "city")
    if city is not None and text(city):
        return title_case(text(city))
    location = first(dateline, "location")
    place = text(location) if location is not None else text(dateline, skip=frozenset({"story.date"}))
    return place_name(place)


class NITFParser(WireParser):
    format = "nitf"
    priority = 50

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        return root_name(raw) == "nitf"

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        root, warnings = parse_xml(raw)
        if local(root.tag) != "nitf":
            raise WireError(f"not NITF: the root element is <{local(root.tag)}>")
        try:
            return [nitf_story(root, warnings)]
        except RecursionError:
            raise WireError("NITF body is nested too deeply") from None
