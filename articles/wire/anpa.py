"""ANPA 1312 copy, as AP sends it.

    SYN SYN SOH W2870 US asian                    service + story number, selectors
    f l  BC-LT--Argentina-CancerB  11-13 1049     priority, category, slug, date, words
    STX ^BC-LT--Argentina-Cancer Beauty,466<      "^" lines: keyword, headline,
        ^For Argentine chemo patients ... <       notes ("Eds:"), byline and its
        ^By PAUL BYRNE and ALMUDENA CALATRAVA=    affiliation; later ones are subheads
        ^Associated Press=
        TAB BUENOS AIRES, Argentina (AP) _ ...    a tab (or spaces) starts a paragraph
        BS Tampa DLE Bay US RS 73 RS  RS 52 ...   BS starts an agate table row
    ETX AP-WF-11-13-13 1509GMT<                   agency, wire, date, time (UTC)
    EOT

Teletype typography is undone: ``…'' and `…' become curly quotes, " _ " an
em dash, and "{" in agate a half ("16{" games behind is 16½).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from .base import Block, WireError, WireParser, WireStory
from .decoding import ETX, FRAMING, SOH, STX, SYN, decode
from .notes import is_editors_note
from .text import clean_text

ROW, HARD_SPACE, CELL, FIRST_CELL = "\x08", "\x10", "\x1e", "\x1f"

_SLUG = re.compile(r"\b(?P<slug>BC-\S+)(?:\s+(?P<date>\d\d-\d\d)\b)?")
# "f l  BC-LT--Argentina-CancerB": priority letter, category letter, slug.
_PRIORITY = re.compile(r"^(?P<priority>[a-z])\s+[a-z]\b[^\n]*\bBC-", re.MULTILINE)
#: ANPA 1312 priority letters on the IPTC urgency scale (1 most urgent, 5
#: normal, 9 least): flash, bulletin, urgent, regular/routine, deferred, advance.
URGENCY = {"f": 1, "b": 2, "u": 3, "r": 5, "s": 5, "d": 7, "a": 8}
_TRAILER = re.compile(r"(?P<agency>[A-Z]+)-\w+-(?P<month>\d\d)-(?P<day>\d\d)-(?P<year>\d\d)\s+(?P<time>\d{4})GMT")
_PHOTO_NOTE = re.compile(r"(?:With )?AP Photos?\b", re.IGNORECASE)
_BYLINE = re.compile(r"By\s", re.IGNORECASE)
_AFFILIATION = re.compile(
    r"(?:The )?Associated Press|AP\b.*|.*\b(?:Writer|Correspondent|Editor|Reporter|Columnist)s?",
    re.IGNORECASE,
)
_FORMAT_CODES = re.compile(r"[<=]+$")
# The format and column codes ``decode`` keeps for the table reader; once a
# line is not a table row they are noise.  A hard space is a space.
_KEPT_CODES = re.compile(f"[{ROW}{CELL}{FIRST_CELL}]")


class ANPAParser(WireParser):
    format = "anpa"
    priority = 10

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        start = raw.lstrip(b"\r\n")
        if start.startswith(SYN.encode()):
            return SOH.encode() in start[:8]
        return start[:1] == SOH.encode() and (STX + "^").encode() in raw[:4096]

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        decoded = decode(raw, keep=FRAMING + ROW + HARD_SPACE + CELL + FIRST_CELL)
        text = decoded.text
        start = text.find(STX)
        if start < 0:
            raise WireError("ANPA copy without a start-of-text (STX) character")
        end = text.find(ETX, start)
        story = WireStory(format=self.format, warnings=decoded.warnings)
        _Body(story).read(text[start + 1 : end if end >= 0 else len(text)].split("\n"))
        trailer = _TRAILER.search(text[end + 1 :]) if end >= 0 else None
        if trailer:
            story.source = trailer.group("agency")
            story.published_at = _trailer_time(trailer)
        slug = _SLUG.search(text[:start])
        priority = _PRIORITY.search(text[:start])
        story.urgency = URGENCY.get(priority["priority"]) if priority else None
        if slug:
            story.slugline = slug["slug"]
            day = story.published_at.date().isoformat() if story.published_at else slug["date"]
            story.source_id = "/".join(filter(None, (slug["slug"], day)))
        if not (story.headline or story.blocks):
            raise WireError("ANPA copy with no headline or text")
        return [story]


class _Body:
    """Reads the lines between STX and ETX into ``story``."""

    def __init__(self, story: WireStory):
        self.story = story
        self.lines: list[str] = []  # the paragraph being read
        self.rows: list[list[str]] = []  # the table being read
        self.in_heading = True
        self.after_byline = False

    def read(self, lines: list[str]) -> None:
        for line in lines:
            if line.startswith("^"):
                self.flush()
                self.format_line(_FORMAT_CODES.sub("", _plain(line[1:]).strip()).strip())
                continue
            if line.startswith(ROW):
                self.flush_paragraph()
                self.rows.append(_cells(line[1:]))
            # A paragraph opens with a tab, or spaces when a relay expanded it.
            elif line.startswith(("\t", " ")) or not line.strip():
                self.flush()
                self.lines.append(line)
            else:
                self.flush_table()
                self.lines.append(line)
            if line.strip():
                self.in_heading = self.after_byline = False
        self.flush()

    def format_line(self, line: str) -> None:
        story, after_byline = self.story, self.after_byline
        self.after_byline = False
        if not line or line.startswith("BC-"):
            return
        if _BYLINE.match(line):
            story.blocks.append(Block("p", line))
            self.in_heading, self.after_byline = False, True
        elif after_byline and _AFFILIATION.fullmatch(line):
            self.after_byline = False
        elif self.in_heading and (is_editors_note(line) or _PHOTO_NOTE.match(line)):
            story.removed.append(line)
        elif self.in_heading and not story.headline:
            story.headline = _typography(line)
        elif self.in_heading and not story.subheadline:
            story.subheadline = _typography(line)
        else:
            self.in_heading = False
            story.blocks.append(Block("h3", _typography(line)))

    def flush(self) -> None:
        self.flush_paragraph()
        self.flush_table()

    def flush_paragraph(self) -> None:
        text = " ".join(_FORMAT_CODES.sub("", _plain(line).strip()).strip() for line in self.lines)
        if text.strip():
            self.story.blocks.append(Block("p", _typography(text)))
        self.lines = []

    def flush_table(self) -> None:
        if self.rows:
            self.story.blocks.append(_table(self.rows))
        self.rows = []


def _plain(line: str) -> str:
    return _KEPT_CODES.sub("", line.replace(HARD_SPACE, " "))


def _cells(row: str) -> list[str]:
    """ "Tampa{DLE} Bay{US}{RS} 73{RS} {RS} 52" -> ["Tampa Bay", "73", "52"].

    US ends the first column, RS separates the rest; cells holding only a
    space are padding.  "^" marks the header row's empty corner.
    """
    first, _, rest = row.replace(HARD_SPACE, "").partition(FIRST_CELL)
    cells = [first.strip()] + [cell.strip() for cell in rest.split(CELL) if cell.strip()]
    return [_agate(cell) for cell in cells]


def _agate(cell: str) -> str:
    if cell in ("^", "_"):
        return "" if cell == "^" else "—"
    return _FORMAT_CODES.sub("", cell).replace("{", "½")


def _table(rows: list[list[str]]) -> Block:
    """A table block: text has a line per row and tabs between cells."""
    header, body = (rows[0], rows[1:]) if rows[0][0] == "" else (None, rows)
    parts = []
    if header:
        cells = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
        parts.append(f"<thead><tr>{cells}</tr></thead>")
    trs = ("".join(f"<td>{html.escape(cell)}</td>" for cell in row) for row in body)
    parts.append("<tbody>" + "".join(f"<tr>{tr}</tr>" for tr in trs) + "</tbody>")
    return Block("table", "\n".join("\t".join(row) for row in rows), "".join(parts))


def _typography(text: str) -> str:
    text = clean_text(text).replace("``", "“").replace("''", "”").replace("`", "‘")
    # A straight quote closes a ‘ when it ends a word: ‘This is who I am,'
    return re.sub(r"‘([^‘’]*?)'(?!\w)", r"‘\1’", text)


def _trailer_time(found: re.Match[str]) -> datetime | None:
    try:
        return datetime(
            2000 + int(found["year"]),
            int(found["month"]),
            int(found["day"]),
            int(found["time"][:2]),
            int(found["time"][2:]),
            tzinfo=UTC,
        )
    except ValueError:
        return None
