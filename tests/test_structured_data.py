import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html

from tests.factories import make_article, make_author, make_section
from tests.test_feeds import GIF

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def story():
    world = make_section(name="World", slug="world", description="News from everywhere.")
    dewi = make_author(name="Dewi Lestari", slug="dewi-lestari", bio="Jakarta correspondent since 2019.")
    return make_article(
        headline="NATO answers </script><script>alert(1)</script>",
        dek="The alliance says it is ready to defend its people.",
        body="<p>The exchange of rhetoric intensified.</p>",
        dateline="Jakarta",
        section=world,
        authors=[dewi],
        tags=["NATO", "Russia"],
        image=SimpleUploadedFile("summit.gif", GIF, content_type="image/gif"),
        image_alt="Leaders at the summit table",
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), lxml_html.fromstring(response.content)


def meta(tree, key: str) -> list[str]:
    return tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')


def test_article_json_ld_is_a_complete_news_article(client, story):
    source, tree = page(client, story.get_absolute_url())
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', source, re.S)
    assert len(scripts) == 1
    assert "</script><script>" not in scripts[0]  # "<" is escaped, the headline cannot end the element
    data = json.loads(scripts[0])
    url = f"{SITE}{story.get_absolute_url()}"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == story.dek
    assert data["datePublished"] == story.published_at.isoformat()
    assert data["dateModified"] == story.updated_at.isoformat()
    assert data["author"] == [{"@type": "Person", "name": "Dewi Lestari", "url": f"{SITE}/author/dewi-lestari/"}]
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "Newsroom"
    assert data["publisher"]["logo"] == {"@type": "ImageObject", "url": f"{SITE}/static/img/logo.png"}
    assert data["image"] == [f"{SITE}{story.image.url}"]
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["NATO", "Russia"]
    assert data["contentLocation"] == {"@type": "Place", "name": "Jakarta"}
    assert data["isAccessibleForFree"] is True
    assert data["mainEntityOfPage"]["@id"] == url


def test_article_sharing_tags(client, story):
    _, tree = page(client, story.get_absolute_url())
    url = f"{SITE}{story.get_absolute_url()}"
    assert tree.xpath('//link[@rel="canonical"]/@href') == [url]
    assert tree.xpath('//meta[@name="description"]/@content') == [story.dek]
    assert meta(tree, "og:type") == ["article"]
    assert meta(tree, "og:title") == [story.headline]
    assert meta(tree, "og:description") == [story.dek]
    assert meta(tree, "og:url") == [url]
    assert meta(tree, "og:image") == [f"{SITE}{story.image.url}"]
    assert meta(tree, "og:image:alt") == ["Leaders at the summit table"]
    assert meta(tree, "article:section") == ["World"]
    assert meta(tree, "article:tag") == ["NATO", "Russia"]
    assert meta(tree, "article:author") == [f"{SITE}/author/dewi-lestari/"]
    assert meta(tree, "twitter:card") == ["summary_large_image"]
    assert meta(tree, "twitter:title") == [story.headline]


def test_article_without_picture_shares_the_logo_as_a_small_card(client, story):
    plain = make_article(headline="No picture", dek="Words only.")
    _, tree = page(client, plain.get_absolute_url())
    assert meta(tree, "og:image") == [f"{SITE}/static/img/logo.png"]
    assert meta(tree, "twitter:card") == ["summary"]
    assert finders.find("img/logo.png")


@pytest.mark.parametrize(
    ("url", "title", "description"),
    [("/section/world/", "World · Newsroom", "News from everywhere."),
     ("/tag/nato/", "NATO · Newsroom", "Stories tagged NATO on Newsroom."),
     ("/author/dewi-lestari/", "Dewi Lestari · Newsroom", "Jakarta correspondent since 2019.")],
)  # fmt: skip
def test_listing_pages_have_their_own_title_description_and_canonical(client, story, url, title, description):
    _, tree = page(client, url)
    assert tree.findtext(".//title") == title
    assert tree.xpath('//meta[@name="description"]/@content') == [description]
    assert tree.xpath('//link[@rel="canonical"]/@href') == [f"{SITE}{url}"]
    assert meta(tree, "og:url") == [f"{SITE}{url}"] and meta(tree, "og:description") == [description]
    for _ in range(20):  # page 2 is its own canonical page
        make_article(headline="Filler", section=story.section, authors=story.byline_authors, tags=["NATO"])
    _, tree = page(client, f"{url}?page=2")
    assert tree.xpath('//link[@rel="canonical"]/@href') == [f"{SITE}{url}?page=2"]
