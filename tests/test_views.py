import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import RelatedLink
from tests.factories import make_article, make_author, make_rich_archive, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world):
    author = make_author(name="Dewi Lestari", slug="dewi-lestari")
    return make_article(
        headline="Rhetoric intensifies",
        kicker="Analysis",
        dek="NATO answers the Kremlin.",
        body="<p>The exchange of rhetoric intensified.</p><p>Second paragraph.</p>",
        dateline="Jakarta",
        section=world,
        authors=[author],
        tags=["NATO", "Russia"],
    )


def test_home_shows_lead_latest_and_section_blocks(client, story, world):
    older = make_article(headline="An older story", section=world, published_at=timezone.now() - timedelta(days=3))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rhetoric intensifies" in html
    assert older.headline in html
    assert 'href="/section/world/"' in html
    assert '<html lang="en">' in html
    assert 'class="skip-link" href="#main"' in html


def test_article_page_shows_everything_a_reader_needs(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Rhetoric intensifies</h1>" in html
    assert "NATO answers the Kremlin." in html
    assert 'href="/author/dewi-lestari/"' in html and "Dewi Lestari" in html
    assert f'datetime="{story.published_at.isoformat()}"'[:30] in html
    assert '<p><span class="dateline">JAKARTA —</span> The exchange of rhetoric' in html
    assert 'href="/tag/nato/"' in html
    assert "Not published" not in html


def test_article_url_with_wrong_date_redirects_to_canonical(client, story):
    response = client.get(f"/1999/01/01/{story.slug}/")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"status": "review"},
                                    {"published_at": timezone.now() + timedelta(days=1)},
                                    {"embargoed_until": timezone.now() + timedelta(days=1)}])  # fmt: skip
def test_unpublished_articles_are_404_for_readers_and_absent_from_lists(client, world, fields):
    hidden = make_article(headline="Secret draft headline", section=world, tags=["Secret"], **fields)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in ["/", "/section/world/", "/tag/secret/", "/search/?q=Secret"]:
        response = client.get(url)
        assert "Secret draft headline" not in response.content.decode(), url


def test_staff_see_drafts_with_a_banner_and_no_cache(editor_client, world):
    draft = make_article(headline="Draft for the desk", status="draft", section=world)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Not published." in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_section_tag_author_and_search_pages(client, story):
    for url, text in [
        ("/section/world/", "<h1>World</h1>"),
        ("/tag/nato/", "<h1>NATO</h1>"),
        ("/author/dewi-lestari/", "<h1>Dewi Lestari</h1>"),
        ("/search/?q=rhetoric", "Rhetoric intensifies"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
        assert story.headline in response.content.decode(), url


def test_unknown_pages_are_friendly_404s(client, db):
    for url in ["/section/nope/", "/tag/nope/", "/author/nope/", "/2020/01/01/nope/"]:
        response = client.get(url)
        assert response.status_code == 404, url


def test_pagination_without_counting(client, world):
    for i in range(25):
        make_article(headline=f"Paged story {i}", section=world)
    first = client.get("/section/world/").content.decode()
    assert 'rel="next" href="?page=2"' in first
    second = client.get("/section/world/?page=2").content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second
    headlines = re.findall(r"Paged story (\d+)<", second)
    assert headlines == [str(i) for i in range(20, 25)]  # the five oldest (the factory makes each older), newest first
    assert client.get("/section/world/?page=9").status_code == 404
    assert client.get("/section/world/?page=x").status_code == 404


def test_related_reading_shows_only_public_targets(client, story):
    live = make_article(headline="Live related story")
    draft = make_article(headline="Draft related story", status="draft")
    RelatedLink.objects.create(article=story, target=live, position=0)
    RelatedLink.objects.create(article=story, target=draft, position=1)
    RelatedLink.objects.create(article=story, url="https://example.org/report", title="External report", position=2)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Live related story" in html
    assert "External report" in html
    assert "Draft related story" not in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "ceiling"),
    [("/", 8), ("/section/{section}/", 6), ("/tag/topic-1/", 6), ("/author/{author}/", 6),
     ("/search/?q=story", 6), ("{article}", 8)],
)  # fmt: skip
def test_query_count_does_not_grow_with_the_archive(client, url, ceiling):
    counts = []
    for size in (5, 50):  # a fresh section, authors and tags each round
        section = make_section()
        articles = make_rich_archive(size, section=section)
        article = articles[-1]
        target = url.format(
            section=section.slug, author=article.byline_authors[0].slug, article=article.get_absolute_url()
        )
        counts.append(_queries(client, target))
    assert counts[0] == counts[1], f"{url}: {counts}"
    assert counts[1] <= ceiling, f"{url}: {counts[1]} queries"


def test_the_article_page_reads_no_column_it_leaves_out(client, editor_client, story, world):
    """The story's query leaves the desk's and the wire's columns out (``detail.ARTICLE_COLUMNS``): reading
    one of them on the page would cost a query of its own, for readers and for staff alike."""
    story.corrections.create(text="An earlier version misspelt a name.")
    RelatedLink.objects.create(article=story, url="https://example.org/report", title="The report", position=0)
    draft = make_article(headline="Not yet", status="draft", section=world)
    deferred_load = re.compile(
        r'^SELECT "articles_article"\."id", "articles_article"\."\w+" FROM "articles_article" WHERE'
    )
    for reader, url in ((client, story.get_absolute_url()), (editor_client, draft.get_absolute_url())):
        with CaptureQueriesContext(connection) as ctx:
            assert reader.get(url).status_code == 200
        assert not [q["sql"] for q in ctx.captured_queries if deferred_load.match(q["sql"])]
