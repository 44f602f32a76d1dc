"""The agency-rules step every parsed story goes through, whatever its format.

Parsers hand over the copy as the agency sent it; ``refine`` takes out what a
reader should not see and files it where it belongs: the byline lines at the
top, the dateline opening the first paragraph, related-reading lines, credit
lines and boilerplate.  Agency quirks come from ``Agency`` rows (see
``agencies`` for how a rule is read), never from branches on the source.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Sequence

import re2

from .agencies import GENERIC_BOILERPLATE, GENERIC_CREDITS
from .base import Agency, Block, RelatedReading, WireStory
from .datelines import PARTICLES, match_dateline, title_case
from .notes import is_editors_note

HEADLINE_LIMIT = 100

# C0 and C1 control characters (and DEL) are never copy; tab and newline are
# kept because table blocks use them.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Rules are typed by editors, so they run on RE2, which matches in time linear
# in the text: no rule can backtrack an import to a halt, as ``(x+x+)+y`` did
# under ``re``.  RE2 has no lookarounds or backreferences; no shipped rule uses them.
_RULE_FLAGS = "(?m)"
# A rule's matching cost per character grows with its compiled size; this is
# several times the largest shipped rule.
MAX_RULE_SIZE = 10_000

_BYLINE = re.compile(r"by\s+(?P<names>.+?)\s*=?", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)
_NAME_WORD = re.compile(r"[^\W\d_][\w.'’-]*")
_ELISION = re.compile(r"^(?:d|dell?|dall|l)['’]")  # d'Emilio, dell'Olio
_JOB_TITLE = re.compile(r"\b(?:writer|correspondent|editor|reporter|columnist)s?$", re.IGNORECASE)

_RELATED = re.compile(
    r"(?:read(?:\s+(?:also|more))?|also\s+read|see\s+also|related(?:\s+(?:news|stories|story))?"
    r"|baca\s+juga)\s*:\s*(?P<rest>.+)",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://[^\s<>\"]+")
_HREF = re.compile(r"""<a\s[^>]*href=["'](?P<url>[^"']+)""", re.IGNORECASE)

# A full stop after a single capital ("U.S.") or a title does not end the
# sentence; the next one must start with a capital.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMrs)(?<!\bMr)(?<!\bDr)(?<!\bSt)[.!?]"
    r"(?=[\"”’)]*\s+[\"“‘(]*[A-Z]|[\"”’)]*$)"
)
_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_HEADLINE_DANGLING = frozenset("a an and as at between by for from in of on or the to that which with".split())


def refine(story: WireStory, agencies: Sequence[Agency]) -> WireStory:
    """Apply the agency rules to ``story`` in place and return it."""
    _strip_controls(story)
    story.blocks = _non_empty(story.blocks)
    agency = find_agency(story.source, agencies)
    if agency:
        story.source = agency.name
    # Rules run first: an editor's note such as "(Adds comments)" may sit
    # above the byline and dateline.  Without a known agency only the generic
    # rules apply: another agency's boilerplate may be this story's text.  A
    # distributor's copy follows the rules of the agency its dateline names too.
    in_dateline = _agency_in_dateline(story, agencies)
    ruled = list(dict.fromkeys(a for a in (agency, in_dateline) if a))
    credits = [*GENERIC_CREDITS, *(rule for a in ruled for rule in a.credits)]
    boilerplate = [*GENERIC_BOILERPLATE, *(rule for a in ruled for rule in a.boilerplate)]
    story.credits += [_clean_credit(text) for text in _take_rules(story, credits)]
    removed = _take_rules(story, boilerplate)
    story.removed += removed
    story.copyright = story.copyright or next((line for line in removed if _COPYRIGHT_LINE.match(line)), "")
    _take_notes(story)
    _take_bylines(story, agencies)
    _take_dateline(story, agencies)
    _take_related(story)
    if not story.headline:
        first = next((block.text for block in story.blocks if block.kind == "p"), "")
        story.headline = derive_headline(first)
        story.headline_derived = bool(story.headline)
    story.blocks = _non_empty(story.blocks)
    return story


def find_agency(token: str, agencies: Iterable[Agency]) -> Agency | None:
    """The agency ``token`` names, by name or alias, ignoring case.

    A co-credit such as "tca/dpa" names the distributor last.
    """
    agencies = tuple(agencies)
    for part in reversed(token.split("/")):
        wanted = part.strip().casefold()
        for agency in agencies:
            if wanted and wanted in {n.casefold() for n in (agency.name, *agency.aliases)}:
                return agency
    return None


def _agency_in_dateline(story: WireStory, agencies: Sequence[Agency]) -> Agency | None:
    for block in story.blocks[:3]:
        dateline = match_dateline(block.text, _knows(agencies))
        agency = dateline and find_agency(dateline.agency_token, agencies)
        if agency:
            return agency
    return None


def _knows(agencies: Sequence[Agency]):
    return lambda token: find_agency(token, agencies) is not None


def _credit_agency(story: WireStory, agency: Agency) -> None:
    """Record ``agency`` as the story's author: its source, or, when another
    agency distributes the copy, its original agency (credited to readers)."""
    if not story.source:
        story.source = agency.name
    elif agency.name != story.source and not story.original_agency:
        story.original_agency = agency.name
        if agency.name not in story.credits:
            story.credits.append(agency.name)


def _strip_controls(story: WireStory) -> None:
    for name in ("headline", "subheadline", "dateline", "slugline"):
        setattr(story, name, _CONTROLS.sub("", getattr(story, name)).strip())
    story.bylines = [_CONTROLS.sub("", name).strip() for name in story.bylines]
    story.keywords = [_CONTROLS.sub("", word).strip() for word in story.keywords]
    for block in story.blocks:
        block.text, block.html = _CONTROLS.sub("", block.text), _CONTROLS.sub("", block.html)


def _take_notes(story: WireStory) -> None:
    """Notes to editors (see ``notes``) leave the body, and the headline: the
    subheadline, when there is one, was the real headline."""
    kept = []
    for block in story.blocks:
        if is_editors_note(block.text):
            story.removed.append(block.text)
        else:
            kept.append(block)
    story.blocks = kept
    for name in ("headline", "subheadline"):
        value = getattr(story, name)
        if value and is_editors_note(value):
            story.removed.append(value)
            setattr(story, name, "")
    if not story.headline and story.subheadline:
        story.headline, story.subheadline = story.subheadline, ""


def byline_names(text: str, agencies: Iterable[Agency]) -> list[str] | None:
    """Names in a "By ..." line, or None when ``text`` is not a byline.

    "By PAUL BYRNE and ALMUDENA CALATRAVA" gives ["Paul Byrne", "Almudena
    Calatrava"]; affiliations ("The San Diego Union-Tribune", "dpa",
    "AP Sports Writer") are dropped, so "By The Associated Press" gives [].
    An agency glued to the last name by a lost line break ("By Jane Doe
    Associated Press") is an affiliation too.
    """
    return _read_byline(text, tuple(agencies))[0]


def _read_byline(text: str, agencies: Sequence[Agency]) -> tuple[list[str] | None, Agency | None]:
    """``byline_names`` and the agency the byline names, if any."""
    found = _BYLINE.fullmatch(text.strip())
    if not found or len(text) > 200:
        return None, None
    aliases = {n.casefold() for agency in agencies for n in (agency.name, *agency.aliases)}
    names, named_agency = [], None
    for part in filter(None, _BYLINE_SPLIT.split(found.group("names"))):
        part, agency = _without_agency_suffix(part, agencies)
        named_agency = named_agency or agency or _agency_line(part, agencies)
        if not part or _is_affiliation(part, aliases):
            continue
        if not _is_name(part):
            return None, None
        names.append(title_case(part))
    return names, named_agency


def _without_agency_suffix(part: str, agencies: Sequence[Agency]) -> tuple[str, Agency | None]:
    """ "Jane Doe Associated Press" -> ("Jane Doe", AP); "Jane Doe AP Sports
    Writer" -> ("Jane Doe", AP).  The agency must be spelt as its name or an
    alias is (or in capitals), so the surname "Ap" is not taken for AP."""
    words = part.split()
    for start in range(1, len(words)):
        rest = words[start:]
        for agency in agencies:
            for alias in (agency.name, *agency.aliases):
                size = len(alias.split())
                token = " ".join(rest[:size])
                tail = rest[size:]
                if token in (alias, alias.upper()) and (not tail or _JOB_TITLE.search(" ".join(tail))):
                    name = words[:start]
                    if name[-1].casefold() == "the":
                        name.pop()
                    return " ".join(name), agency
    return part, None


def _agency_line(text: str, agencies: Sequence[Agency]) -> Agency | None:
    """The agency a line under a byline names: "Associated Press", "The
    Associated Press", "Reuters", "AP Sports Writer"."""
    text = re.sub(r"^the\s+", "", text.strip(" .,;=-"), flags=re.IGNORECASE)
    if len(text) > 60:
        return None
    for agency in agencies:
        for alias in (agency.name, *agency.aliases):
            folded, wanted = text.casefold(), alias.casefold()
            if folded == wanted or (folded.startswith(wanted + " ") and _JOB_TITLE.search(text)):
                return agency
    return None


def _is_affiliation(part: str, aliases: set[str]) -> bool:
    folded = part.casefold()
    return (
        any(folded == alias or folded.startswith(alias + " ") for alias in aliases)
        or bool(re.match(r"The\s+[A-Z]", part))
        or bool(_JOB_TITLE.search(part))
    )


def _is_name(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 5 and all(
        _NAME_WORD.fullmatch(word) and (_ELISION.sub("", word)[:1].isupper() or word in PARTICLES) for word in words
    )


def _take_bylines(story: WireStory, agencies: Sequence[Agency]) -> None:
    """Byline blocks at the top, and the agency line under them ("By A and B"
    / "Associated Press"), which names the story's agency."""
    taken = False
    while story.blocks:
        text = story.blocks[0].text
        names, agency = _read_byline(text, agencies)
        if names is None:
            agency = _agency_line(text, agencies) if taken else None
            if agency is None:
                return
        story.blocks.pop(0)
        taken = True
        story.bylines += [name for name in names or () if name not in story.bylines]
        if agency:
            _credit_agency(story, agency)


def _take_dateline(story: WireStory, agencies: Sequence[Agency]) -> None:
    """Cut the dateline off the first paragraph; fill dateline and source from it.

    A dateline counts only when its agency token names a known agency (or it
    is the capitals-only "OTTAWA - " shape, which has none): "Chancellor
    Angela Merkel (CDU) - " is not a dateline.  The place the reporter filed
    from beats a different place in the metadata, which may name the editing desk (Reuters'
    ``located`` is often Bangalore for a story datelined DAMASCUS).
    """
    if not story.blocks or story.blocks[0].kind != "p":
        return
    first = story.blocks[0]
    dateline = match_dateline(first.text, _knows(agencies))
    if not dateline:
        return
    agency = find_agency(dateline.agency_token, agencies)
    # An agency we do not know counts only in a dated dateline: "LISBOA, 12
    # jan (Lusa) -" is one, "Angela Merkel (CDU) -" is not.
    if dateline.agency_token and not agency and not (dateline.dated and dateline.place):
        return
    if dateline.place and not story.dateline.lower().startswith(dateline.place.lower()):
        story.dateline = dateline.place  # metadata's "Oslo, Norway" stays; its "Bangalore" desk does not
    if agency:
        _credit_agency(story, agency)
    prefix = first.text[: dateline.length]
    first.text = first.text[dateline.length :].lstrip()
    if first.html:
        first.html = strip_html_prefix(first.html, prefix) or ""
    if not first.text:
        story.blocks.pop(0)


def strip_html_prefix(markup: str, prefix: str) -> str | None:
    """``markup`` without the text ``prefix`` it starts with, tags kept.

    Comparison is on text (entities decoded, runs of whitespace equal), so
    ``<p><b>London</b> (dpa) - Text`` loses "London (dpa) - " and keeps its
    (now empty) ``<b></b>``.  Returns None when the markup does not start
    with ``prefix``.
    """
    out, i, j = [], 0, 0
    while j < len(prefix):
        if i >= len(markup):
            return None
        if markup[i] == "<":
            end = markup.find(">", i)
            if end < 0:
                return None
            out.append(markup[i : end + 1])
            i = end + 1
            continue
        char, width = markup[i], 1
        if char == "&":
            entity = re.match(r"&#?\w+;", markup[i:])
            if entity:
                char, width = html.unescape(entity.group()), len(entity.group())
        if char.isspace() and prefix[j].isspace():
            i += width
            while j < len(prefix) and prefix[j].isspace():
                j += 1
            continue
        if char.isspace() and j == 0:  # whitespace before the prefix starts
            i += width
            continue
        if char != prefix[j]:
            return None
        i, j = i + width, j + 1
    rest = markup[i:]
    return "".join(out) + rest.lstrip()


def _take_related(story: WireStory) -> None:
    kept = []
    for block in story.blocks:
        found = _RELATED.fullmatch(block.text) if len(block.text) <= 300 else None
        if not found:
            kept.append(block)
            continue
        rest = found.group("rest")
        href = _HREF.search(block.html)
        url_in_text = _URL.search(rest)
        url = href.group("url") if href else url_in_text.group() if url_in_text else ""
        title = _URL.sub("", rest).strip(" \t-–—|:")
        story.related.append(RelatedReading(title=title or url, url=url))
    story.blocks = kept


def _take_rules(story: WireStory, rules: Sequence[str]) -> list[str]:
    """Remove the blocks the rules match (see ``agencies``); return their text."""
    patterns = []
    for rule in rules:
        try:
            patterns.append(compile_rule(rule))
        except RuleError as error:
            story.warnings.append(f"ignored invalid rule {rule!r}: {error}")
    blocks = story.blocks
    # RE2 matches bytes at byte offsets; handing it str would re-encode the
    # whole story on every match.  Lone surrogates (from JSON) pass through.
    encoded = [block.text.encode("utf-8", "surrogatepass") for block in blocks]
    joined = b"\n".join(encoded)
    starts, block_at_end, offset = [], {}, 0
    for index, text in enumerate(encoded):
        starts.append(offset)
        offset += len(text)
        block_at_end[offset] = index
        offset += 1
    kept, taken, index = [], [], 0
    while index < len(blocks):
        last = _match_blocks(patterns, joined, starts[index], block_at_end)
        if last is None:
            kept.append(blocks[index])
            index += 1
        else:
            taken += [block.text for block in blocks[index : last + 1]]
            index = last + 1
    story.blocks = kept
    return taken


def _match_blocks(patterns: Sequence, joined: bytes, start: int, block_at_end: dict[int, int]) -> int | None:
    for pattern in patterns:
        found = pattern.match(joined, start)
        if found and found.end() > start and found.end() in block_at_end:
            return block_at_end[found.end()]
    return None


class RuleError(ValueError):
    """An agency rule RE2 cannot run: bad syntax, a feature RE2 lacks, or too big."""


def _rule_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the caller reports the problem
    return options


@functools.lru_cache(maxsize=512)
def compile_rule(rule: str):
    """``rule`` compiled as ``refine`` reads it (see ``agencies``), or ``RuleError``."""
    try:
        pattern = re2.compile(_RULE_FLAGS + rule, _rule_options())
    except re2.error as error:
        message = error.args[0] if error.args else ""
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise RuleError(message.replace(_RULE_FLAGS, "", 1) or "RE2 cannot compile it") from None
    if pattern.programsize > MAX_RULE_SIZE:
        raise RuleError("too complex: split it or use smaller {m,n} counts")
    return pattern


def _clean_credit(text: str) -> str:
    text = text.strip().removeprefix("- ").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def derive_headline(text: str, limit: int = HEADLINE_LIMIT) -> str:
    """A headline from the first sentence of ``text``, at most ``limit`` long.

    Cut at a word boundary, without trailing punctuation or a dangling "of",
    "the" and the like.
    """
    text = text[: limit * 10]  # the first sentence is all we need
    end = _SENTENCE_END.search(text)
    sentence = text[: end.start() + 1] if end else text
    sentence = " ".join(sentence.split())
    if len(sentence) > limit:
        words = sentence[: limit + 1].split(" ")[:-1] or [sentence[:limit]]
        while len(words) > 1 and words[-1].lower().strip(",;:") in _HEADLINE_DANGLING:
            words.pop()
        sentence = " ".join(words)
    return sentence.rstrip(" .,;:-–—")


def _non_empty(blocks: Iterable[Block]) -> list[Block]:
    return [block for block in blocks if block.text.strip() or block.html.strip()]
