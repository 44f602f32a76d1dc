"""Recognise the dateline that opens a story's first paragraph.

Every agency writes the same few parts in a slightly different order:

    NEW YORK (AP) —                     place (agency) dash
    MADRID, 3 mar (EFE).-               place, date in any of six languages (agency)
    SEOUL, Nov 26 AFP -                 place, date, agency without brackets
    ROMA, 1 LUG -                       PLACE, date dash (no agency: capitals only)
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
from collections.abc import Callable
from dataclasses import dataclass, field

#: No dateline is longer than this.
MAX_LENGTH = 120

# Month names and the abbreviations house styles use, in English, Italian,
# Spanish, French, German and Portuguese, matched in any case ("LUG", "gen.").
MONTH_NAMES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre "
    "gen mag giu lug ago set ott dic "
    "enero febrero abril mayo junio julio septiembre setiembre octubre noviembre diciembre ene abr "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre "
    "decembre janv févr fevr avr juil déc "
    "januar jänner februar märz juni juli oktober dezember jän mär mrz okt dez "
    "janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro fev out"
).split()
_MONTH = "(?i:" + "|".join(sorted(set(MONTH_NAMES), key=len, reverse=True)) + r")(?![^\W\d_])\.?"
# "27", "1er" (French), "3." (German), "1º" (Spanish, Portuguese), "2nd".
_DAY = r"\d{1,2}(?:er|º|°|st|nd|rd|th|\.)?"
_YEAR = r"(?:,?\s+(?:de\s+)?\d{4})"
# "Jan 27, 2014", "27 Jan", "3. März 2024", "5 de mayo", "1 LUG"
_DATE = rf"(?:{_MONTH}\s+{_DAY}{_YEAR}?|{_DAY}\s+(?:de\s+)?{_MONTH}{_YEAR}?)"
_WORD = r"[^\W\d_][\w'’.&-]*"
# Up to four words, then an optional ", Region" that is not a date.
_PLACE = rf"{_WORD}(?:\s+{_WORD}){{0,3}}(?:,\s+(?!{_MONTH}){_WORD}(?:\s+{_WORD}){{0,2}})?"
_AGENCY = r"\((?P<agency>[^\W\d_][\w.&/ -]{0,30}?)\)"
# An agency named without brackets, as distributors print another agency's
# copy: "SEOUL, Nov 26 AFP -".  Only a known agency will do (see ``match_dateline``).
_BARE_AGENCY = r"(?P<agency>[^\W\d_][\w.&/-]{0,24})"
# "-", "--", "_" (ANPA) or ":" (ANI) and a space; ".-" (EFE), "—" or "–"
# may touch the next word.
_SEP = r"\s*(?:\.-\s*|(?:-{1,2}|_{1,2}|:)(?:\s+|$)|[–—]{1,2}\s*)"
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
        # HOUSTON, Jan 27 (Reuters) -  /  Mumbai, Dec 9 (PTI)  /  Jan 30 (Reuters) -  /  MADRID, 3 mar (EFE).-
        rf"(?:(?P<place>{_PLACE}),\s*)?{_DATE}\s*{_AGENCY}(?:{_SEP}|\s+)",
        # SEOUL, Nov 26 AFP -
        rf"(?:(?P<place>{_PLACE}),\s*)?{_DATE}\s+{_BARE_AGENCY}{_SEP}",
        # NEW YORK (AP) —   /   GROSSETO, Italy (AP) --
        rf"(?P<place>{_PLACE})\s*{_AGENCY}{_SEP}",
        # ROMA, 1 LUG -   (no agency: capitals only)
        rf"(?P<place>{_PLACE}),\s*{_DATE}{_SEP}",
        # OTTAWA -   (no agency: capitals only)
        rf"(?P<place>{_PLACE})\s+{_DASH}\s+",
    )
)
_BARE = _SHAPES[4]
_CAPITALS_ONLY = frozenset(_SHAPES[-2:])
#: Lower-case words allowed inside place names and personal names.
PARTICLES = frozenset(
    "al am an au da das de del della der di do dos du el en es la le les of on sur upon van von bin binti ibn y".split()
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,}")
_MC = re.compile(r"\bMc(\w)")
_HAS_DATE = re.compile(rf"(?:^|[\s,]){_DATE}")


@dataclass(frozen=True)
class Dateline:
    place: str  # title case, "" when the dateline names no place
    agency_token: str  # as written: "AP", "tca/dpa", "TEMPO.CO"; "" if none
    length: int  # characters to cut from the start of the paragraph
    dated: bool = field(default=False, compare=False)  # it carries a date: "MADRID, 3 mar (EFE).-"


def match_dateline(text: str, is_agency: Callable[[str], bool] = lambda token: False) -> Dateline | None:
    """The dateline at the very start of ``text``, or None.

    An agency named without brackets ("SEOUL, Nov 26 AFP -") counts only
    when ``is_agency`` knows it: otherwise "ROMA, 1 LUG Renzi -" would be one.
    """
    text = text[:MAX_LENGTH]  # bounds the backtracking on a huge first paragraph
    for shape in _SHAPES:
        found = shape.match(text)
        if not found:
            continue
        place = found.groupdict().get("place") or ""
        if place and not _plausible_place(place, capitals_only=shape in _CAPITALS_ONLY):
            continue
        agency = (found.groupdict().get("agency") or "").strip()
        if shape is _BARE and not is_agency(agency):
            continue
        dated = bool(_HAS_DATE.search(found.group()))
        return Dateline(title_case(place), agency, found.end(), dated)
    return None


def _plausible_place(place: str, *, capitals_only: bool) -> bool:
    # Every word capitalised ("Rutte said" is not a place); without an agency
    # token only an all-capitals place will do, as in "OTTAWA - ".
    words = [word for word in re.split(r"[\s,]+", place) if word]
    if capitals_only and place != place.upper():
        return False
    if words[0].casefold() == "by":  # a byline run into the dateline
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
