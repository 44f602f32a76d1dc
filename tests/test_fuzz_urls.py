"""No input in a public URL answers 5xx.

Hypothesis throws arbitrary text (NUL and every script included), huge and
negative numbers, dates and date-times at the edges of the calendar, with
any UTC offset, at every query parameter a public page reads and at every
variable part of every public path. Each must answer below 500: the page, a
redirect, or a clean 400 or 404.
"""

from datetime import date, datetime, timedelta
from datetime import timezone as tz
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.services import live_update_add
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40) | st.sampled_from(  # NUL and any script
    ["\x00", "a\x00b", "%00", "..", "zürich", "東京", "-", "_"]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.from_regex(r"[0-9]{15,60}", fullmatch=True),  # past any SQL integer
    st.sampled_from(["0", "-1", "1.5", "1e400", "NaN", "２", " 2", "9" * 5000]),
)
DAYS = st.dates() | st.sampled_from([date.min, date(1, 1, 2), date(9999, 12, 30), date.max])
OFFSETS = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)).map(tz)
DATES = st.one_of(
    DAYS.map(date.isoformat),
    st.builds(lambda day, at, zone: datetime.combine(day, at, zone).isoformat(), DAYS, st.times(), st.none() | OFFSETS),
    DAYS.map(lambda day: f"{day.year:04d}-{day.month:02d}"),
    st.builds("{:04d}-{:02d}".format, st.integers(0, 99999), st.integers(0, 99)),
)
ANYTHING = TEXT | NUMBERS | DATES
#: Each parameter gets values of its own kind, and anything else besides.
KINDS = {"page": NUMBERS, "p": NUMBERS, "start": DATES, "end": DATES, "since": DATES, "after": NUMBERS}

#: The query parameters each public page reads.
READS = {
    "/search/": ["q", "section", "author", "start", "end", "page"],
    "/api/ninjs/": ["since", "section", "tag", "author", "page"],
    "/section/world/": ["page"],
    "/tag/nato/": ["page"],
    "/author/dewi/": ["page"],
    "/sitemap-tags.xml": ["p"],
    "/sitemap-articles-{month}.xml": ["p"],
    "{article}live/": ["after"],
    "/corrections/": ["page"],
}
URLS = [
    "/", "{article}", "/feeds/rss/", "/section/world/atom/", "/tag/nato/rss/", "/author/dewi/atom/",
    "/api/ninjs/{pk}/", "/sitemap.xml", "/news-sitemap.xml", "{article}live/rss/", "{article}live/atom/",
    "/corrections/rss/", "/corrections/atom/", *READS,
]  # fmt: skip
PATHS = [
    "/{}/01/02/story/", "/2025/{}/02/story/", "/2025/01/{}/story/", "/2025/01/02/{}/",
    "/section/{}/", "/tag/{}/", "/author/{}/", "/section/{}/rss/", "/tag/{}/atom/", "/author/{}/rss/",
    "/sitemap-{}.xml", "/sitemap-articles-{}.xml", "/api/ninjs/{}/", "/preview/{}/",
    "/2025/01/02/{}/live/", "/{}/01/02/story/live/", "/2025/01/02/{}/live/rss/",
]  # fmt: skip


@pytest.fixture
def archive(world):
    dewi = make_author(name="Dewi Lestari", slug="dewi")
    articles = [
        make_article(headline=f"Climate story {i}", section=world, authors=[dewi], tags=["NATO", "Zürich"])
        for i in range(3)
    ]
    articles[0].is_live = True  # a live page: its fragment and feeds are fuzzed too
    articles[0].save()
    live_update_add(article=articles[0], body="<p>An update.</p>")
    return articles[0]


def assert_not_5xx(client, path: str, data=None):
    response = client.get(path, data)
    assert response.status_code < 500, (path, data, response.status_code)


def address(url: str, article) -> str:
    return url.format(article=article.get_absolute_url(), pk=article.pk, month=f"{article.published_at:%Y-%m}")


@pytest.mark.parametrize(("url", "name"), [(url, name) for url, names in READS.items() for name in names])
@FUZZ
@given(data=st.data())
def test_each_parameter_never_answers_5xx(client, archive, url, name, data):
    value = data.draw(KINDS.get(name, TEXT) | ANYTHING, label=name)
    assert_not_5xx(client, address(url, archive), {name: value})


@pytest.mark.parametrize("url", URLS)
@settings(FUZZ, max_examples=25)
@given(params=st.dictionaries(st.sampled_from(sorted({*KINDS, "q", "section", "tag", "author"})), ANYTHING, max_size=5))
def test_any_parameters_on_any_page_never_answer_5xx(client, archive, url, params):
    assert_not_5xx(client, address(url, archive), params)


@pytest.mark.parametrize("template", PATHS)
@FUZZ
@given(part=ANYTHING)
def test_path_parts_never_answer_5xx(client, archive, template, part):
    assert_not_5xx(client, template.format(quote(part, safe="")))
