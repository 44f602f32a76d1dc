"""Corrections in the open: CorrectionComment in JSON-LD, a public corrections page and its feeds."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import services
from articles.caching import local_pages
from articles.links import absolute_url
from articles.models import Correction
from tests.factories import make_article, make_rich_archive
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def correct(article, text, *, hours_ago, kind=Correction.Kind.CORRECTION):
    return Correction.objects.create(
        article=article, text=text, kind=kind, created_at=timezone.now() - timedelta(hours=hours_ago)
    )


@pytest.fixture
def corrections():
    public = make_article(headline="Budget passes")
    other = make_article(headline="Storm hits coast")
    return {
        "old": correct(public, "The vote was 52 to 48, not 48 to 52.", hours_ago=5),
        "new": correct(other, "The storm's name is Ayla.", hours_ago=1),
        "update": correct(public, "Adds the minister's reaction.", hours_ago=2, kind=Correction.Kind.UPDATE),
        "draft": correct(make_article(status="draft", headline="Unpublished draft"), "Secret draft fix.", hours_ago=0),
        "embargoed": correct(
            make_article(headline="Embargoed story", embargoed_until=timezone.now() + timedelta(days=1)),
            "Embargoed fix.",
            hours_ago=0,
        ),
    }


def test_each_correction_is_a_correction_comment_in_the_articles_json_ld(client, corrections):
    article = corrections["old"].article
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The vote was 52 to 48, not 48 to 52.",
            "datePublished": corrections["old"].created_at.isoformat(),
            "url": absolute_url(corrections["old"].get_absolute_url()),
        }
    ]
    assert f'id="correction-{corrections["old"].pk}"' in html


def test_an_article_without_corrections_has_none_in_json_ld(client):
    article = make_article()
    services.correction_add(article=article, text="Only an update.", kind=Correction.Kind.UPDATE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '"correction"' not in html


def test_the_corrections_page_lists_corrections_of_public_stories_newest_first(client, corrections):
    response = client.get("/corrections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Storm hits coast") < html.index("Budget passes")
    assert "The storm&#39;s name is Ayla." in html and "The vote was 52 to 48" in html
    assert f'href="{corrections["old"].get_absolute_url()}"' in html
    for hidden in ("Adds the minister", "Unpublished draft", "Secret draft fix", "Embargoed story", "Embargoed fix"):
        assert hidden not in html, hidden
    assert 'href="/corrections/rss/"' in html and 'href="/corrections/atom/"' in html


def test_the_corrections_page_is_linked_from_every_page_footer(client):
    story = make_article()
    for url in ("/", story.get_absolute_url(), "/search/"):
        assert 'href="/corrections/">Corrections</a>' in client.get(url).content.decode(), url


def test_the_corrections_page_says_so_when_there_are_none_and_refuses_bad_pages(client):
    assert "No corrections yet." in client.get("/corrections/").content.decode()
    for page in ("2", "abc", "0", "-1", "99999999999999999999"):
        assert client.get(f"/corrections/?page={page}").status_code == 404, page


def test_the_corrections_page_and_feeds_cost_the_same_for_5_or_50_corrections(client):
    counts = {url: [] for url in ("/corrections/", "/corrections/rss/", "/corrections/atom/")}
    for size in (5, 50):
        for article in make_rich_archive(size):
            correct(article, f"Fixed a detail in {article.headline}.", hours_ago=1)
        for url, found in counts.items():
            cache.clear()
            local_pages.clear()
            found.append(queries_for(client, url))
    for url, (small, large) in counts.items():
        assert small == large <= 4, (url, small, large)


def test_the_corrections_page_paginates(client):
    article = make_article()
    for n in range(35):
        correct(article, f"Correction number {n}.", hours_ago=n + 1)
    first = client.get("/corrections/").content.decode()
    second = client.get("/corrections/?page=2").content.decode()
    assert "Correction number 0." in first and "Correction number 29." in first and "Correction number 30." not in first
    assert "Correction number 30." in second and "Correction number 34." in second
    assert f'<link rel="canonical" href="{absolute_url("/corrections/?page=2")}">' in second


def test_the_rss_feed_carries_each_correction_newest_first(client, corrections):
    response = client.get("/corrections/rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    items = ElementTree.fromstring(response.content).findall("channel/item")
    assert [item.findtext("description") for item in items] == [
        "The storm's name is Ayla.",
        "The vote was 52 to 48, not 48 to 52.",
    ]
    assert items[0].findtext("title") == "Correction: Storm hits coast"
    assert items[0].findtext("link").endswith(corrections["new"].get_absolute_url())
    assert b"Secret draft fix" not in response.content and b"Embargoed" not in response.content


def test_the_atom_feed_carries_each_correction(client, corrections):
    response = client.get("/corrections/atom/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Correction: Storm hits coast",
        "Correction: Budget passes",
    ]
    assert entries[1].find(f"{ATOM}link").get("href").endswith(f"#correction-{corrections['old'].pk}")


def test_a_new_correction_appears_on_the_cached_page(client):
    article = make_article(headline="Cached story")
    assert "No corrections yet." in client.get("/corrections/").content.decode()
    services.correction_add(article=article, text="A name was misspelled.")
    assert "A name was misspelled." in client.get("/corrections/").content.decode()


def test_correction_str_and_absolute_url(corrections):
    correction = corrections["old"]
    assert str(correction) == "Correction: The vote was 52 to 48, not 48 to 52."
    assert correction.get_absolute_url() == f"{correction.article.get_absolute_url()}#correction-{correction.pk}"
