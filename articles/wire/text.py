"""Plain-text wire copy, and the line handling IPTC 7901 and ANPA 1312 share.

Two layouts occur: one paragraph per line with no blank lines (Tempo), and
blank-line separated paragraphs hard-wrapped at a fixed width (teletype
heritage).  ``paragraphs`` tells them apart per block by looking at whether
each line broke because the next word would not fit.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .base import Block, WireError, WireParser, WireStory
from .decoding import decode, looks_binary
from .notes import is_editors_note

HEADLINE_MAX = 150

_SPACES = re.compile(r"[ \t]+")
# Teletype copy types a dash as an underscore between spaces.
_UNDERSCORE_DASH = re.compile(r"(?<=\s)_(?=\s)")
_BYLINE_START = re.compile(r"by\s", re.IGNORECASE)


class PlainTextParser(WireParser):
    """The catch-all: any text that is not markup or JSON."""

    format = "text"
    priority = -100

    def can_parse(self, raw: bytes, filename: str = "") -> bool:
        if looks_binary(raw):
            return False
        start = decode(raw[:1024]).text.lstrip()
        return bool(start) and start[0] not in "<{["

    def parse(self, raw: bytes, filename: str = "") -> list[WireStory]:
        decoded = decode(raw)
        story = WireStory(format=self.format, warnings=decoded.warnings)
        chunks = blank_line_blocks(decoded.text.split("\n"))
        while chunks and is_editors_note(chunks[0][0]):  # never the headline
            story.removed.append(clean_text(" ".join(chunks.pop(0))))
        if len(chunks) > 1 and is_headline(chunks[0]):
            story.headline = clean_text(chunks[0][0])
            chunks = chunks[1:]
        story.blocks = [Block("p", text) for chunk in chunks for text in paragraphs(chunk)]
        if not story.blocks:
            raise WireError("no body text")
        return [story]


def blank_line_blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into runs separated by blank lines (trailing space removed)."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        line = line.rstrip()
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def is_headline(chunk: list[str]) -> bool:
    """A lone short line that does not read like a sentence or a byline."""
    if len(chunk) != 1:
        return False
    line = chunk[0].strip()
    return len(line) <= HEADLINE_MAX and not line.endswith((".", ",", ";", ":")) and not _BYLINE_START.match(line)


def paragraphs(lines: list[str]) -> list[str]:
    """One paragraph when ``lines`` are hard-wrapped, else one per line."""
    lines = [line for line in lines if line.strip()]
    if len(lines) > 1 and _hard_wrapped(lines):
        return [clean_text(" ".join(line.strip() for line in lines))]
    return [clean_text(line) for line in lines]


def _hard_wrapped(lines: list[str]) -> bool:
    # A wrapped line ends where the next word would have run past the
    # margin; a line that ends early (a paragraph per line, a list) means
    # the breaks are the writer's.  Two columns of slack for stray spaces.
    width = max(len(line) for line in lines)
    return all(len(line) + 1 + len(following.split()[0]) > width - 2 for line, following in pairwise(lines))


def clean_text(text: str) -> str:
    """Collapse runs of spaces and tabs; a spaced underscore becomes a dash."""
    text = _SPACES.sub(" ", text).strip()
    return _UNDERSCORE_DASH.sub("—", text)
