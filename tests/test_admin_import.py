"""The admin's "Import wire copy" page: preview, import, errors in the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ImportRun
from tests.wire import TEMPO, sample

pytestmark = pytest.mark.django_db

URL = reverse("admin:articles_article_import")


def upload(*paths):
    return [SimpleUploadedFile(path.name, path.read_bytes()) for path in paths]


def test_preview_shows_the_parsed_story_and_saves_nothing(editor_client):
    response = editor_client.post(URL, {"files": upload(TEMPO), "format": "auto", "_preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: nothing has been saved yet" in html
    assert "Jakarta" in html and "Tempo" in html
    assert "The exchange of rhetoric between Russia and NATO" in html
    assert "UK, Norway Establish Joint Fleet to Track Russian Submarines" in html
    assert "<del>Click here to get the latest news updates from Tempo on Google News</del>" in html
    assert Article.objects.count() == 0

    token = response.context["form"].initial["upload"]
    assert str(token) in html and "base64" not in html
    response = editor_client.post(URL, {"upload": token, "format": "auto", "_import": "1"})
    assert response.status_code == 200
    assert "Import finished: 1 created" in response.content.decode()
    article = Article.objects.get()
    assert article.source.name == "Tempo" and article.status == "draft"
    assert ImportRun.objects.get().user.username == "editor"


def test_pasted_copy_imports(editor_client):
    text = "Port strike ends\n\nBy Ana Costa\n\nLISBON (Reuters) - Dock workers returned to work on Friday.\n"
    response = editor_client.post(URL, {"text": text, "format": "text", "_import": "1"})
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.headline == "Port strike ends"
    assert article.dateline == "Lisbon"
    assert [a.name for a in article.byline_authors] == ["Ana Costa"]


def test_errors_are_shown_in_the_page_and_good_files_still_import(editor_client):
    files = upload(TEMPO, sample("newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NM_version_10"))
    files.append(SimpleUploadedFile("empty.txt", b""))
    response = editor_client.post(URL, {"files": files, "format": "auto", "_import": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "empty.txt: file is empty" in html
    assert "package without a text item" in html
    assert Article.objects.count() == 1


def test_an_empty_form_is_refused_politely(editor_client):
    response = editor_client.post(URL, {"format": "auto", "_preview": "1"})
    assert response.status_code == 200
    assert "Choose at least one file or paste some copy." in response.content.decode()


def test_demo_content_comes_through_the_importer(db):
    call_command("load_demo", verbosity=0)
    run = ImportRun.objects.get(origin="demo")
    assert run.failed == 0 and run.created >= 13
    tempo = Article.objects.get(source__name="Tempo")
    assert tempo.is_published() and tempo.dateline == "Jakarta" and tempo.section.slug == "world"
    assert tempo.headline.startswith("NATO answers Putin") and not tempo.needs_headline
    assert tempo.related_links.get().title == "UK, Norway Establish Joint Fleet to Track Russian Submarines"
    assert Article.objects.filter(status__in=["published", "review", "draft"]).count() == run.created
    call_command("load_demo", verbosity=0)
    assert Article.objects.count() == run.created, "loading the demo twice creates nothing new"


def test_a_failed_file_can_be_rerun_after_the_rule_is_fixed(editor_client, django_capture_on_commit_callbacks):
    from articles import ingest
    from articles.models import ImportedFile

    raw = b"Budget passes\n\nOTTAWA (Reuters) - Parliament passed the budget on Friday.\n"
    run = ingest.start_run()
    [outcome] = ingest.import_file(raw, "budget.txt", run=run, format="ninjs")  # the wrong format: fails
    ingest.finish_run(run)
    assert outcome.status == "error"
    failed = ImportedFile.objects.get(result="error")
    assert bytes(failed.raw) == raw

    changelist = reverse("admin:articles_importedfile_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(changelist, {"action": "rerun", "_selected_action": [failed.pk]}, follow=True)
    assert "Re-run queued; see" in response.content.decode()
    assert ImportRun.objects.get(origin="admin re-run").created == 1
    assert Article.objects.get().headline == "Budget passes"
