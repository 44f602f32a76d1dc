"""Recognise the dateline that opens a story's first paragraph.

Every agency writes the same few parts in a slightly different order:

    NEW YORK (AP) —                     place (agency) dash
    HOUSTON, Jan 27 (Reuters) -         place, date (agency) dash
    Jan 30 (Reuters) -                  date (agency) dash, no place
    Mumbai, Dec 9 (PTI)                 place, date (agency), no dash
    TEMPO.CO, Jakarta -                 agency, place dash
    (ANSA) - Rome, October 11 -         (agency) dash place, date dash
    OTTAWA -                            PLACE dash (no agency: capitals only)

so the shapes below are built from shared parts rather than listed as
strings.  Matching is purely lexical: ``refine`` decides whether the agency
token belongs to an agency it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: No dateline is longer than this.
MAX_LENGTH = 120

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\.?\s+{_MONTH}(?:\s+\d{{4}})?)"
_WORD = r"[^\W\d_][\w'’.&-]*"
# Up to four words, then an optional ", Region" that is not a date.
_PLACE = rf"{_WORD}(?:\s+{_WORD}){{0,3}}(?:,\s+(?!{_MONTH}\b){_WORD}(?:\s+{_WORD}){{0,2}})?"
_AGENCY = r"\((?P<agency>[^\W\d_][\w.&/ -]{0,30}?)\)"
# "-", "--", "_" (ANPA), ".-" (EFE) or ":" (ANI) and a space; "—" or "–"
# may touch the next word.
_SEP = r"\s*(?:(?:\.?-{1,2}|_{1,2}|:)(?:\s+|$)|[–—]{1,2}\s*)"
_DASH = r"(?:-{1,2}|[–—])"

_SHAPES = tuple(
    re.compile(shape)
    for shape in (
        # (ANSA) - Rome, October 11 -
        rf"{_AGENCY}{_SEP}(?P<place>{_PLACE})(?:,\s*{_DATE})?{_SEP}",
        # (ANSA) -
        rf"{_AGENCY}{_SEP}",
        # TEMPO.CO, Jakarta -
        rf"(?P<agency>{_WORD}),\s+(?P<place>{_PLACE}){_SEP}",
        # HOUSTON, Jan 27 (Reuters) -   /   Mumbai, Dec 9 (PTI)   /   Jan 30 (Reuters) -
        rf"(?:(?P<place>{_PLACE}),\s*)?{_DATE}\s*{_AGENCY}(?:{_SEP}|\s+)",
        # NEW YORK (AP) —   /   GROSSETO, Italy (AP) --
        rf"(?P<place>{_PLACE})\s*{_AGENCY}{_SEP}",
        # OTTAWA -
        rf"(?P<place>{_PLACE})\s+{_DASH}\s+",
    )
)
_CAPITALS_ONLY = _SHAPES[-1]
#: Lower-case words allowed inside place names and personal names.
PARTICLES = frozenset(
    "al am an au da das de del della der di do dos du el en es la le les of on sur upon van von bin binti ibn y".split()
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,}")
_MC = re.compile(r"\bMc(\w)")


@dataclass(frozen=True)
class Dateline:
    place: str  # title case, "" when the dateline names no place
    agency_token: str  # as written: "AP", "tca/dpa", "TEMPO.CO"; "" if none
    length: int  # characters to cut from the start of the paragraph


def match_dateline(text: str) -> Dateline | None:
    """The dateline at the very start of ``text``, or None."""
    text = text[:MAX_LENGTH]  # bounds the backtracking on a huge first paragraph
    for shape in _SHAPES:
        found = shape.match(text)
        if not found:
            continue
        place = found.groupdict().get("place") or ""
        if place and not _plausible_place(place, capitals_only=shape is _CAPITALS_ONLY):
            continue
        agency = found.groupdict().get("agency") or ""
        return Dateline(title_case(place), agency.strip(), found.end())
    return None


def _plausible_place(place: str, *, capitals_only: bool) -> bool:
    # Every word capitalised ("Rutte said" is not a place); without an agency
    # token only an all-capitals place will do, as in "OTTAWA - ".
    words = [word for word in re.split(r"[\s,]+", place) if word]
    if capitals_only and place != place.upper():
        return False
    return all(word[0].isupper() or word in PARTICLES for word in words)


def title_case(words: str) -> str:
    """ "KUALA LUMPUR" -> "Kuala Lumpur", for places and names in capitals.

    Words already in mixed case and initials ("D.C.") are kept as written.
    """
    result = []
    for position, word in enumerate(words.split(" ")):
        if word.isupper() and not _INITIALS.fullmatch(word):
            particle = position and word.lower() in PARTICLES
            word = word.lower() if particle else _MC.sub(_upper_after_mc, word.title())
        result.append(word)
    return " ".join(result)


def _upper_after_mc(found: re.Match[str]) -> str:
    return "Mc" + found.group(1).upper()
