"""IPTC 7901 framed copy, as dpa sends it.

    SOH eca062 4 i 211 ccccb   dpa 061      header: channel+sequence, priority,
                                            category, word count, agency, number
    Germany-politics/                       keywords, slash-separated
    STX 1ST LEAD                            labels, headline and byline; the
        Headline                            last header line ends with " ="
        By Manuel Schwarz, dpa =
        Munich (dpa) - Text ...             hard-wrapped paragraphs
    ETX 071341 GMT Okt 15                   day, time (UTC), month, year
    EOT

The header numbers are transmission sequence numbers, not story ids, so
``source_id`` stays empty and the importer fingerprints the copy.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .base import Block, WireError, WireParser, WireStory
from .decoding import EOT, ETX, FRAMING, SOH, STX, SYN, decode
from .notes import is_editors_note
from .text import blank_line_blocks, clean_text, is_headline, paragraphs

#: The header ends within this many lines, or the copy has no " =" marker.
HEADER_LINES = 6

_AGENCY = re.compile(r"(?P<agency>\S+)\s+\d+\s*$")
# "eca062 4 i 211": channel and sequence, priority, category, word count.
_PRIORITY = re.compile(r"^\S+\s+(?P<priority>[1-6])\s")
#: IPTC 7901 priority (1 flash ... 6 least) on the IPTC urgency scale, where
#: 5 is normal: 4 ("routine") is normal copy.
URGENCY = {1: 1, 2: 2, 3: 3, 4: 5, 5: 6, 6: 8}
_LABEL = re.compile(r"[A-Z0-9][A-Z0-9 -]{0,24}")  # REFILE, 1ST LEAD, CORRECTION
_BYLINE = re.compile(r"by\s", re.IGNORECASE)
_TRAILER = re.compile(
    r"(?P<day>\d\d)(?P<hour>\d\d)(?P<minute>\d\d)\s+(?:GMT\s+)?(?P<month>[^\W\d_]{3})\w*\s+(?P<year>\d\d)\b"
)
# English and German, since dpa's trailer follows the desk's locale.
_MONTHS = {
    name: number
    for number, names in enumerate(
        ("jan", "feb", "mar mär mrz", "apr", "may mai", "jun", "jul", "aug", "sep",
         "oct okt", "nov", "dec dez"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip


class IPTC7901Parser(WireParser):
    format = "iptc7901"
    priority = 10

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        # ANPA 1312 also opens with SOH, but after SYN SYN.
        return raw.lstrip(b"\r\n")[:1] == SOH.encode() and STX.encode() in raw[:4096]

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        decoded = decode(raw, keep=FRAMING)
        text = decoded.text
        start = text.find(STX)
        if start < 0:
            raise WireError("IPTC 7901 copy without a start-of-text (STX) character")
        end = text.find(ETX, start)
        header = text[:start].replace(SOH, "").replace(SYN, "").strip().split("\n")
        body = text[start + 1 : end if end >= 0 else len(text)].split("\n")
        story = WireStory(format=self.format, warnings=decoded.warnings)
        agency = _AGENCY.search(header[0])
        story.source = agency.group("agency") if agency else ""
        story.keywords = [word.strip() for line in header[1:] for word in line.split("/")]
        story.keywords = [word for word in story.keywords if word]
        story.slugline = "/".join(story.keywords)
        priority = _PRIORITY.search(header[0])
        story.urgency = URGENCY[int(priority["priority"])] if priority else None
        body = self._read_heading(story, body)
        story.blocks += [Block("p", text) for chunk in blank_line_blocks(body) for text in paragraphs(chunk)]
        if end >= 0:
            story.published_at = transmitted_at(text[end + 1 :].split(EOT)[0])
        if not (story.headline or story.blocks):
            raise WireError("IPTC 7901 copy with no headline or text")
        return [story]

    def _read_heading(self, story: WireStory, lines: list[str]) -> list[str]:
        """Take labels, notes, headline and byline off ``lines``; return the body lines."""
        lines = _without_leading_notes(story, lines)
        marked = [i for i, line in enumerate(lines[:HEADER_LINES]) if line.rstrip().endswith("=")]
        if marked:
            heading, rest = lines[: marked[0] + 1], lines[marked[0] + 1 :]
        else:  # a lone short first line followed by a blank line
            first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
            followed_by_blank = first + 1 < len(lines) and not lines[first + 1].strip()
            if not (followed_by_blank and is_headline([lines[first]])):
                return lines
            heading, rest = [lines[first]], lines[first + 1 :]
        for line in heading:
            line = clean_text(line.rstrip().removesuffix("=")).strip()
            if not line:
                continue
            if _BYLINE.match(line):
                story.blocks.append(Block("p", line))
            elif is_editors_note(line) or (not story.headline and _LABEL.fullmatch(line)):
                story.removed.append(line)
            elif not story.headline:
                story.headline = line
            elif not story.subheadline:
                story.subheadline = line
        return rest


def _without_leading_notes(story: WireStory, lines: list[str]) -> list[str]:
    """``lines`` after the notes to editors that open them; a bracketed note
    may run over several lines."""
    index = 0
    while True:
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index == len(lines) or not is_editors_note(lines[index]):
            return lines[index:]
        end = index
        if lines[index].lstrip().startswith(("(", "[")):
            while end + 1 < len(lines) and lines[end].strip() and not lines[end].rstrip(" =").endswith((")", "]")):
                end += 1
        story.removed.append(clean_text(" ".join(line.strip() for line in lines[index : end + 1])).removesuffix(" ="))
        index = end + 1


def transmitted_at(trailer: str) -> datetime | None:
    """The time in an ETX trailer such as "131137 GMT Nov 13" (13 Nov 2013, 11:37 UTC)."""
    found = _TRAILER.search(trailer)
    if not found:
        return None
    month = _MONTHS.get(found.group("month").lower())
    try:
        return datetime(
            2000 + int(found.group("year")),
            month or 0,
            int(found.group("day")),
            int(found.group("hour")),
            int(found.group("minute")),
            tzinfo=UTC,
        )
    except ValueError:
        return None
