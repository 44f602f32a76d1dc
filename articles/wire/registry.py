"""Format detection and the one entry point, ``parse_bytes``.

``parse_bytes`` only ever raises ``WireError``, with a one-line message the
caller prefixes with the file name: a broken or unexpected file must not
take an import run down with a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from .agencies import DEFAULT_AGENCIES
from .anpa import ANPAParser
from .base import Agency, WireError, WireParser, WireStory
from .decoding import looks_binary
from .feed import FeedParser
from .iptc7901 import IPTC7901Parser
from .newsml import NewsMLG2Parser
from .newsml1 import NewsML1Parser
from .ninjs import NinjsParser
from .nitf import NITFParser
from .refine import refine
from .text import PlainTextParser

PARSERS: tuple[type[WireParser], ...] = (
    NITFParser,
    NewsMLG2Parser,
    NewsML1Parser,
    NinjsParser,
    FeedParser,
    IPTC7901Parser,
    ANPAParser,
    PlainTextParser,
)

#: ``--format`` choices: "text" covers plain text, IPTC 7901 and ANPA 1312.
FORMATS = ("auto", "text", "nitf", "newsml", "ninjs", "rss")

_BY_FORMAT: dict[str, tuple[type[WireParser], ...]] = {
    "auto": PARSERS,
    "text": (IPTC7901Parser, ANPAParser, PlainTextParser),
    "nitf": (NITFParser,),
    "newsml": (NewsMLG2Parser, NewsML1Parser),
    "ninjs": (NinjsParser,),
    "rss": (FeedParser,),
}


#: Files that sit in agency folders but are not copy: notes, documents, pictures, the drop folder's error notes.
NOT_COPY_SUFFIXES = (".md", ".rst", ".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".error.txt")
NOT_COPY_NAMES = ("readme", "license", "licence", "changelog")


def looks_like_wire_copy(name: str) -> bool:
    """Whether a file found in a folder is worth handing to the parsers, judged by its name.

    Folder imports skip the others instead of reporting them (a ``SOURCES.md`` is not a story,
    and the plain-text parser would otherwise take it for one).
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return not (name.startswith(".") or name.endswith(NOT_COPY_SUFFIXES) or name.split(".")[0] in NOT_COPY_NAMES)


def detect(raw: bytes, filename: str = "", *, format: str = "auto") -> WireParser:
    """The first parser of ``format`` (by priority) that accepts ``raw``.

    A parser whose sniffing fails, or is not written yet, counts as saying no.
    """
    if format not in _BY_FORMAT:
        raise WireError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    candidates = sorted(_BY_FORMAT[format], key=lambda parser: -parser.priority)
    for parser_class in candidates:
        parser = parser_class()
        try:
            if parser.can_parse(raw, filename):
                return parser
        except Exception:  # a sniffer that fails says no
            continue
    if format == "auto":
        raise WireError("unrecognised format: not NITF, NewsML, ninjs, RSS/Atom or text")
    raise WireError(f"does not look like {format} copy")


def parse_bytes(
    raw: bytes,
    filename: str = "",
    *,
    format: str = "auto",
    agencies: Sequence[Agency] = (),
    max_size: int | None = None,
) -> list[WireStory]:
    """Parse one file into refined stories, or raise ``WireError``.

    With no ``agencies`` the built-in ``DEFAULT_AGENCIES`` rules apply.
    """
    if not raw.strip():
        raise WireError("file is empty")
    if max_size is not None and len(raw) > max_size:
        raise WireError(f"file is {_megabytes(len(raw))}, over the {_megabytes(max_size)} limit")
    if looks_binary(raw):
        raise WireError("binary file, not wire copy")
    parser = detect(raw, filename, format=format)
    try:
        stories = parser.parse(raw, filename)
    except WireError:
        raise
    except Exception as error:  # see the module docstring
        raise WireError(f"{parser.format} parser failed: {_describe(error)}") from error
    if not stories:
        raise WireError(f"no stories found in the {parser.format} copy")
    try:
        return [refine(story, agencies or DEFAULT_AGENCIES) for story in stories]
    except Exception as error:
        raise WireError(f"applying agency rules failed: {_describe(error)}") from error


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _describe(error: Exception) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


__all__ = ["PARSERS", "FORMATS", "detect", "looks_like_wire_copy", "parse_bytes", "WireError"]
