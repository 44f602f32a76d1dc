r"""The built-in agencies: their names, the other spellings of them found in
datelines and metadata (copyright holders, provider ids, feed titles), and
their rules. This is the one table: ``meta.agency_name`` reads its spellings,
migrations seed ``WireSource`` rows from a frozen copy of it, and
``manage.py sync_agencies`` shows (and with ``--apply`` writes) how the rows
differ from it. The rows are what imports use; these apply when there are none.

How ``refine`` reads a rule (``boilerplate`` and ``credits`` alike): it is an
RE2 regular expression (no lookarounds or backreferences; ``\w``, ``\s``, ``\b``
are ASCII) matched case-insensitively, in MULTILINE mode, at the start
of a body block, against the story's blocks joined by newlines; it fires only
if the match ends where a block ends, and takes out every block it covers.  So
``^___$`` removes one line, and a rule ending in ``(?s:.*)`` removes its block
and everything after it (a trailer).  ``(?-i:...)`` makes part of a rule
case-sensitive, for sign-off initials.
"""

from __future__ import annotations

from .base import Agency

#: Rules for every story whatever its source.
GENERIC_BOILERPLATE = (
    # "© 2024 AFP", "Copyright 2024 The Associated Press. All rights reserved."
    # but not "Copyright law is changing": a year or the reservation is required.
    r"^(?:©|\(c\)|copyright\b)\s*(?:©\s*)?(?:\d{4}|[^\n]*all rights reserved)[^\n]{0,150}$",
    r"^all rights reserved\.?$",
)
GENERIC_CREDITS = (
    r"^\((?:additional\s+)?(?:reporting|writing|editing|compiled|research)\b[^\n]*\)$",
    r"^additional reporting by\b[^\n]{1,200}$",
)

# Sign-offs are initials in lower case: "hh/ph/ts", "dpa wsz jln npr".
_SLASHED_INITIALS = r"^(?-i:[a-z]{1,4}(?:/[a-z]{1,4}){1,5})$"

DEFAULT_AGENCIES: tuple[Agency, ...] = (
    Agency(
        name="Tempo",
        aliases=("TEMPO.CO", "Tempo", "Tempo.co"),
        boilerplate=(r"^Click here to get the latest news (?:updates )?from Tempo on Google News\.?$",),
    ),
    Agency(
        name="Antara",
        aliases=("ANTARA", "Antara News", "ANTARA News"),
        credits=(r"^(?:Reporter|Translator|Editor)s?\s*:\s*[^\n]{1,120}$",),
    ),
    Agency(
        name="AP",
        aliases=("AP", "Associated Press", "The Associated Press"),
        boilerplate=(
            r"^_{3,}$",
            r"^BC-[\w-]+--[^\n]*$",  # the story's slug
            r"^[^\n]{1,120}\bcan be reached at\b[^\n]*$",
            r"^Follow [^\n]{1,120}\b(?:on|at) "
            r"(?:Twitter|X|Instagram|Facebook|Bluesky|Threads)\b[^\n]*$",
            r"^Follow [^\n]{1,120}https?://[^\n]*$",
            r"^(?:Find|See|Read) (?:more of |all of )?AP[’']s [^\n]*coverage\b[^\n]*$",
        ),
        credits=(
            # "Associated Press writer Jane Doe in Rome contributed to this report."
            r"^(?:The )?(?:Associated Press|AP|APTN)\b"
            r"[^\n]{1,250}\b(?:contributed|helped)\b[^\n]*$",
        ),
    ),
    Agency(
        name="Reuters",
        aliases=("Reuters", "Thomson Reuters", "reuters.com"),
        boilerplate=(
            r"^\(\([^\n]*\)\)$",  # ((Reuters messaging: ...))
            # Notes to clients: "(Adds comments, detail)", "(In Jan. 3 story, corrects ...)"
            r"^\((?:adds|updates|corrects|recasts|repeats|changes|removes|fixes)\b[^\n]*\)$",
            r"^\(In [^\n]*\bstory,? corrects\b[^\n]*\)$",
            r"^Our Standards: The Thomson Reuters Trust Principles\.?$",
        ),
    ),
    Agency(
        name="AFP",
        aliases=("AFP", "Agence France-Presse", "Agence France Presse", "afp.com"),
        boilerplate=(_SLASHED_INITIALS,),
    ),
    Agency(
        name="dpa",
        aliases=("dpa", "dpa-tns", "dpa-AFX", "Deutsche Presse-Agentur", "Deutsche Presse Agentur"),
        boilerplate=(
            r"^#\s*(?:dpa\s+)?notebook\b(?s:.*)",
            r"^\*(?:\s*\*){2,}\n(?:the following information is\s+)?"
            r"not (?:intended )?for publication\b(?s:.*)",
            r"^the following information is not (?:intended )?for publication\b(?s:.*)",
            r"^(?-i:dpa(?:\s+[a-z]{2,4})+)$",
        ),
        credits=(r"^-?\s*(?:Reporting|Editing) by:\s*[^\n]+$",),
    ),
    Agency(name="EFE", aliases=("EFE", "Agencia EFE"), boilerplate=(_SLASHED_INITIALS,)),
    Agency(
        name="ANSA",
        aliases=("ANSA", "ANSAmed", "ansa.it"),
        boilerplate=(r"^(?:all rights reserved\s*)?©?\s*copyright ANSA\b[^\n]*$",),
    ),
    Agency(name="Bernama", aliases=("Bernama",), boilerplate=(r"^-+\s*BERNAMA\s*$",)),
    Agency(name="Kyodo", aliases=("Kyodo", "Kyodo News"), boilerplate=(r"^==\s*Kyodo\s*$",)),
    Agency(
        name="PTI",
        aliases=("PTI", "Press Trust of India"),
        boilerplate=(r"^(?-i:PTI(?:\s+[A-Z]{2,4})+)$",),
    ),
    Agency(name="ANI", aliases=("ANI", "Asian News International"), boilerplate=(r"^\(ANI\)$",)),
    Agency(name="Xinhua", aliases=("Xinhua", "Xinhua News Agency"), boilerplate=(r"^Enditem$",)),
    Agency(
        name="Yonhap",
        aliases=("Yonhap", "Yonhap News Agency"),
        boilerplate=(r"^\(END\)$", r"^[\w.+-]+@yna\.co\.kr$"),
    ),
    Agency(
        name="Canadian Press",
        aliases=("CP", "The Canadian Press", "Canadian Press"),
        boilerplate=(r"^This report by The Canadian Press was first published\b[^\n]*$",),
    ),
    Agency(name="BusinessDesk", aliases=("BusinessDesk",), boilerplate=(r"^\(BusinessDesk\)$",)),
    Agency(name="NTB", aliases=("NTB", "Norsk Telegrambyrå"), boilerplate=(r"^\(©\s*NTB\)$",)),
    Agency(
        name="STT",
        aliases=("STT", "STT-Info", "STT-Lehtikuva"),
        boilerplate=(r"^\*{3}\s*DISCLAIMER:[^\n]*\*{3}$",),
    ),
    Agency(name="TT", aliases=("TT", "TT Nyhetsbyrån", "tt.se"), boilerplate=(r"^\(TT\)$",)),
    Agency(
        name="AAP",
        aliases=("AAP", "Australian Associated Press"),
        boilerplate=(r"^(?-i:AAP(?:\s+[A-Za-z]{1,4}(?:/[a-z]{1,4})*)+)$",),
    ),
    Agency(
        name="PA",
        aliases=("PA", "PA Media", "Press Association"),
        boilerplate=(r"^ends$",),
    ),
    Agency(name="WENN", aliases=("WENN",)),
)
