"""The interface every wire parser implements, and the plain data it returns.

Nothing here knows about Django: a parser turns bytes into ``WireStory``
objects, and ``articles.wire.importer`` maps those onto the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar


class WireError(Exception):
    """A file cannot be imported; the message says what is wrong with it."""


@dataclass
class Block:
    """One block of body copy: a paragraph, subhead, list, quote, table..."""

    kind: str  # "p", "h2", "h3", "blockquote", "ul", "ol", "table", "pre"
    text: str  # plain text, whitespace-normalised
    html: str = ""  # sanitised inner HTML; empty means "escape ``text``"


@dataclass
class RelatedReading:
    title: str
    url: str = ""


@dataclass(frozen=True)
class Agency:
    """Per-agency rules, loaded from ``WireSource`` rows (or the defaults).

    ``aliases`` are the spellings that identify the agency in a dateline or a
    header ("TEMPO.CO", "AP", "Reuters").  ``boilerplate`` holds one regular
    expression per line that should leave the body; ``credits`` holds
    expressions for lines that leave the body but are kept as credits.
    """

    name: str
    aliases: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()


@dataclass
class WireStory:
    format: str
    headline: str = ""
    headline_derived: bool = False
    subheadline: str = ""
    dateline: str = ""  # the place only, title case: "Jakarta", "Grosseto, Italy"
    source: str = ""  # agency name as in ``Agency.name`` when recognised
    # The agency that wrote the copy when ``source`` only distributes it: AAP
    # carrying "SEOUL, Nov 26 AFP - ..." has source "AAP", original_agency "AFP".
    original_agency: str = ""
    source_id: str = ""  # the agency's own id for the story (guid, doc-id, uri)
    version: int | None = None
    urgency: int | None = None  # IPTC scale: 1 most urgent, 5 normal, 9 least
    slugline: str = ""  # the agency's slug or keyword line: "US-SYRIA-CRISIS-ASSAD"
    bylines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    related: list[RelatedReading] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # boilerplate lines dropped
    credits: list[str] = field(default_factory=list)  # "Reporting by ..." lines kept aside
    copyright: str = ""  # the agency's copyright line, kept off the body
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    published_at: datetime | None = None  # aware datetimes only
    embargoed_until: datetime | None = None
    canceled: bool = False  # killed / withdrawn by the agency
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if block.text]


class WireParser:
    """Base class: subclasses set ``format`` and implement the two methods.

    ``can_parse`` sniffs the content (the file name is only a hint);
    ``parse`` returns one or more stories or raises ``WireError``.  Parsers
    do not apply agency rules (datelines, boilerplate, related reading):
    ``articles.wire.refine`` does that for every format alike.
    """

    format: ClassVar[str]
    #: Higher runs first during detection; plain text is the catch-all.
    priority: ClassVar[int] = 0

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        raise NotImplementedError

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        raise NotImplementedError
