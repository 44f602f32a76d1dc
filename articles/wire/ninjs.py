"""ninjs (IPTC News in JSON), versions 1.x to 3.x, bare or in an API envelope.

Versions differ in spelling more than in meaning: ``headline`` becomes
``headlines[]``, ``body_html`` becomes ``bodies[]``, lower case becomes
camelCase.  Items are read by what they hold, not validated against the
official schemas: real feeds (Superdesk, AP, BBC) fail those schemas and
are still worth importing.

An item with no body imports its description as the body (NTB sends the
lead as ``descriptions``), with a warning; an item with neither is refused.
"""

from __future__ import annotations

import json
from typing import Any

from .base import Block, WireError, WireParser, WireStory
from .html import html_to_blocks, text_to_blocks
from .meta import parse_date, pick_source, place_name, split_byline, unique, urgency
from .nitf import nitf_story
from .xmlutil import local, parse_xml

#: Keys that make a JSON object look like a ninjs item.
ITEM_KEYS = frozenset(
    "uri guid headline headlines body_html body_xhtml body_text bodies versioncreated versionCreated byline".split()
)
#: Body kinds from best to worst: HTML keeps structure, NITF needs a second parse.
BODY_PREFERENCE = ("html", "nitf", "text")


def _items(data: Any) -> list[dict]:
    """The ninjs items of a bare item, a list, or an API envelope
    ({data: {item}}, {item: [...]}, {items: [...]}, {total, item: [...]})."""
    if isinstance(data, list):
        return [i for i in data if isinstance(i, dict) and ITEM_KEYS & i.keys()]
    if not isinstance(data, dict):
        return []
    if ITEM_KEYS & data.keys():
        return [data]
    for key in ("data", "item", "items"):
        if found := _items(data.get(key)):
            return found
    return []


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _get(item: dict, *keys: str) -> Any:
    """The first present value among ``keys`` (ninjs 1.x/2.x lower case, 3.x camelCase)."""
    return next((item[k] for k in keys if item.get(k) not in (None, "", [], {})), None)


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _names(value: Any) -> list[str]:
    """Names of a list of subjects/authors; plain strings count as names."""
    if not isinstance(value, list):
        return []
    return [_str(v) if isinstance(v, str) else _str(v.get("name")) for v in value if isinstance(v, (str, dict))]


class NinjsParser(WireParser):
    format = "ninjs"
    priority = 40

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
            return False
        try:
            return bool(_items(json.loads(raw.decode("utf-8-sig"))))
        except (ValueError, RecursionError):
            return False

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise WireError(f"JSON is not UTF-8 text: {error.reason} at byte {error.start}") from None
        except json.JSONDecodeError as error:
            raise WireError(f"malformed JSON: {error.msg} at line {error.lineno}") from None
        except RecursionError:
            raise WireError("JSON is nested too deeply") from None
        items = _items(data)
        if not items:
            raise WireError("JSON is not a ninjs item or an envelope of ninjs items")
        stories, errors = [], []
        for index, item in enumerate(items, 1):
            try:
                stories.append(self._story(item))
            except WireError as error:
                errors.append(f"item {index}: {error}")
        if not stories:
            raise WireError(errors[0].partition(": ")[2] if len(errors) == 1 else "; ".join(errors))
        for story in stories:
            story.warnings.extend(f"skipped {e}" for e in errors)
        return stories

    def _story(self, item: dict) -> WireStory:
        story = WireStory(format=self.format)
        warnings = story.warnings
        altids = item.get("altids")
        # AP's Media API uri carries per-request tokens; its itemid is stable.
        itemid = altids.get("itemid") if isinstance(altids, dict) else None
        source_id = _get(item, "uri", "guid", "id")
        story.source_id = _str(itemid) or (str(source_id) if isinstance(source_id, (str, int)) else "")
        version = item.get("version")
        story.version = int(version) if isinstance(version, int) or _str(version).isdigit() else None

        headlines = _dicts(item.get("headlines"))
        story.headline = _str(item.get("headline")) or next(
            (_str(h.get("value")) for h in headlines if h.get("role") in (None, "main")), ""
        ) or next((_str(h.get("value")) for h in headlines), "")  # fmt: skip
        story.subheadline = next((_str(h.get("value")) for h in headlines if "sub" in _str(h.get("role")).lower()), "")
        byline = _str(_get(item, "byline", "by"))
        story.bylines = unique(split_byline(byline) if byline else _names(item.get("authors")))
        story.dateline = place_name(_str(item.get("located")))
        provider = item.get("provider")
        story.source = pick_source(
            [
                _str(item.get("source")),
                _str(provider.get("name")) if isinstance(provider, dict) else _str(provider),
                _str(_get(item, "copyrightholder", "copyrightHolder")),
            ]
        )
        story.copyright = _str(_get(item, "copyrightnotice", "copyrightNotice"))
        story.language = _str(item.get("language"))
        story.urgency = urgency(item.get("urgency"))
        story.slugline = _str(item.get("slugline"))
        keywords = item.get("keywords")
        keywords = [_str(k) for k in keywords] if isinstance(keywords, list) else []
        story.keywords = unique(keywords or _names(_get(item, "subject", "subjects")))

        created = _str(_get(item, "versioncreated", "versionCreated", "firstcreated", "firstCreated"))
        story.published_at = parse_date(created, "versioncreated", warnings)
        story.embargoed_until = parse_date(_str(item.get("embargoed")), "embargoed", warnings)
        status = _str(_get(item, "pubstatus", "pubStatus")).lower()
        story.canceled = status in ("canceled", "cancelled", "withheld")

        story.blocks = self._body(item, story)
        if not story.blocks:
            description = self._description(item)
            if not description:
                raise WireError("ninjs item has no body")
            story.blocks = description
            warnings.append("ninjs item has no body: its description was imported as the body")
        return story

    def _body(self, item: dict, story: WireStory) -> list[Block]:
        candidates: list[tuple[str, str]] = [
            (kind, _str(item.get(key)))
            for key, kind in (("body_html", "html"), ("body_xhtml", "html"), ("body_text", "text"))
        ]
        for body in _dicts(item.get("bodies")):
            ctype = _str(_get(body, "contentType", "contenttype")).lower()
            role = _str(body.get("role")).lower()
            if "nitf" in ctype or role == "nitf":
                kind = "nitf"
            elif "html" in ctype:
                kind = "html"
            elif ctype in ("", "text/plain"):
                kind = "text"
            else:
                continue  # TT's proprietary "application/xml" rendition and the like
            candidates.append((kind, _str(body.get("value"))))
        for wanted in BODY_PREFERENCE:
            for kind, value in candidates:
                if kind == wanted and value and (blocks := self._blocks(kind, value, story)):
                    return blocks
        return []

    def _blocks(self, kind: str, value: str, story: WireStory) -> list[Block]:
        if kind == "html":
            return html_to_blocks(value)
        if kind == "text":
            return text_to_blocks(value)
        try:
            root, warnings = parse_xml(value.encode("utf-8"))
        except WireError as error:
            story.warnings.append(f"skipped the NITF body: {error}")
            return []
        if local(root.tag) != "nitf":
            return []
        return nitf_story(root, warnings).blocks

    def _description(self, item: dict) -> list[Block]:
        html = _str(item.get("description_html"))
        if html:
            return html_to_blocks(html)
        texts = [_str(item.get("description_text"))]
        texts += [_str(d.get("value")) for d in _dicts(item.get("descriptions"))]
        return next((blocks for t in texts if t and (blocks := text_to_blocks(t))), [])
