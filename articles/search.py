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

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .cards import CARD_FIELDS, card_page, card_rows
from .models import Article, Author, Section
from .pagination import Page, paginate
from .params import validate_date
from .sanitize import strip_tags
from .selectors import with_public_stories

#: Text search configuration; the trigger in migration 0005 uses the same.
SEARCH_CONFIG = "english"
# Private-use characters mark matches in raw snippets; they never occur in
# copy, so the snippet can be escaped whole and the marks turned into <mark>.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 35
#: ``ts_headline`` reads its whole input, so snippets come from the start of
#: the story: a match further down still ranks, and its lead is shown.
SNIPPET_SOURCE_CHARS = 1500


class QuickSelect(forms.Select):
    """A ``<select>`` written out in Python: Django's renders a template per option, which took
    13 ms for 200 authors on every search page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((option, " selected" if str(option) in chosen else "", label) for option, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


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
        # Slugs and names only, read once per form: no model instance per option.
        sections = with_public_stories(Section.objects.all()).values_list("slug", "name")
        authors = with_public_stories(Author.objects.all()).values_list("slug", "name")
        self.fields["section"].choices = [("", "All sections"), *sections]
        self.fields["author"].choices = [("", "All authors"), *authors]

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


def _date_bounds(start: date | None, end: date | None) -> Q:
    bounds = Q()
    if start:
        bounds &= Q(published_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        bounds &= Q(published_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))
    return bounds


class StripTags(Func):
    """Markup out of an HTML column, so ``ts_headline`` quotes words, not tags."""

    function = "REGEXP_REPLACE"
    template = "%(function)s(%(expressions)s, '<[^>]*>', ' ', 'g')"


#: Ranking reads every candidate's vector, so only the newest matches are ranked:
#: a common word must not make search cost grow with the archive.
RANKED_CANDIDATES = 1000


def _postgres_matches(articles, text: str):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    newest = articles.filter(search_vector=query).order_by("-published_at", "-pk").values("pk")[:RANKED_CANDIDATES]
    return (
        articles.filter(pk__in=newest)
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
    )


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
    articles = Article.objects.published()
    if section:
        articles = articles.filter(section__slug=section)
    if author:
        articles = articles.filter(authorships__author__slug=author)
    articles = articles.filter(_date_bounds(start, end))
    parsed = ParsedQuery.parse(q)
    if not parsed.groups:
        if not q.strip() and (section or author or start or end):
            return card_page(paginate(card_rows(articles), page, per_page))
        return paginate(Article.objects.none(), page, per_page)
    postgres = connection.vendor == "postgresql"
    articles = _postgres_matches(articles, q) if postgres else _fallback_matches(articles, parsed)
    result = paginate(articles.values(*CARD_FIELDS, "raw_snippet"), page, per_page)
    raw = [row["raw_snippet"] for row in result.object_list]
    if not postgres:
        raw = [_fallback_snippet(snippet, parsed.positive_terms) for snippet in raw]
    for card, snippet in zip(card_page(result).object_list, raw, strict=True):
        card.snippet = highlight(snippet)
    return result
