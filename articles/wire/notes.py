"""Notes to editors: lines an agency writes for the desk, never for readers.

    (Achtung) Sperrfrist 18.00 Uhr MEZ         dpa
    (Eds: Updates with minister's comments)    AP, dpa English
    EDITOR'S NOTE: This story contains ...     AP
    Note to editors: ...   /   ATTENTION EDITORS
    (Nota a los editores: ...)   /   NOTA PER LE REDAZIONI: ...

A note opens with one of the phrases below (in brackets, or followed by
punctuation), in the languages whose datelines we read.  Parsers use this
when choosing a headline; ``refine`` takes notes out of the body and off the
headline into ``WireStory.removed``.  Agency-specific notes are agency
boilerplate rules (``Agency.boilerplate``), which ``refine`` also checks
against the headline.
"""

from __future__ import annotations

import re

#: Openings of a note to editors, as regular expressions (matched in any case).
OPENINGS = (
    # English
    r"eds?",
    r"editor[’']?s?[’']?\s+notes?",
    r"notes?\s+(?:to|for)\s+(?:the\s+)?(?:editors?|desks?)",
    r"(?:attention|attn\.?)\s*:?\s+(?:editors?|desks?)",
    r"advisory\s+(?:to|for)\s+editors?",
    # German
    r"hinweis\s+(?:an|für)\s+(?:die\s+)?redaktion(?:en)?",
    r"redaktione(?:ller|lle)\s+hinweis(?:e)?",
    r"an\s+die\s+redaktion(?:en)?",
    r"achtung\s+redaktion(?:en)?",
    # French
    r"(?:note|avis|message)\s+aux\s+r[ée]dactions?",
    r"(?:à\s+)?l[’']attention\s+des\s+r[ée]dactions?",
    r"attention\s+r[ée]dactions?",
    # Spanish
    r"(?:nota|aviso)\s+(?:a|para)\s+(?:los\s+|las\s+)?(?:editores|redacciones)",
    r"atenci[óo]n\s+(?:editores|redacciones)",
    # Italian
    r"(?:nota|avviso)\s+(?:per\s+le|alle)\s+redazioni",
    r"attenzione\s+(?:redazioni|redazione)",
    # Portuguese
    r"(?:nota|aviso)\s+(?:aos|para\s+os)\s+editores",
    r"(?:nota|aviso)\s+(?:às|as|para\s+as)\s+reda[çc][õo]es",
    r"aten[çc][ãa]o\s+(?:editores|reda[çc][õo]es)",
)
#: Openings that are ordinary words outside brackets ("Achtung, Glatteis!").
BRACKETED_ONLY = (r"achtung", r"hinweis", r"nota", r"note")

_NOTE = re.compile(
    r"\s*(?:[(\[]\s*(?:{any})|(?:{openings}))\s*(?:[:.)\]\-–—]|$)".format(
        any="|".join((*OPENINGS, *BRACKETED_ONLY)), openings="|".join(OPENINGS)
    ),
    re.IGNORECASE,
)


def is_editors_note(text: str) -> bool:
    """Whether ``text`` (a line or a paragraph) is a note to editors."""
    return bool(_NOTE.match(text))
