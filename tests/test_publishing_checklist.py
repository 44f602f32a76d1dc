"""The publishing checklist: one rule (``policy.publish_blockers``) held by the form, the action and the importer."""

import pytest

from articles import ingest, policy
from articles.models import Article
from tests.factories import make_article, make_author, make_ready_article, make_section
from tests.test_admin import CHANGELIST, inline_management
from tests.test_workflow import change_form, change_url
from tests.wire import TEMPO, sample

pytestmark = pytest.mark.django_db

AAP = sample("nitf/aap.xml")


def test_each_missing_item_is_listed_and_a_kill_trumps_them():
    bare = make_article(status="draft", needs_headline=True)
    assert policy.publish_blockers(bare) == [
        "the headline was derived from the first sentence; write a real one",
        "no section",
        "no byline or credit",
    ]
    assert policy.publish_blockers(make_article(status="draft", headline=" "))[0] == "no headline"
    killed = make_ready_article(status="draft", wire_canceled=True)
    assert [b[:26] for b in policy.publish_blockers(killed)] == ["The agency killed this sto"]


def test_a_byline_or_a_credit_will_do():
    with_byline = make_article(status="draft", section=make_section(), authors=[make_author()])
    assert policy.publish_blockers(with_byline) == []
    assert policy.publish_blockers(make_ready_article(status="draft")) == []
    unsaved = Article(headline="Typed", section=make_section())
    assert policy.publish_blockers(unsaved) == ["no byline or credit"]
    assert policy.publish_blockers(unsaved, bylines=[make_author()]) == []


def test_the_form_refuses_an_incomplete_story_and_keeps_the_input(editor_client):
    draft = make_article(status="draft")
    data = change_form(draft, status="published", dek="A dek typed by the editor")
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not ready to publish: no section; no byline or credit." in html
    assert "A dek typed by the editor" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_form_counts_a_byline_added_in_the_same_save(editor_client):
    draft = make_article(status="draft")
    author = make_author()
    data = change_form(draft, status="published", section=make_section().pk)
    data |= inline_management("authorships", 1) | {"authorships-0-author": author.pk, "authorships-0-position": 0}
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published() and draft.byline_authors == [author]


def test_the_publish_action_says_what_is_missing(editor_client):
    draft = make_article(status="draft", headline="Half done")
    ready = make_ready_article(status="draft")
    response = editor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk, ready.pk]}, follow=True
    )
    assert "Not published: “Half done”: no section; no byline or credit" in response.content.decode()
    draft.refresh_from_db()
    ready.refresh_from_db()
    assert draft.status == "draft" and ready.is_published()


def test_rewriting_a_derived_headline_clears_the_flag(editor_client):
    draft = make_ready_article(status="draft", needs_headline=True)
    untouched = change_form(draft, needs_headline="on")
    assert editor_client.post(change_url(draft), untouched).status_code == 302
    draft.refresh_from_db()
    assert draft.needs_headline
    rewritten = change_form(draft, headline="A real headline", needs_headline="on", status="published")
    assert editor_client.post(change_url(draft), rewritten).status_code == 302
    draft.refresh_from_db()
    assert not draft.needs_headline and draft.is_published()


def test_the_change_form_shows_the_checklist_at_the_top(editor_client):
    draft = make_article(status="draft")
    html = editor_client.get(change_url(draft)).content.decode()
    assert "Ready to publish?" in html and "no section; no byline or credit" in html
    assert html.index("Ready to publish?") < html.index('name="headline"')
    assert "Yes" in editor_client.get(change_url(make_ready_article(status="draft"))).content.decode()


def test_the_importer_publishes_only_what_passes_and_says_why_not():
    [derived] = ingest.import_file(TEMPO.read_bytes(), "tempo.txt", publish=True, section=make_section())
    assert derived.status == "created" and derived.article.status == "draft"
    assert derived.warnings[-1] == (
        "left as a draft, not published: the headline was derived from the first sentence; write a real one"
    )
    [ready] = ingest.import_file(AAP.read_bytes(), "aap.xml", publish=True, section=make_section())
    assert ready.article.is_published() and not any("not published" in w for w in ready.warnings)


def test_a_story_without_a_section_stays_a_draft_even_on_a_dry_run():
    [outcome] = ingest.import_file(AAP.read_bytes(), "aap.xml", publish=True, dry_run=True)
    assert outcome.warnings[-1] == "left as a draft, not published: no section"
    [outcome] = ingest.import_file(AAP.read_bytes(), "aap.xml", publish=True)
    assert outcome.article.status == "draft" and outcome.warnings[-1].endswith("no section")


def test_a_channel_publishing_on_arrival_leaves_an_incomplete_story_a_draft_and_logs_why(tmp_path, settings):
    from articles.models import Channel, ImportedFile
    from tests.test_ingest_channels import ingest_once

    settings.INGEST_SETTLE_SECONDS = 0.05
    Channel.objects.create(
        name="Drop", kind=Channel.Kind.FOLDER, location=str(tmp_path), publish_on_arrival=True, section=make_section()
    )
    (tmp_path / "tempo.txt").write_bytes(TEMPO.read_bytes())
    (tmp_path / "aap.xml").write_bytes(AAP.read_bytes())
    ingest_once()
    assert Article.objects.get(source__name="AAP").is_published()
    assert Article.objects.get(source__name="Tempo").status == "draft"
    assert "not published: the headline was derived" in ImportedFile.objects.get(filename="tempo.txt").warnings
