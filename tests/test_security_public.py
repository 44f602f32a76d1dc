"""The public surface: names in any script, hostile query parameters, and names tied only to unpublished stories."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from lxml import etree
from taggit.models import Tag

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def reader():
    """A client that answers a server error with a 500, as a reader would see it, instead of raising."""
    return Client(raise_request_exception=False)


def sitemap_locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [loc.text for loc in etree.fromstring(response.content).iter(f"{SM}loc")]


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


# 1. Names in any script ------------------------------------------------------------------------------------

#: Tag names and the slug taggit makes of each (Unicode kept; nothing left of an emoji).
TAG_NAMES = {
    "Zürich": "zürich",
    "Konst, kultur och nöje": "konst-kultur-och-nöje",
    "Αθήνα": "αθήνα",
    "東京": "東京",
    "北京新闻": "北京新闻",
    "القاهرة": "القاهرة",
    "Москва": "москва",
}


@pytest.mark.parametrize(("name", "slug"), TAG_NAMES.items())
def test_a_tag_in_any_script_has_working_encoded_links_everywhere(reader, name, slug):
    article = make_article(headline="Tagged story", tags=[name])
    assert Tag.objects.get(name=name).slug == slug
    path = iri_to_uri(f"/tag/{slug}/")
    assert path.isascii() and "%" in path

    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<a href="{path}" rel="tag">{name}</a>' in html
    assert name in json_ld(html)["keywords"]

    tag_page = reader.get(path)
    assert tag_page.status_code == 200 and "Tagged story" in tag_page.content.decode()
    assert f'<link rel="canonical" href="{SITE}{path}">' in tag_page.content.decode()
    for kind in ("rss", "atom"):
        feed = reader.get(f"{path}{kind}/")
        assert feed.status_code == 200
        assert f"{SITE}{path}" in feed.content.decode()

    detail = reader.get(f"/api/ninjs/{article.pk}/")
    assert detail.status_code == 200
    assert {"name": name, "rel": "about", "uri": f"{SITE}{path}"} in detail.json()["subjects"]
    listing = reader.get("/api/ninjs/", {"tag": slug})
    assert listing.status_code == 200 and len(listing.json()["items"]) == 1

    assert f"{SITE}{path}" in sitemap_locations(reader, "/sitemap-tags.xml")


@pytest.mark.parametrize("name", ["🎉", "!!!"])
def test_a_tag_without_a_slug_is_shown_unlinked_and_breaks_nothing(reader, name):
    """taggit finds no slug in an emoji or punctuation: no address can name the tag."""
    article = make_article(headline="Party story", tags=[name])
    assert Tag.objects.get(name=name).slug == ""
    html = reader.get(article.get_absolute_url()).content.decode()
    assert f"<li>{name}</li>" in html
    assert {"name": name, "rel": "about"} in reader.get(f"/api/ninjs/{article.pk}/").json()["subjects"]
    assert reader.get("/api/ninjs/").status_code == 200
    assert sitemap_locations(reader, "/sitemap-tags.xml") == []


def test_sections_and_authors_with_unicode_slugs(reader):
    """Their slugs are ASCII when the desk makes them, but one set by hand in any script works as well."""
    section = make_section(name="Κόσμος", slug="κόσμος")
    author = make_author(name="Ελένη Παπαδοπούλου", slug="ελένη-παπαδοπούλου")
    article = make_article(headline="Greek story", section=section, authors=[author])
    section_path, author_path = iri_to_uri("/section/κόσμος/"), iri_to_uri("/author/ελένη-παπαδοπούλου/")
    assert section.get_absolute_url() == section_path and author.get_absolute_url() == author_path

    html = reader.get(article.get_absolute_url()).content.decode()
    assert f'href="{section_path}"' in html and f'href="{author_path}"' in html
    data = json_ld(html)
    assert data["author"] == [{"@type": "Person", "name": author.name, "url": f"{SITE}{author_path}"}]
    for path in (section_path, author_path):
        assert reader.get(path).status_code == 200
        for kind in ("rss", "atom"):
            assert reader.get(f"{path}{kind}/").status_code == 200
    assert f"{SITE}{section_path}" in sitemap_locations(reader, "/sitemap-sections.xml")
    assert f"{SITE}{author_path}" in sitemap_locations(reader, "/sitemap-authors.xml")
    assert reader.get("/api/ninjs/", {"section": "κόσμος", "author": "ελένη-παπαδοπούλου"}).json()["items"]
    assert reader.get("/search/", {"section": "κόσμος"}).status_code == 200


# 2. Query parameters and paths that used to answer 500 ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search/?end=9999-12-31", 400),
        ("/search/?start=0001-01-01", 400),
        ("/search/?q=climate&page=999999999999999999999", 404),
        ("/search/?q=climate%00", 400),
        ("/section/world/?page=99999999999999999999", 404),
        ("/tag/nato/?page=99999999999999999999", 404),
        ("/section/world/?page=%EF%BC%92", 404),  # a full-width digit, which int() would take
        ("/api/ninjs/?page=99999999999999999999", 404),
        ("/api/ninjs/?section=%00", 400),
        ("/api/ninjs/?tag=%00", 400),
        ("/api/ninjs/?author=a%00b", 400),
        ("/api/ninjs/?since=9999-12-31", 400),
        ("/api/ninjs/?since=9999-12-31T23:59:59-12:00", 400),
        ("/api/ninjs/?since=0001-01-01T00:00:00%2B12:00", 400),
        ("/api/ninjs/?since=2025-01-01T00:00:00%2B00:34:05.5", 200),  # Python reads this offset, PostgreSQL did not
        ("/api/ninjs/99999999999999999999/", 404),
        ("/sitemap-articles-9999-12.xml", 404),
        ("/sitemap-articles-0001-01.xml", 404),
        ("/sitemap-tags.xml?p=99999999999999999999", 404),
    ],
)
def test_hostile_parameters_answer_cleanly(reader, world, url, status):
    make_article(headline="Climate story", section=world, tags=["NATO"])
    assert reader.get(url).status_code == status


def test_bounds_still_let_every_real_page_through(reader, world):
    make_article(headline="Climate story", section=world)
    assert reader.get("/search/?q=climate&start=2000-01-01&end=2100-12-31").status_code == 200
    assert reader.get("/api/ninjs/?since=2000-01-01T00:00:00%2B14:00").status_code == 200
    assert reader.get("/section/world/?page=1").status_code == 200
    assert reader.get("/sitemap-articles-2000-01.xml").status_code == 200


# 3. Names tied only to unpublished stories ------------------------------------------------------------------

UNPUBLISHED = [
    {"status": "draft"},
    {"status": "review"},
    {"published_at": timezone.now() + timedelta(days=1)},
    {"embargoed_until": timezone.now() + timedelta(days=1)},
]


@pytest.fixture
def hidden_names(world):
    """A public story in World by a public author, and a section, tag and author known only to one hidden story."""
    make_article(headline="Public story", section=world, authors=[make_author(name="Open Byline", slug="open")])
    return make_section(name="Secret Desk", slug="secret-desk"), make_author(name="Hidden Byline", slug="hidden")


@pytest.mark.parametrize("fields", UNPUBLISHED)
def test_names_tied_only_to_unpublished_stories_are_not_public(reader, hidden_names, fields):
    section, author = hidden_names
    make_article(headline="Hidden story", section=section, authors=[author], tags=["Covert Topic"], **fields)
    for path in ("/section/secret-desk/", "/author/hidden/", "/tag/covert-topic/"):
        assert reader.get(path).status_code == 404, path
        for kind in ("rss", "atom"):
            assert reader.get(f"{path}{kind}/").status_code == 404, path

    search = reader.get("/search/").content.decode()
    home = reader.get("/").content.decode()
    for html in (search, home):
        assert "Secret Desk" not in html and "Hidden Byline" not in html
    assert "Open Byline" in search and "World" in search and "World" in home
    assert reader.get("/search/?author=hidden").status_code == 400  # not a choice a reader has

    published = (
        sitemap_locations(reader, "/sitemap-sections.xml")
        + sitemap_locations(reader, "/sitemap-tags.xml")
        + sitemap_locations(reader, "/sitemap-authors.xml")
    )
    assert published == [f"{SITE}/section/world/", f"{SITE}/author/open/"]
    assert reader.get("/api/ninjs/", {"author": "hidden"}).json()["items"] == []


def test_a_name_becomes_public_with_its_first_public_story(reader, hidden_names):
    section, author = hidden_names
    draft = make_article(
        headline="Hidden story", section=section, authors=[author], tags=["Covert Topic"], status="draft"
    )
    assert reader.get("/author/hidden/").status_code == 404
    draft.status = "published"
    draft.save()
    for path in ("/section/secret-desk/", "/author/hidden/", "/tag/covert-topic/", "/author/hidden/rss/"):
        assert reader.get(path).status_code == 200, path
    assert "Hidden Byline" in reader.get("/search/").content.decode()
    assert "Secret Desk" in reader.get("/").content.decode()  # in the navigation
