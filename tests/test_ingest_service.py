"""The import service's rules: identity, updates, related links, near-duplicates, atomicity."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles import ingest
from articles.ingest import duplicates, service
from articles.models import Article, Author, ImportedFile
from articles.tagging import TagVocabulary
from articles.wire import Block, RelatedReading, WireStory
from tests.factories import make_article
from tests.wire import TEMPO

pytestmark = pytest.mark.django_db


def ninjs(version: int, body: str, headline: str = "Harbour bridge reopens after repairs") -> bytes:
    return json.dumps(
        {
            "uri": "urn:newsml:example.org:2026:bridge",
            "version": str(version),
            "type": "text",
            "headline": headline,
            "byline": "Ana Costa",
            "body_html": f"<p>LISBON (Reuters) - {body}</p><p>Traffic resumed at noon.</p>",
        }
    ).encode()


def import_bytes(raw: bytes, name: str = "story.json", **options):
    run = ingest.start_run()
    outcomes = ingest.import_file(raw, name, run=run, **options)
    ingest.finish_run(run)
    return outcomes


def test_newer_version_updates_an_untouched_draft():
    [first] = import_bytes(ninjs(1, "The bridge reopened."))
    assert first.status == "created"
    [again] = import_bytes(ninjs(1, "The bridge reopened."))
    assert again.status == "duplicate"
    [update] = import_bytes(ninjs(2, "The bridge reopened on Tuesday."))
    assert update.status == "updated"
    article = Article.objects.get()
    assert "on Tuesday" in article.body
    assert article.dateline == "Lisbon"
    assert [a.name for a in article.byline_authors] == ["Ana Costa"]
    assert not article.wire_update_available


def test_newer_version_never_overwrites_an_editors_text():
    import_bytes(ninjs(1, "The bridge reopened."))
    article = Article.objects.get()
    article.headline = "Editor's better headline"
    article.edited_since_import = True
    article.save()
    [update] = import_bytes(ninjs(2, "The bridge reopened on Tuesday."))
    assert update.status == "waiting"
    article.refresh_from_db()
    assert article.headline == "Editor's better headline"
    assert "on Tuesday" not in article.body
    assert article.wire_update_available


def test_related_link_resolves_when_its_article_arrives_later():
    story = WireStory(
        format="text",
        headline="Second story",
        blocks=[Block("p", "Body.")],
        related=[RelatedReading("Harbour bridge reopens after repairs")],
    )
    [(article, status)] = ingest.save_stories([story])
    assert status == "created" and article.related_links.get().target is None
    import_bytes(ninjs(1, "The bridge reopened."))
    link = article.related_links.get()
    assert link.target == Article.objects.get(headline="Harbour bridge reopens after repairs")


def test_related_link_resolves_at_once_when_the_article_exists():
    existing = make_article(headline="UK, Norway Establish Joint Fleet to Track Russian Submarines")
    import_bytes(TEMPO.read_bytes(), "tempo.txt")
    tempo = Article.objects.get(source__name="Tempo")
    assert tempo.related_links.get().target == existing


def test_same_event_from_two_agencies_is_linked_not_merged():
    lead = "Rescue teams pulled twelve miners alive from a flooded coal pit in the north of the country on Monday"
    for agency, dateline in [("AFP", "BEIJING, March 31 (AFP) - "), ("Reuters", "BEIJING, March 31 (Reuters) - ")]:
        raw = f"Twelve miners rescued alive from flooded pit\n\n{dateline}{lead}.\n\nMore follows.\n".encode()
        import_bytes(raw, f"{agency}.txt")
    afp, reuters = Article.objects.get(source__name="AFP"), Article.objects.get(source__name="Reuters")
    assert list(afp.also_reported_by.all()) == [reuters]
    assert list(reuters.also_reported_by.all()) == [afp]


def test_unrelated_stories_are_not_linked():
    import_bytes(b"Miners rescued\n\nBEIJING, March 31 (AFP) - Twelve miners were rescued.\n", "a.txt")
    import_bytes(b"Budget passes\n\nOTTAWA, March 31 (Reuters) - Parliament passed the budget.\n", "b.txt")
    assert not Article.objects.filter(also_reported_by__isnull=False).exists()


def test_existing_tags_found_in_the_text_are_suggested():
    make_article(tags=["NATO", "Ukraine", "Brazil"])
    import_bytes(TEMPO.read_bytes(), "tempo.txt")
    tempo = Article.objects.get(source__name="Tempo")
    assert sorted(tempo.tags.names()) == ["NATO", "Ukraine"]


def test_a_story_that_fails_half_way_leaves_nothing_behind(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "_add_related", explode)
    [outcome] = import_bytes(TEMPO.read_bytes(), "tempo.txt")
    assert outcome.status == "error"
    assert "tempo.txt" in outcome.error and "disk on fire" in outcome.error
    assert Article.objects.count() == 0
    assert ImportedFile.objects.get().result == "error"


def test_json_record_has_every_documented_key():
    [outcome] = import_bytes(TEMPO.read_bytes(), "tempo.txt")
    keys = set(outcome.as_json())
    assert {"file", "format", "status", "headline", "headline_derived", "dateline", "source", "source_id",
            "bylines", "paragraphs", "related", "removed", "warnings", "error"} <= keys  # fmt: skip


def test_tag_vocabulary_finds_whole_names_of_one_or_more_words():
    vocabulary = TagVocabulary((name, pk) for pk, name in enumerate(["NATO", "Federal Reserve", "Ukraine", "Rail"]))
    text = "The federal reserve met NATO officials; railway strikes in Ukraine's east."
    assert sorted(name for name, _ in vocabulary.find(text)) == ["Federal Reserve", "NATO", "Ukraine"]


def story_with(headline: str, bylines: list[str], keywords: list[str]) -> WireStory:
    return WireStory(
        format="text",
        headline=headline,
        blocks=[Block("p", f"{headline}: the first paragraph."), Block("p", "The second paragraph.")],
        bylines=bylines,
        keywords=keywords,
        source="Reuters",
        source_id=headline.lower().replace(" ", "-"),
    )


def test_a_story_costs_the_same_queries_however_many_known_authors_and_tags_it_names(django_assert_max_num_queries):
    keywords = [f"topic {i}" for i in range(8)]
    Tag.objects.bulk_create(Tag(name=keyword, slug=keyword.replace(" ", "-")) for keyword in keywords)
    batch = ingest.ImportBatch()
    names = [f"Writer {i}" for i in range(6)]
    ingest.save_stories([story_with("Warm-up story", names, keywords)], batch=batch)
    # Four of them read back the bylines, tags, links and corrections its first revision keeps, one writes them.
    with django_assert_max_num_queries(14):
        [(article, status)] = ingest.save_stories([story_with("Second story", names, keywords)], batch=batch)
    assert status == "created"
    assert [a.name for a in article.byline_authors] == names
    assert sorted(article.tags.names()) == sorted(keywords)
    assert article.wire_keywords == keywords


def test_a_rolled_back_story_takes_its_new_author_out_of_the_batch(monkeypatch):
    batch = ingest.ImportBatch()
    raw = json.loads(ninjs(1, "Dock workers went back to work."))
    raw = json.dumps(raw | {"byline": "Nadia Quinn", "keywords": ["Dockers"]}).encode()
    monkeypatch.setattr(service, "link_near_duplicates", lambda *args, **kwargs: 1 / 0)
    [failed] = ingest.import_file(raw, "first.json", batch=batch)
    assert failed.status == "error"
    assert not Author.objects.filter(name="Nadia Quinn").exists()
    assert not Tag.objects.filter(name="Dockers").exists()

    monkeypatch.undo()
    [imported] = ingest.import_file(raw, "again.json", batch=batch)
    assert imported.status == "created"
    assert [a.name for a in imported.article.byline_authors] == ["Nadia Quinn"]
    assert imported.article.wire_keywords == ["Dockers"]
    assert not Tag.objects.exists()  # keywords are wire metadata, not new tags


def text_story(headline: str, agency: str, lead: str, extra: str = "") -> tuple[str, bytes]:
    return f"{agency}-{headline}.txt", f"{headline}\n\nBEIJING, March 31 ({agency}) - {lead}.\n\n{extra}\n".encode()


def test_a_lot_that_fails_is_saved_story_by_story_and_only_the_bad_story_is_lost(monkeypatch):
    real_validate = service._validate

    def refuse_one(article):
        if article.headline == "Bad story":
            raise ValueError("refused by the model")
        real_validate(article)

    monkeypatch.setattr(service, "_validate", refuse_one)
    files = [text_story(f"Good story {i}", "AFP", f"Lead number {i}") for i in range(3)]
    files.insert(1, text_story("Bad story", "AFP", "This one is refused"))
    run = ingest.start_run()
    outcomes = list(ingest.import_files(files, run=run))
    ingest.finish_run(run)
    assert [o.status for o in outcomes] == ["created", "error", "created", "created"]
    assert outcomes[1].error.startswith("AFP-Bad story.txt: could not save story: refused by the model")
    assert sorted(Article.objects.values_list("headline", flat=True)) == [f"Good story {i}" for i in range(3)]
    assert (run.created, run.failed) == (3, 1)
    assert ImportedFile.objects.filter(result="error").get().raw == files[1][1]


def test_a_later_version_in_the_same_lot_updates_the_article_its_first_version_made():
    outcomes = list(
        ingest.import_files([("v1.json", ninjs(1, "The bridge reopened.")), ("v2.json", ninjs(2, "Reopened at noon."))])
    )
    assert [o.status for o in outcomes] == ["created", "updated"]
    assert outcomes[0].article.pk == outcomes[1].article.pk
    assert "Reopened at noon" in Article.objects.get().body


def test_stories_in_one_lot_find_each_other_as_related_reading_and_near_duplicates():
    lead = "Rescue teams pulled twelve miners alive from a flooded coal pit in the north of the country on Monday"
    files = [
        text_story("Twelve miners rescued alive from flooded pit", "AFP", lead, "Read: Rescue crews praised"),
        text_story("Twelve miners rescued alive from flooded pit", "Reuters", lead),
        text_story("Rescue crews praised", "Reuters", "The mayor thanked the crews"),
    ]
    outcomes = list(ingest.import_files(files))
    afp, reuters, praised = (outcome.article for outcome in outcomes)
    assert list(afp.also_reported_by.all()) == [reuters]
    assert afp.related_links.get().target == praised


def test_importing_more_stories_takes_no_more_queries():
    def queries_for(n: int, prefix: str) -> int:
        stories = [story_with(f"{prefix} story {i}", ["Ana Costa", "Ben Weber"], ["Harbour"]) for i in range(n)]
        batch = ingest.ImportBatch()
        ingest.save_stories(stories[:1], batch=batch)  # authors and tags now known to the batch
        with CaptureQueriesContext(connection) as ctx:
            ingest.save_stories(stories[1:], batch=batch)
        return len(ctx.captured_queries)

    # 20, not more: SQLite takes about 24 articles' columns per INSERT.
    assert queries_for(5, "Few") == queries_for(20, "Many")


def test_words_in_many_recent_headlines_do_not_make_two_stories_alike():
    headlines = [{"the", "minister", f"topic{i}"} for i in range(200)] + [{"the", "flood", "dam"}]
    assert duplicates._common_words(headlines) == {"the", "minister"}
    assert duplicates._common_words(headlines[:10]) == set()  # too few headlines to tell


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two importers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_author_another_importer_creates_at_the_same_moment_is_taken_not_a_failure():
    import threading

    from django.db import connections, transaction

    started, release = threading.Event(), threading.Event()

    def other_importer():
        try:
            with transaction.atomic():
                Author.objects.create(name="Kemal Xu", slug="kemal-xu")
                started.set()
                release.wait(5)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_importer)
    thread.start()
    started.wait(5)
    threading.Timer(0.5, release.set).start()  # the other commits while this import waits on its slug
    story = json.loads(ninjs(1, "The bridge reopened."))
    [outcome] = ingest.import_file(json.dumps(story | {"byline": "Kemal Xu"}).encode(), "story.json")
    thread.join()
    assert outcome.status == "created", outcome.error
    assert [a.name for a in outcome.article.byline_authors] == ["Kemal Xu"]
    assert Author.objects.filter(name="Kemal Xu").count() == 1
