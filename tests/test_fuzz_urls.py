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

from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

OFFSETS = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)).map(tz)
VALUES = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),  # NUL and any script; no lone surrogates
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.from_regex(r"[0-9]{8,5000}", fullmatch=True),
    st.dates().map(date.isoformat),
    st.datetimes(timezones=st.none() | OFFSETS).map(datetime.isoformat),
    st.builds("{:04d}-{:02d}".format, st.integers(0, 99999), st.integers(0, 99)),  # sitemap months
    st.sampled_from(["\x00", "a\x00b", "9999-12-31", "0001-01-01", "-1", "0", "1e400", "NaN", "..", "%00", "zürich"]),
)
PARAMETERS = ["page", "p", "q", "section", "tag", "author", "start", "end", "since"]

QUERY_URLS = [
    "/", "/search/", "/section/world/", "/tag/nato/", "/author/dewi/", "{article}",
    "/feeds/rss/", "/section/world/atom/", "/tag/nato/rss/", "/author/dewi/atom/",
    "/api/ninjs/", "/api/ninjs/{pk}/", "/sitemap.xml", "/sitemap-tags.xml", "/sitemap-articles-{month}.xml",
    "/news-sitemap.xml",
]  # fmt: skip
PATHS = [
    "/{}/01/02/story/", "/2025/{}/02/story/", "/2025/01/{}/story/", "/2025/01/02/{}/",
    "/section/{}/", "/tag/{}/", "/author/{}/", "/section/{}/rss/", "/tag/{}/atom/", "/author/{}/rss/",
    "/sitemap-{}.xml", "/sitemap-articles-{}.xml", "/api/ninjs/{}/", "/preview/{}/",
]  # fmt: skip


@pytest.fixture
def archive(world):
    dewi = make_author(name="Dewi Lestari", slug="dewi")
    articles = [
        make_article(headline=f"Climate story {i}", section=world, authors=[dewi], tags=["NATO", "Zürich"])
        for i in range(3)
    ]
    return articles[0]


def assert_not_5xx(client, path: str, data=None):
    response = client.get(path, data)
    assert response.status_code < 500, (path, data, response.status_code)


@pytest.mark.parametrize("url", QUERY_URLS)
@FUZZ
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), VALUES, min_size=1, max_size=4))
def test_query_parameters_never_answer_5xx(client, archive, url, params):
    path = url.format(article=archive.get_absolute_url(), pk=archive.pk, month=f"{archive.published_at:%Y-%m}")
    assert_not_5xx(client, path, params)


@pytest.mark.parametrize("template", PATHS)
@FUZZ
@given(part=VALUES)
def test_path_parts_never_answer_5xx(client, archive, template, part):
    assert_not_5xx(client, template.format(quote(part, safe="")))
