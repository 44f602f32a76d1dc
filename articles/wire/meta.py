"""Metadata clean-up shared by the structured parsers: dates, agencies, bylines, places.

Every format spells the same facts differently ("20130222T140000+0000",
"Thomson Reuters", "By BERNARD CONDON"); these helpers turn them into the
plain values ``WireStory`` holds, and report what they had to guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from .agencies import DEFAULT_AGENCIES

#: Each built-in agency's name with every spelling of it, folded; "the" is ignored at the start.
_SPELLINGS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (agency.name, tuple(dict.fromkeys(re.sub(r"^the\s+", "", n.casefold()) for n in (agency.name, *agency.aliases))))
    for agency in DEFAULT_AGENCIES
)

_QCODE_PREFIX = re.compile(r"^[a-z0-9-]+:", re.I)  # "nprov:dpa" -> "dpa"


def agency_name(value: str) -> str:
    """The canonical agency for ``value`` ("Thomson Reuters" -> "Reuters"), or ""."""
    value = _QCODE_PREFIX.sub("", (value or "").strip())
    value = re.sub(r"^the\s+", "", value, flags=re.I).casefold()
    if not value:
        return ""
    for name, aliases in _SPELLINGS:
        for alias in aliases:
            # "Deutsche Presse-Agentur GmbH", "The Canadian Press. All rights reserved."
            if value == alias or re.match(re.escape(alias) + r"(?![\w-])", value):
                return name
    return ""


def pick_source(candidates: Iterable[str], *, fallback: bool = True) -> str:
    """The first recognised agency among ``candidates``.

    With ``fallback``, an unrecognised but name-like candidate (not a URI,
    qcode or domain) is returned as written, so a new agency is not lost.
    """
    candidates = [c.strip() for c in candidates if c and c.strip()]
    for candidate in candidates:
        if name := agency_name(candidate):
            return name
    if fallback:
        for candidate in candidates:
            if not re.search(r"[:/@]|\.\w{2,4}$", candidate) and len(candidate) <= 60:
                return candidate
    return ""


# --- dates -------------------------------------------------------------------

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$", re.I)


def parse_date(value: str, label: str, warnings: list[str]) -> datetime | None:
    """An aware datetime from NITF compact or ISO 8601 text, else ``None``.

    Templates ("YYYYMMDD000000-HHMM") and nonsense are ignored with a
    warning.  A value without a time zone is read as UTC, and the warning
    says so because an agency's local time would put the story hours off.
    """
    value = (value or "").strip()
    if not value:
        return None
    parsed = None
    match = _COMPACT.match(value)
    try:
        if match:
            y, mo, d, h, mi, s, tz = match.groups()
            iso = f"{y}-{mo}-{d}T{h or '00'}:{mi or '00'}:{s or '00'}"
            if tz:
                iso += "+00:00" if tz.upper() == "Z" else tz
            parsed = datetime.fromisoformat(iso)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None:
        warnings.append(f"ignored {label} {value!r}: not a date")
        return None
    if parsed.tzinfo is None:
        warnings.append(f"{label} {value!r} has no time zone; read as UTC")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def urgency(value: object) -> int | None:
    """An IPTC urgency (1 most urgent ... 9 least) from metadata, else ``None``."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and 1 <= int(text) <= 9 else None


# --- places ------------------------------------------------------------------


def title_case(value: str) -> str:
    """Title-case text the wire sent in capitals ("NEW YORK"); leave mixed case alone."""
    return value.title() if value.isupper() else value


def place_name(dateline: str) -> str:
    """The place of a dateline: "STOCKHOLM, Aug 29, 2014 (AFP) -" -> "Stockholm".

    Returns "" when the dateline holds no place (Reuters sends a timestamp).
    """
    text = re.split(r"\(|\s[-–—]\s|\s[-–—]$", dateline or "", maxsplit=1)[0]
    parts = []
    for part in text.split(","):
        if re.search(r"\d", part):  # a date or a time: the place has ended
            break
        parts.append(part.strip())
    place = ", ".join(p for p in parts if p).strip(" -–—.:")
    return title_case(place)


# --- bylines -----------------------------------------------------------------

_BY_PREFIX = re.compile(r"^\s*(by|von|par|por|av|af|di|door)\b[\s:]*", re.I)
_NAME_SPLIT = re.compile(r"\s+(?:and|und|og|och|et|y|e|en|ja)\s+|\s*&\s*|\s*;\s*", re.I)
#: Words that make a byline segment a job title or a desk, not a person.
_TITLE_WORDS = frozenset(
    "correspondent correspondents editor editors writer writers reporter reporters staff "
    "columnist journalist photographer contributor contributors bureau desk agency "
    "database newsdesk".split()
)


def _is_name(segment: str) -> bool:
    words = segment.casefold().replace(".", " ").split()
    if not words or any(w in _TITLE_WORDS for w in words):
        return False
    if re.fullmatch(r"[a-z]{1,4}", segment):  # editor initials: "gr", "bp"
        return False
    return not all(agency_name(part) for part in re.split(r"[-/]", segment))


def split_byline(byline: str) -> list[str]:
    """Author names from a byline: "By Sam Lister, Press Association Political
    Correspondent" -> ["Sam Lister"]; "Mia Rabson and Jordan Press" -> both."""
    text = " ".join((byline or "").split())
    text = _BY_PREFIX.sub("", text).strip(" ,;")
    if not text:
        return []
    names: list[str] = []
    for index, segment in enumerate(text.split(",")):
        segment = segment.split("/")[0].strip()  # "Geir Molnes / Faktisk.no"
        if index and (segment.casefold().startswith("the ") or not _is_name(segment)):
            continue  # an affiliation or job title after the comma
        for name in _NAME_SPLIT.split(segment):
            name = _BY_PREFIX.sub("", name).strip(" .,")
            if _is_name(name):
                names.append(title_case(name))
    return names


def unique(values: Iterable[str]) -> list[str]:
    """Non-empty values in order, without case-insensitive repeats."""
    seen: set[str] = set()
    result = []
    for value in values:
        value = " ".join((value or "").split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result
