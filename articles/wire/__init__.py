"""Wire copy parsing: bytes in, ``WireStory`` objects out (no Django here)."""

from .base import Agency, Block, RelatedReading, WireError, WireParser, WireStory
from .registry import FORMATS, detect, parse_bytes

__all__ = [
    "FORMATS",
    "Agency",
    "Block",
    "RelatedReading",
    "WireError",
    "WireParser",
    "WireStory",
    "detect",
    "parse_bytes",
]
