from datetime import timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import make_article, make_author, make_section
from tests.queries import archive_query_counts

pytestmark = pytest.mark.django_db

# The smallest valid GIF: enough for an image field and an enclosure length.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

SCOPES = ["/feeds/{kind}/", "/section/world/{kind}/", "/tag/nato/{kind}/", "/author/dewi-lestari/{kind}/"]


@pytest.fixture
def story():
    world = make_section(name="World", slug="world")
    dewi = make_author(name="Dewi Lestari", slug="dewi-lestari")
    kenji = make_author(name="Kenji Sato", slug="kenji-sato")
    article = make_article(
        headline="NATO answers <Putin>",
        dek="The alliance says it is ready.",
        body='<p>The exchange of rhetoric intensified.</p><p><a href="https://example.org">Source</a></p>',
        section=world,
        authors=[dewi, kenji],
        tags=["NATO", "Russia"],
        image=SimpleUploadedFile("summit.gif", GIF, content_type="image/gif"),
    )
    for fields in [{"status": "draft"}, {"published_at": timezone.now() + timedelta(hours=2)},
                   {"embargoed_until": timezone.now() + timedelta(hours=2)}]:  # fmt: skip
        make_article(headline=f"Hidden {fields}", section=world, authors=[dewi], tags=["NATO"], **fields)
    return article


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("scope", SCOPES)
def test_every_feed_parses_and_lists_only_published_stories(client, story, scope, kind):
    response, feed = parse(client, scope.format(kind=kind))
    assert response["Content-Type"].startswith(f"application/{kind}+xml")
    assert [entry.title for entry in feed.entries] == ["NATO answers <Putin>"]
    entry = feed.entries[0]
    assert entry.link == f"http://127.0.0.1:8000{story.get_absolute_url()}"
    assert [author.name for author in entry.authors] == ["Dewi Lestari", "Kenji Sato"]
    assert {tag.term for tag in entry.tags} == {"NATO", "Russia"}
    assert entry.summary == "The alliance says it is ready."
    assert "<p>The exchange of rhetoric intensified.</p>" in entry.content[0].value
    assert entry.published_parsed[:5] == story.published_at.utctimetuple()[:5]
    assert entry.updated_parsed is not None
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href == f"http://127.0.0.1:8000{story.image.url}"
    assert enclosure.type == "image/gif" and enclosure.length == str(len(GIF))


def test_atom_authors_link_their_pages(client, story):
    _, feed = parse(client, "/feeds/atom/")
    assert feed.entries[0].authors[0].href == "http://127.0.0.1:8000/author/dewi-lestari/"
    assert feed.feed.subtitle == "The latest news from Newsroom."


def test_unknown_scopes_are_404(client, db):
    for url in ["/section/nope/rss/", "/tag/nope/atom/", "/author/nope/rss/"]:
        assert client.get(url).status_code == 404, url


def test_pages_link_their_feeds(client, story):
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Newsroom (RSS)" href="/feeds/rss/">' in home
    assert '<link rel="alternate" type="application/atom+xml" title="Newsroom (Atom)" href="/feeds/atom/">' in home
    pages = [
        ("/section/world/", "/section/world/rss/"),
        ("/tag/nato/", "/tag/nato/atom/"),
        ("/author/dewi-lestari/", "/author/dewi-lestari/rss/"),
        (story.get_absolute_url(), "/section/world/rss/"),
    ]
    for page, feed in pages:
        html = client.get(page).content.decode()
        assert f'<link rel="alternate" type="application/{feed.split("/")[-2]}+xml"' in html, page
        assert f'href="{feed}"' in html, page
        assert 'href="/feeds/rss/"' in html, page


def test_feeds_answer_conditional_requests(client, story):
    first = client.get("/feeds/rss/")
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/feeds/atom/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("scope", ["/feeds/{kind}/", "/section/{section}/{kind}/", "/tag/topic-1/{kind}/",
                                   "/author/{author}/{kind}/"])  # fmt: skip
def test_feed_query_count_does_not_grow_with_the_archive(client, scope, kind):
    def url(articles):
        article = articles[-1]
        return scope.format(kind=kind, section=article.section.slug, author=article.byline_authors[0].slug)

    counts = archive_query_counts(client, url)
    assert counts[0] == counts[1] and counts[1] <= 5, counts
