"""Bytes to clean text for the line-based formats (plain text, IPTC 7901, ANPA 1312).

Agencies send UTF-8, Windows-1252 and Latin-1 without saying which, so we try
UTF-8 first and fall back with a warning.  Control characters are noise in
body copy, except the transmission framing that IPTC 7901 and ANPA 1312 use
to delimit header, text and trailer: parsers name the ones they need in
``keep`` and deal with them themselves.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass, field

SOH, STX, ETX, EOT, SYN = "\x01", "\x02", "\x03", "\x04", "\x16"
#: Framing shared by IPTC 7901 and ANPA 1312.
FRAMING = SOH + STX + ETX + EOT + SYN
# Column, hard-space and format codes in ANPA 1312 agate and headers.
_ANPA_CONTROLS = b"\x08\x10\x11\x12\x13\x14\x1e\x1f"

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(raw: bytes, keep: str = "") -> Decoded:
    """Decode ``raw``, normalise newlines to LF and drop control characters.

    Tabs and newlines always survive; so do the characters in ``keep``.
    The result is NFC-normalised so that "ü" is one code point whatever the
    sender's keyboard produced.
    """
    warnings: list[str] = []
    if raw.startswith(codecs.BOM_UTF8):
        text, encoding = raw[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8"
    elif raw.startswith(_UTF16_BOMS):
        text, encoding = raw.decode("utf-16", "replace").lstrip("\ufeff"), "utf-16"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(raw)
            warnings.append(f"not valid UTF-8; decoded as {encoding}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _control_chars(keep).sub("", text)
    return Decoded(unicodedata.normalize("NFC", text), encoding, warnings)


def _decode_legacy(raw: bytes) -> tuple[str, str]:
    # cp1252 gives curly quotes and dashes for 0x80-0x9F; five bytes in that
    # range are undefined in it, and only Latin-1 can decode every byte.
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


@functools.cache
def _control_chars(keep: str) -> re.Pattern[str]:
    # C0 controls except tab and LF, DEL, and the C1 range (only reachable via
    # Latin-1), minus whatever the caller keeps.
    chars = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\t\n"]
    return re.compile("[" + re.escape("".join(c for c in chars if c not in keep)) + "]")


def looks_binary(raw: bytes) -> bool:
    """True for images, archives, PDFs and the like: anything that is not copy.

    NUL bytes never occur in 8-bit wire copy (UTF-16 text, which has them,
    starts with a byte-order mark).  Otherwise the first 8 KB are binary when
    control bytes other than whitespace and wire framing make up over 10% of
    them, or when they are not UTF-8 and over 30% are high bytes: legacy
    8-bit copy has an accented letter here and there, not a majority.
    """
    if raw.startswith(_UTF16_BOMS):
        return False
    sample = raw[:8192]
    if not sample:
        return False
    if b"\0" in sample:
        return True
    wire_controls = b"\t\n\r\x0c" + FRAMING.encode() + _ANPA_CONTROLS
    odd = sum(1 for byte in sample if byte < 0x20 and byte not in wire_controls)
    if odd / len(sample) > 0.1:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return sum(1 for byte in sample if byte >= 0x80) / len(sample) > 0.3
    return False
