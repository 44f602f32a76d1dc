import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import ParsedQuery, search
from tests.factories import make_article, make_author, make_section
from tests.queries import archive_query_counts

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="full-text search needs PostgreSQL (DATABASE_URL)")
fallback_only = pytest.mark.skipif(ON_POSTGRES, reason="the word-start regex fallback runs where PostgreSQL does not")


@pytest.fixture
def glaciers(world):
    reporter = make_author(name="Ana Reyes", slug="ana-reyes")
    in_headline = make_article(
        headline="Glacier retreat speeds up",
        dek="Alpine ice is thinning.",
        body="<p>Scientists measured the ice for ten years.</p>",
        section=world,
        authors=[reporter],
        published_at=timezone.now() - timedelta(days=3),
    )
    in_body = make_article(
        headline="Mountain towns plan for summer",
        body="<p>Tourism depends on the glacier &amp; the lakes below it.</p>",
        published_at=timezone.now() - timedelta(hours=1),
    )
    return in_headline, in_body


def titles(response) -> list[str]:
    return [article.headline for article in response.context_data["page"]]


def test_headline_matches_rank_above_body_matches(client, glaciers):
    response = client.get("/search/?q=glacier")
    assert titles(response) == ["Glacier retreat speeds up", "Mountain towns plan for summer"]


def test_snippets_highlight_the_words_and_escape_the_copy(client, glaciers):
    html = client.get("/search/?q=glacier").content.decode()
    assert "<mark>glacier</mark>" in html
    assert "&amp; the lakes" in html  # the entity stays text, never markup


@pytest.mark.parametrize(
    "fields",
    [{"status": "draft"}, {"status": "review"}, {"published_at": timezone.now() + timedelta(days=1)},
     {"embargoed_until": timezone.now() + timedelta(days=1)}],
)  # fmt: skip
def test_unpublished_stories_are_never_found(client, fields):
    make_article(headline="Glacier secret", **fields)
    response = client.get("/search/?q=glacier")
    assert "Glacier secret" not in response.content.decode()


def test_filters_by_section_author_and_dates(client, glaciers, world):
    assert titles(client.get("/search/?q=glacier&section=world")) == ["Glacier retreat speeds up"]
    assert titles(client.get("/search/?q=glacier&author=ana-reyes")) == ["Glacier retreat speeds up"]
    today = timezone.localdate()
    since_yesterday = f"/search/?q=glacier&start={today - timedelta(days=1)}&end={today}"
    assert titles(client.get(since_yesterday)) == ["Mountain towns plan for summer"]
    # Filters alone list the newest stories that match them.
    assert titles(client.get("/search/?section=world")) == ["Glacier retreat speeds up"]


def test_invalid_filters_are_reported_not_crashed_on(client, glaciers):
    response = client.get("/search/?q=glacier&section=nowhere&start=2025-02-01&end=2025-01-01")
    assert response.status_code == 400
    assert response.context_data["page"] is None
    assert 'role="alert"' in response.content.decode()


def test_web_search_syntax(client, glaciers):
    assert titles(client.get("/search/?q=glacier+-tourism")) == ["Glacier retreat speeds up"]
    assert titles(client.get('/search/?q="the+lakes+below"')) == ["Mountain towns plan for summer"]
    both = titles(client.get("/search/?q=scientists+or+tourism"))
    assert sorted(both) == ["Glacier retreat speeds up", "Mountain towns plan for summer"]


def test_query_parser_reads_web_search_syntax():
    parsed = ParsedQuery.parse('"sea ice" -arctic or glacier')
    assert [[(t.text, t.negated) for t in group] for group in parsed.groups] == [
        [("sea ice", False), ("arctic", True)],
        [("glacier", False)],
    ]
    assert ParsedQuery.parse("-only -negatives").groups == []
    assert ParsedQuery.parse('an "unbalanced quote').positive_terms == ["an", "unbalanced", "quote"]


def test_pagination_keeps_the_query_and_filters(client, world):
    for i in range(25):
        make_article(headline=f"Harbour report {i}", section=world)
    first = client.get("/search/?q=harbour&section=world").content.decode()
    assert 'rel="next" href="?q=harbour&amp;section=world&amp;page=2"' in first
    second = client.get("/search/?q=harbour&section=world&page=2")
    assert len(second.context_data["page"].object_list) == 5
    assert client.get("/search/?q=harbour&page=9").status_code == 404


def test_search_never_counts_the_archive(world, django_assert_max_num_queries):
    for i in range(3):
        make_article(headline=f"Counted story {i}", section=world)
    with django_assert_max_num_queries(2):  # the page (one row extra, no COUNT) and its bylines
        page = search(q="counted")
        assert len(page.object_list) == 3 and not page.has_next


def test_dropdowns_are_read_once_until_the_site_changes(client, glaciers, settings, monkeypatch):
    """The section and author choices are kept like cached pages: a story by a new author shows them
    at once, a scheduled one when its time comes, and in between they are not read again."""
    settings.PAGE_CACHE_SECONDS = 0  # each page is made anew: only the choices are kept

    def reads_authors():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/search/?q=glacier").status_code == 200
        return any('FROM "articles_author"' in query["sql"] for query in ctx.captured_queries)

    assert reads_authors()
    assert not reads_authors()
    assert 'value="ana-reyes"' in client.get("/search/").content.decode()

    make_article(headline="Glacier lakes", authors=[make_author(name="Bo Chen", slug="bo-chen")])
    assert 'value="bo-chen"' in client.get("/search/").content.decode()

    due = make_article(
        authors=[make_author(name="Cy Dee", slug="cy-dee")], published_at=timezone.now() + timedelta(hours=1)
    )
    assert 'value="cy-dee"' not in client.get("/search/").content.decode()
    real_time = time.time
    monkeypatch.setattr("articles.caching.time", SimpleNamespace(time=lambda: real_time() + 3601))
    Article.objects.filter(pk=due.pk).update(published_at=timezone.now() - timedelta(seconds=1))  # no signal
    assert 'value="cy-dee"' in client.get("/search/").content.decode()


def test_query_count_does_not_grow_with_the_archive(client):
    counts = archive_query_counts(client, lambda articles: "/search/?q=story")
    assert counts[0] == counts[1] and counts[1] <= 6, counts


@postgres_only
def test_stemming_and_weighted_vector_on_postgres(client, glaciers):
    assert titles(client.get("/search/?q=glaciers+retreating"))[0] == "Glacier retreat speeds up"
    vector = Article.objects.filter(headline__startswith="Glacier").values_list("search_vector", flat=True).get()
    assert "'glacier':1A" in vector and "'alpin':4B" in vector and "'scientist':8C" in vector


@postgres_only
def test_vector_is_current_after_save_update_and_import(client, tmp_path):
    article = make_article(headline="Original words")
    article.headline = "Replacement wording"
    article.save()
    assert titles(client.get("/search/?q=replacement")) == ["Replacement wording"]
    Article.objects.filter(pk=article.pk).update(headline="Bulk corrected headline")
    assert titles(client.get("/search/?q=corrected")) == ["Bulk corrected headline"]

    wire = tmp_path / "story.txt"
    wire.write_text("Volcanic ash closes airports\n\nJAKARTA (Reuters) - Volcanic ash closed two airports on Monday.\n")
    make_section(name="World", slug="world")
    call_command("import_wire", str(wire), "--publish", "--source", "Reuters", "--section", "world")
    assert "Volcanic ash closes airports" in titles(client.get("/search/?q=volcanic"))


@postgres_only
def test_only_the_newest_matches_are_ranked(client, monkeypatch):
    """A query matching more than RANKED_CANDIDATES stories finds the best of the newest ones only:
    an older story, however good a match, is left out (the date filters reach it)."""
    monkeypatch.setattr("articles.search.RANKED_CANDIDATES", 2)
    now = timezone.now()
    make_article(headline="Harbour harbour news", published_at=now - timedelta(days=3))
    make_article(headline="Quay works", body="<p>The harbour.</p>", published_at=now - timedelta(days=2))
    make_article(headline="Harbour reopens", published_at=now - timedelta(days=1))
    assert titles(client.get("/search/?q=harbour")) == ["Harbour reopens", "Quay works"]
    since = (now - timedelta(days=4)).date()
    until = (now - timedelta(days=3)).date()
    assert titles(client.get(f"/search/?q=harbour&start={since}&end={until}")) == ["Harbour harbour news"]


@postgres_only
def test_snippets_come_from_the_dek_and_the_start_of_the_story(client):
    lead = "<p>" + "Quiet news from the coast today. " * 40 + "</p>"  # longer than SNIPPET_SOURCE_CHARS
    make_article(headline="Coast report", dek="A calm week.", body=lead + "<p>Then the lighthouse fell.</p>")
    response = client.get("/search/?q=lighthouse")
    assert titles(response) == ["Coast report"]  # found by a word past the snippet's source
    snippet = response.context_data["page"].object_list[0].snippet
    assert snippet.startswith("A calm week.") and "Quiet news" in snippet and "<mark>" not in snippet


@fallback_only
def test_fallback_matches_every_word_case_insensitively(client, glaciers):
    assert titles(client.get("/search/?q=GLACIER+ice")) == ["Glacier retreat speeds up"]
    assert titles(client.get("/search/?q=glaciers+retreating")) == []  # no stemming without PostgreSQL
    assert titles(client.get("/search/?q=lacier")) == []  # words match from their start, not inside
    assert titles(client.get("/search/?q=retr")) == ["Glacier retreat speeds up"]


@postgres_only
def test_a_text_match_is_priced_as_reading_a_vector():
    """Migration 0022: PostgreSQL prices ``@@`` as reading a story's vector, so a word missing from its
    statistics is read through the text index rather than by testing every story newest first (at a
    million stories that took seconds; the plan changes only at a scale the bench measures)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT procost FROM pg_proc WHERE oid = 'pg_catalog.ts_match_vq(tsvector, tsquery)'::regprocedure"
        )
        assert cursor.fetchone()[0] == 300
