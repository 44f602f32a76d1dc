"""Search: one entry point, ``search()``, for the search page.

On PostgreSQL: full-text search over the stored, weighted ``search_vector``
(headline A, dek B, body C; kept by a trigger, see migration 0005) with web
search syntax (``"a phrase"``, ``-word``, ``or``), ``ts_rank`` ordering and
``ts_headline`` snippets. Elsewhere (SQLite in development): the same syntax
matched at word starts (case-insensitive regex, no stemming), ranked by
where the words occur.
"""

import html
import re
import shlex
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Func, Lookup, Q, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .caching import kept_like_pages
from .cards import CARD_FIELDS, card_page, card_rows
from .models import Article, Author, Section
from .pagination import Page, paginate
from .params import validate_date
from .prepared import prepared
from .sanitize import strip_tags
from .selectors import with_public_stories

#: Text search configuration; the trigger in migration 0005 uses the same.
SEARCH_CONFIG = "english"
# Private-use characters mark matches in raw snippets; they never occur in
# copy, so the snippet can be escaped whole and the marks turned into <mark>.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 35
#: ``ts_headline`` parses its whole input, the dearest part of a results page, so snippets come from
#: the dek and the start of the story: a match further down still ranks, and the lead is shown.
SNIPPET_SOURCE_CHARS = 800


class QuickSelect(forms.Select):
    """A ``<select>`` written out in Python: Django's renders a template per option, and even
    ``format_html`` per option cost more than the rest of the form (200 authors)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper.
        options = "".join(
            f'<option value="{html.escape(str(option))}"{" selected" if str(option) in chosen else ""}>'
            f"{html.escape(str(label))}</option>"
            for option, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # noqa: S308 - every value and label escaped above
        )


class Choices(BaseChoiceIterator):
    """(value, label) pairs a field takes as they are: a list is normalized again each time it is
    set, twice per field (the field's and its widget's), which for 200 authors cost more than the rest of the form."""

    def __init__(self, choices: list[tuple[str, str]]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


@kept_like_pages
def filter_choices() -> tuple[Choices, Choices]:
    """The section and author dropdowns' choices: slugs and names of those with a public story.
    Kept between requests (``kept_like_pages``): they change only when the site does."""
    sections = with_public_stories(Section.objects.all()).values_list("slug", "name")
    authors = with_public_stories(Author.objects.all()).values_list("slug", "name")
    return Choices([("", "All sections"), *sections]), Choices([("", "All authors"), *authors])


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=200)
    section = forms.ChoiceField(required=False, widget=QuickSelect)
    author = forms.ChoiceField(required=False, widget=QuickSelect)
    start = forms.DateField(
        label="From", required=False, validators=[validate_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, validators=[validate_date], widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices, self.fields["author"].choices = filter_choices()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The start date must be on or before the end date.")
        return data


@dataclass
class Term:
    text: str
    negated: bool = False


@dataclass
class ParsedQuery:
    """Web-search syntax: OR-separated groups of AND-ed terms, as ``websearch_to_tsquery`` reads it."""

    groups: list[list[Term]] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> "ParsedQuery":
        try:
            tokens = shlex.split(text)
        except ValueError:  # an unbalanced quote: take the words as they are
            tokens = text.replace('"', " ").split()
        groups, current = [], []
        for token in tokens:
            if token.lower() == "or":
                groups.append(current)
                current = []
            elif token.startswith("-") and len(token) > 1:
                current.append(Term(token[1:], negated=True))
            elif token.strip("-"):
                current.append(Term(token))
        groups.append(current)
        return cls([group for group in groups if any(not term.negated for term in group)])

    @property
    def positive_terms(self) -> list[str]:
        return [term.text for group in self.groups for term in group if not term.negated]


def _filters(section: str, author: str, start: date | None, end: date | None) -> dict:
    """The filters given, as ``_published`` takes them: slugs, and the times the dates start and end at."""
    filters = {"section": section, "author": author}
    if start:
        filters["since"] = timezone.make_aware(datetime.combine(start, time.min))
    if end:
        filters["until"] = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return {name: value for name, value in filters.items() if value}


def _published(now, section=None, author=None, since=None, until=None):
    """The published stories that pass the filters (``_filters``)."""
    articles = Article.objects.published(now)
    if section:
        articles = articles.filter(section__slug=section)
    if author:
        articles = articles.filter(authorships__author__slug=author)
    if since:
        articles = articles.filter(published_at__gte=since)
    if until:
        articles = articles.filter(published_at__lt=until)
    return articles


class StripTags(Func):
    """Markup out of an HTML column, so ``ts_headline`` quotes words, not tags."""

    function = "REGEXP_REPLACE"
    template = "%(function)s(%(expressions)s, '<[^>]*>', ' ', 'g')"


class AnyOf(Lookup):
    """``lhs = ANY(ARRAY(subquery))`` rather than ``lhs IN (subquery)``: PostgreSQL fetches the few rows
    by their index, where for the semi-join of ``IN`` it read the whole table."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


#: Ranking reads every candidate's vector, so only the newest matches are ranked: a common word
#: must not make search cost grow with the archive. A query matching more stories than this finds the
#: best of the newest ones; an older story needs fewer words in common or the date filters.
RANKED_CANDIDATES = 300


def _postgres_matches(articles, text: str, candidates: int):
    """The matches among the newest ``candidates``, best first."""
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    newest = articles.filter(search_vector=query).order_by("-published_at", "-pk").values("pk")[:candidates]
    return (
        Article.objects.filter(AnyOf(F("pk"), ArraySubquery(newest)))
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            raw_snippet=SearchHeadline(
                Concat("dek", Value(" "), StripTags(Left("body", SNIPPET_SOURCE_CHARS)), output_field=TextField()),
                query,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
        .values(*CARD_FIELDS, "raw_snippet")
    )


@prepared(literals=("candidates", "limit"))
def _first_postgres_matches(*, q, now, candidates, limit, **filters):
    """The first ``limit`` rows of ``_postgres_matches``, by a query compiled once per set of filters."""
    return _postgres_matches(_published(now, **filters), q, candidates)[:limit]


def _word_start(term: str) -> str:
    """A regular expression for ``term`` at the start of a word: "ash" finds "ashes", not "Washington"."""
    return rf"\b{re.escape(term)}"


def _fallback_matches(articles, parsed: ParsedQuery):
    def contains(term):
        pattern = _word_start(term)
        return Q(headline__iregex=pattern) | Q(dek__iregex=pattern) | Q(body__iregex=pattern)

    matches = Q()
    for group in parsed.groups:
        group_q = Q()
        for term in group:
            group_q &= ~contains(term.text) if term.negated else contains(term.text)
        matches |= group_q
    # Where a word occurs weighs as in the PostgreSQL vector: headline > dek > body.
    rank = Value(0)
    for term in parsed.positive_terms:
        for column, weight in (("headline", 4), ("dek", 2), ("body", 1)):
            rank += Case(When(**{f"{column}__iregex": _word_start(term)}, then=Value(weight)), default=Value(0))
    return (
        articles.filter(matches)
        .annotate(rank=rank, raw_snippet=Concat("dek", Value(" "), "body", output_field=TextField()))
        .order_by("-rank", "-published_at", "-pk")
        .values(*CARD_FIELDS, "raw_snippet")
    )


def _fallback_snippet(raw: str, terms: list[str]) -> str:
    """About ``SNIPPET_WORDS`` words of plain text around the first match, matches marked."""
    text = " ".join(strip_tags(raw).split())
    pattern = re.compile("|".join(_word_start(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    words_before = text[: first.start()].split() if first else []
    start = len(" ".join(words_before[: max(0, len(words_before) - 10)]))
    words = text[start:].split()
    window = " ".join(words[:SNIPPET_WORDS])
    window = pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", window)
    return ("… " if start else "") + window + (" …" if len(words) > SNIPPET_WORDS else "")


def highlight(raw: str) -> SafeString:
    """Escape a marked snippet and turn its marks into ``<mark>`` elements."""
    text = escape(html.unescape(raw))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308 - escaped above


def search(*, q: str = "", section="", author="", start=None, end=None, page=None, per_page: int = 20) -> Page:
    """One page of published articles matching ``q`` and the filters (section and author slugs), best first,
    as cards each with a ``snippet``.

    With no words, the filters alone list the newest matching stories.
    """
    now = timezone.now()
    filters = _filters(section, author, start, end)
    parsed = ParsedQuery.parse(q)
    if not parsed.groups:
        if not q.strip() and filters:
            return card_page(paginate(card_rows(_published(now, **filters)), page, per_page))
        return paginate(Article.objects.none(), page, per_page)
    if connection.vendor == "postgresql":
        ranked = RANKED_CANDIDATES
        first = partial(_first_postgres_matches, q=q, now=now, candidates=ranked, limit=per_page + 1, **filters)
        # Built only for a page past the first: building it cost as much as running the prepared query.
        matches = SimpleLazyObject(lambda: _postgres_matches(_published(now, **filters), q, ranked))
        result = paginate(matches, page, per_page, first)
        raw = [row["raw_snippet"] for row in result.object_list]
    else:
        result = paginate(_fallback_matches(_published(now, **filters), parsed), page, per_page)
        raw = [_fallback_snippet(row["raw_snippet"], parsed.positive_terms) for row in result.object_list]
    for card, snippet in zip(card_page(result).object_list, raw, strict=True):
        card.snippet = highlight(snippet)
    return result
