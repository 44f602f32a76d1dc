"""Format detection and the one entry point, ``parse_bytes``.

PLACEHOLDER: owned by the plain-text helper, to be completed.
"""

from collections.abc import Sequence

from .anpa import ANPAParser
from .base import Agency, WireError, WireParser, WireStory
from .feed import FeedParser
from .iptc7901 import IPTC7901Parser
from .newsml import NewsMLG2Parser
from .newsml1 import NewsML1Parser
from .ninjs import NinjsParser
from .nitf import NITFParser
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


def detect(raw: bytes, filename: str = "") -> WireParser:
    raise NotImplementedError


def parse_bytes(
    raw: bytes,
    filename: str = "",
    *,
    format: str = "auto",
    agencies: Sequence[Agency] = (),
    max_size: int | None = None,
) -> list[WireStory]:
    raise NotImplementedError


__all__ = ["PARSERS", "FORMATS", "detect", "parse_bytes", "WireError"]
