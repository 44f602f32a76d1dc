"""Sitemaps validated with lxml against the sitemaps.org schemas in tests/fixtures/xsd/ (see SOURCES.md there)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from tests.factories import make_article, make_author, make_section
from tests.queries import archive_query_counts

pytestmark = pytest.mark.django_db

XSD = Path(__file__).parent / "fixtures" / "xsd"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITE = "http://127.0.0.1:8000"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def valid_xml(client, url: str, xsd: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    validator = schema(xsd)
    assert validator.validate(document), (url, validator.error_log)
    return document


def locations(document) -> list[str]:
    return [loc.text for loc in document.iter(f"{SM}loc")]


@pytest.fixture
def archive():
    world = make_section(name="World", slug="world")
    make_section(name="Empty", slug="empty")
    dewi = make_author(name="Dewi Lestari", slug="dewi-lestari")
    make_author(name="Draft Only", slug="draft-only")
    fresh = make_article(
        headline="Fresh story", section=world, authors=[dewi], tags=["NATO"], language="en-GB",
        published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    a_year_ago = timezone.now() - timedelta(days=400)
    old = make_article(headline="Old story", section=world, authors=[dewi], published_at=a_year_ago)
    draft = make_article(headline="Draft story", status="draft", authors=[make_author(slug="ghost")], tags=["Secret"])
    return fresh, old, draft


def test_robots_txt_names_the_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_sitemap_index_lists_months_sections_tags_and_authors_with_lastmod(client, archive):
    fresh, old, _ = archive
    index = valid_xml(client, "/sitemap.xml", "siteindex.xsd")
    month = timezone.localtime(fresh.published_at).strftime("%Y-%m")
    old_month = timezone.localtime(old.published_at).strftime("%Y-%m")
    assert locations(index) == [
        f"{SITE}/sitemap-articles-{month}.xml",
        f"{SITE}/sitemap-articles-{old_month}.xml",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-authors.xml",
    ]
    assert all(entry.find(f"{SM}lastmod") is not None for entry in index.iter(f"{SM}sitemap"))


def test_every_sitemap_in_the_index_is_valid_and_public_only(client, archive):
    fresh, old, draft = archive
    index = valid_xml(client, "/sitemap.xml", "siteindex.xsd")
    urls = []
    for location in locations(index):
        urls += locations(valid_xml(client, location.removeprefix(SITE), "sitemap.xsd"))
    assert f"{SITE}{fresh.get_absolute_url()}" in urls and f"{SITE}{old.get_absolute_url()}" in urls
    assert f"{SITE}/section/world/" in urls and f"{SITE}/tag/nato/" in urls and f"{SITE}/author/dewi-lestari/" in urls
    hidden_pages = [
        draft.get_absolute_url(),
        "/tag/secret/",
        "/author/ghost/",
        "/author/draft-only/",
        "/section/empty/",
    ]
    for hidden in hidden_pages:
        assert f"{SITE}{hidden}" not in urls


def test_unknown_sitemaps_are_404(client, db):
    for url in ["/sitemap-nope.xml", "/sitemap-articles-2025-13.xml", "/sitemap-things-2025-01.xml"]:
        assert client.get(url).status_code == 404, url


def test_news_sitemap_has_the_last_48_hours(client, archive):
    fresh, old, draft = archive
    yesterday = make_article(headline="Yesterday's story", published_at=timezone.now() - timedelta(hours=30))
    make_article(headline="Three days ago", published_at=timezone.now() - timedelta(hours=72))
    document = valid_xml(client, "/news-sitemap.xml", "news-sitemap-driver.xsd")
    assert document.nsmap == {None: SM.strip("{}"), "news": NEWS.strip("{}")}
    assert locations(document) == [f"{SITE}{fresh.get_absolute_url()}", f"{SITE}{yesterday.get_absolute_url()}"]
    news = document.find(f"{SM}url/{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"  # from en-GB
    assert news.findtext(f"{NEWS}title") == "Fresh story"
    assert news.findtext(f"{NEWS}publication_date") == timezone.localtime(fresh.published_at).isoformat()


def test_sitemaps_answer_conditional_requests(client, archive):
    for url in ["/sitemap.xml", "/sitemap-sections.xml", "/news-sitemap.xml"]:
        first = client.get(url)
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, url
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304, url


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-articles-{month}.xml", "/sitemap-sections.xml",
                                 "/sitemap-tags.xml", "/sitemap-authors.xml", "/news-sitemap.xml"])  # fmt: skip
def test_query_count_does_not_grow_with_the_archive(client, url):
    def target(articles):
        return url.format(month=timezone.localtime(articles[-1].published_at).strftime("%Y-%m"))

    counts = archive_query_counts(client, target)
    # The index reads this month, the months before, and whether sections, tags and authors have pages (two each).
    assert counts[0] == counts[1] and counts[1] <= (9 if url == "/sitemap.xml" else 5), counts


def test_past_months_are_counted_once_an_hour_and_this_month_every_time(client, archive):
    _, old, _ = archive
    first = client.get("/sitemap.xml").content
    make_article(headline="Another old story", published_at=old.published_at + timedelta(minutes=5))
    make_article(headline="Just in", published_at=timezone.now() - timedelta(seconds=1))
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/sitemap.xml")
    assert again.content != first
    assert sum("django_datetime_trunc" in q["sql"] or "DATE_TRUNC" in q["sql"] for q in ctx.captured_queries) == 1
