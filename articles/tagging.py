"""Tag hygiene: which existing tag a name means, and which new names may become tags.

Tags are the public vocabulary (pages, feeds, the API). Agency keywords stay
on the article as wire metadata (``Article.wire_keywords``) and only ever
point at tags that already exist (``TagVocabulary``, which the importer and
the change form's suggestions read). New tags come from editors: the change
form asks ``tag_names``, the tag admin ``check_tag_name``; both apply one rule.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from taggit.models import Tag

from .models import Section
from .sanitize import strip_tags

#: An all-capitals name of one word up to this many letters is an acronym ("NATO", "UNESCO"); longer, or of
#: several words ("HONDURAS GOVERNMENT"), it is an agency shouting.
ACRONYM_MAX_LETTERS = 6

WORD = re.compile(r"\w+")
#: Unicode's blocks of combining marks: what is left of an accent once a letter is decomposed.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """A case- and accent-insensitive key: "Zürich", "zurich" and "ZURICH" are one tag."""
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(text.casefold().split())


def is_shouting(name: str) -> bool:
    """Written in capitals and not an acronym."""
    if name.upper() != name or name.lower() == name:
        return False
    words = [word for word in name.split() if any(c.isalpha() for c in word)]
    return len(words) > 1 or sum(c.isalpha() for c in words[0]) > ACRONYM_MAX_LETTERS


def _is_acronym(name: str) -> bool:
    return name.upper() == name != name.lower()


class TagVocabulary:
    """The existing tags, to look names up in and find in text, case- and accent-insensitively.

    Built from one query; finding tags in a story costs the same however many
    tags the newsroom has (a dict of word sequences, not a pattern per tag).
    A tag in capitals ("US", "NATO") is found only where the text writes it in
    capitals, so the pronoun "us" is not the United States.
    """

    def __init__(self, tags: Iterable[tuple[str, int]]):
        self.by_key: dict[str, tuple[str, int]] = {}
        self.by_words: dict[tuple[str, ...], tuple[str, int, tuple[str, ...] | None]] = {}
        for name, pk in tags:
            self.by_key.setdefault(fold(name), (name, pk))
            words = tuple(WORD.findall(name))
            if words:
                exact = words if _is_acronym(name) else None
                self.by_words.setdefault(tuple(fold(word) for word in words), (name, pk, exact))
        self.longest = max((len(words) for words in self.by_words), default=0)
        self.first_words = {words[0] for words in self.by_words}

    @classmethod
    def load(cls) -> "TagVocabulary":
        return cls(Tag.objects.order_by("pk").values_list("name", "pk"))

    def get(self, name: str) -> tuple[str, int] | None:
        """The existing tag ``name`` means, whatever its case and accents."""
        return self.by_key.get(fold(name))

    def find(self, text: str) -> list[tuple[str, int]]:
        """The existing tags whose names occur in ``text`` as whole words."""
        words = WORD.findall(fold(text))
        raw = None  # the words as written, read only when a tag in capitals matches
        found = {}
        for start, word in enumerate(words):
            if word not in self.first_words:
                continue
            for length in range(1, min(self.longest, len(words) - start) + 1):
                entry = self.by_words.get(tuple(words[start : start + length]))
                if entry and entry[2] is not None:
                    raw = raw if raw is not None else WORD.findall(text)
                    if len(raw) != len(words) or tuple(raw[start : start + length]) != entry[2]:
                        entry = None
                if entry:
                    found[entry[:2]] = True
        return list(found)

    def matching(self, keywords: Iterable[str], text: str) -> list[tuple[str, int]]:
        """The existing tags the agency's keywords name, then those found in the text."""
        named = [tag for tag in map(self.get, keywords) if tag]
        return list(dict.fromkeys([*named, *self.find(text)]))


def suggested_tags(article) -> list[tuple[str, int]]:
    """Existing tags an editor may want on ``article``, by its agency keywords and its text; not those it has."""
    text = " ".join([article.headline, article.dek, strip_tags(article.body)])
    chosen = set(article.tags.values_list("pk", flat=True)) if article.pk else set()
    return [tag for tag in TagVocabulary.load().matching(article.wire_keywords, text) if tag[1] not in chosen]


def tag_names(names: Iterable[str]) -> list[str]:
    """The names to tag with, for names an editor typed.

    A case or accent twin of an existing tag is that tag, and a twin of a
    section's name is spelt as the section is; a new name in capitals is
    refused (``ValidationError``, naming each).
    """
    names = [" ".join(name.split()) for name in names if name.strip()]
    if not names:
        return []
    vocabulary = TagVocabulary.load()
    sections = _sections()
    result, errors = {}, []
    for name in names:
        existing = vocabulary.get(name)
        if existing:
            name = existing[0]
        elif fold(name) in sections:
            name = sections[fold(name)]
        elif is_shouting(name):
            errors.append(shouting_error(name))
            continue
        result.setdefault(fold(name), name)
    if errors:
        raise ValidationError(errors)
    return list(result.values())


def check_tag_name(name: str, *, tag_pk: int | None = None) -> str:
    """A tag's own name, as the tag admin saves it: not in capitals, and no other tag's or section's
    name in another case or with other accents (that tag is used, or the two merged, instead)."""
    name = " ".join(name.split())
    existing = TagVocabulary(Tag.objects.exclude(pk=tag_pk).values_list("name", "pk")).get(name)
    if existing:
        raise ValidationError(
            _("There is already a tag “%(tag)s”: use it, or merge the two."), code="twin", params={"tag": existing[0]}
        )
    section = _sections().get(fold(name))
    if section and section != name:
        raise ValidationError(
            _("Spell it as the section is: “%(section)s”."), code="section_twin", params={"section": section}
        )
    if is_shouting(name):
        raise shouting_error(name)
    return name


def _sections() -> dict[str, str]:
    return {fold(name): name for name in Section.objects.values_list("name", flat=True)}


def shouting_error(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is in capitals: write it as readers should see it, e.g. “%(better)s”."),
        code="shouting",
        params={"name": name, "better": name.title()},
    )
