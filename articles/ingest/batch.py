"""What one import run looks up once rather than once per story."""

from django.db.models import QuerySet, Value
from django.db.models.functions import Substr, Upper

from ..models import Article, Author, WireSource
from ..models.content import unique_slug, unique_slugs
from ..sanitize import strip_tags
from ..tagging import TagVocabulary
from ..wire import Agency
from .duplicates import NEAR_DUPLICATE_POOL, NEAR_DUPLICATE_TEXT, WORD


def active_agencies() -> list[Agency]:
    return [source.as_agency() for source in WireSource.objects.filter(active=True)]


class ImportBatch:
    """What a run of imports looks up once rather than once per story.

    Agencies, wire sources and tags are read when the batch starts; authors
    are remembered as stories name them, and recent headlines as the
    near-duplicate check meets them. Whatever a transaction added here is
    forgotten if it is rolled back, since the rows went with it.
    """

    def __init__(self):
        self.agencies = active_agencies()
        self.vocabulary = TagVocabulary.load()
        self._sources: dict[str, WireSource] = {}
        for source in WireSource.objects.all():
            for name in (source.name, *source.as_agency().aliases):
                self._sources.setdefault(name.lower(), source)
        self._authors: dict[str, int] = {}
        self._headline_words: dict[int, set[str]] = {}
        self._texts: dict[int, str] = {}
        self._added_since_begin: list[tuple[dict, str]] = []

    def begin(self) -> None:
        """Stories are about to be saved in one transaction."""
        self._added_since_begin.clear()

    def rollback(self) -> None:
        """That transaction was rolled back: forget what it added."""
        for memo, key in self._added_since_begin:
            memo.pop(key, None)
        self._added_since_begin.clear()

    def _remember(self, memo: dict, key: str, value) -> None:
        memo[key] = value
        self._added_since_begin.append((memo, key))

    def source(self, name: str) -> WireSource:
        """The wire source called ``name`` (or so aliased); a new name is added inactive, for the desk to check."""
        key = name.strip().lower()
        if key not in self._sources:
            source, _ = WireSource.objects.get_or_create(
                name=name.strip()[:100], defaults={"aliases": name, "active": False}
            )
            self._remember(self._sources, key, source)
        return self._sources[key]

    def author_ids(self, names: list[str]) -> dict[str, int]:
        """Author ids by lower-cased name for these names; the missing authors are looked up, and
        created, together.

        Another importer may be creating the same author at this moment: the
        INSERT skips a slug taken meanwhile (on PostgreSQL it waits for that
        transaction to end), and the authors still missing are read again.
        """
        missing = self._look_up(Author, self._authors, names)
        new = {key: name[:150] for key, name in missing.items() if key not in self._authors}
        if new:
            slugs = unique_slugs(Author, list(new.values()), max_length=150)
            Author.objects.bulk_create(
                (Author(name=name, slug=slug) for name, slug in zip(new.values(), slugs, strict=True)),
                ignore_conflicts=True,
            )
            self._look_up(Author, self._authors, list(new.values()))
            for key, name in new.items():
                if key not in self._authors:  # its slug went to someone else of another name
                    author = Author.objects.create(name=name, slug=unique_slug(Author, name, max_length=150))
                    self._remember(self._authors, key, author.pk)
        return self._authors

    def _look_up(self, model, memo: dict[str, int], names: list[str]) -> dict[str, str]:
        """Remember the ids of the rows of ``model`` called any of ``names`` (ignoring case) that ``memo``
        lacks, in one query; returns the names it lacked, by lower-cased name."""
        missing = {name.lower(): name for name in names if name.lower() not in memo}
        if missing:
            for row in named_any(model.objects.all(), missing.values()):
                if row.name.lower() in missing and row.name.lower() not in memo:
                    self._remember(memo, row.name.lower(), row.pk)
        return missing

    def headline_words(self, pk: int, headline: str) -> set[str]:
        if pk not in self._headline_words:
            self._bound(self._headline_words)
            self._headline_words[pk] = set(WORD.findall(headline.lower()))
        return self._headline_words[pk]

    def texts(self, pks: list[int]) -> dict[int, str]:
        """The plain text of these articles' bodies, up to ``NEAR_DUPLICATE_TEXT`` characters."""
        missing = [pk for pk in pks if pk not in self._texts]
        if missing:
            self._bound(self._texts)
            # Enough of the HTML to hold that much text.
            leads = Article.objects.filter(pk__in=missing).values_list("pk", Substr("body", 1, 3 * NEAR_DUPLICATE_TEXT))
            for pk, body in leads:
                self._texts[pk] = strip_tags(body)[:NEAR_DUPLICATE_TEXT]
        return {pk: self._texts[pk] for pk in pks if pk in self._texts}

    @staticmethod
    def _bound(memo: dict) -> None:
        """Keep a per-article memo to a few candidate pools, so memory stays flat over a long run."""
        if len(memo) >= 3 * NEAR_DUPLICATE_POOL:
            memo.clear()


def named_any(queryset: QuerySet, names, *, field: str = "name") -> QuerySet:
    """The rows of ``queryset`` whose ``field`` equals any of ``names``, ignoring case (as the database
    upper-cases both sides, so an index on ``UPPER(field)`` serves it)."""
    return queryset.alias(upper_name=Upper(field)).filter(upper_name__in=[Upper(Value(name)) for name in names])
