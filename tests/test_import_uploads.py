"""Uploads on the admin's import page, the failed files' originals, the read-only import log, folder skips."""

import random
import shutil
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles import ingest
from articles.ingest import channels
from articles.models import Article, Channel, ImportedFile, ImportRun, PendingUpload
from articles.wire.registry import looks_like_wire_copy
from tests.factories import make_user
from tests.test_import_command import run_import
from tests.wire import TEMPO

pytestmark = pytest.mark.django_db

URL = reverse("admin:articles_article_import")


WORDS = (
    "harbour budget council river school market bridge election harvest festival court museum railway hospital "
    "airport factory library stadium orchestra vineyard glacier volcano satellite pipeline mine ferry tunnel "
    "parliament reservoir forest"
).split()


def story(n: int, paragraphs: int = 1) -> bytes:
    """A plain-text story whose words differ from every other ``n`` (so none is taken for a resend)."""
    words = random.Random(n).sample(WORDS, 12)
    body = "\n\n".join(f"Paragraph {i}: the {', the '.join(words)} closed on Friday." for i in range(paragraphs))
    return f"{words[0].title()} {n} news\n\nLISBON (Reuters) - The {words[1]} story {n}.\n\n{body}\n".encode()


def stories(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"story-{n}.txt", story(n)) for n in range(count)]


def failed_file(raw: bytes, filename: str = "broken.txt") -> ImportedFile:
    run = ingest.start_run()
    [outcome] = ingest.import_file(raw, filename, run=run, format="ninjs")  # the wrong format: it fails
    ingest.finish_run(run)
    assert outcome.status == "error"
    return ImportedFile.objects.get(result="error", filename=filename)


def test_a_2_mb_file_previews_as_a_short_page_and_imports_by_token(editor_client):
    raw = story(1, paragraphs=11000)
    assert 2_000_000 < len(raw) < 2_500_000
    response = editor_client.post(
        URL, {"files": [SimpleUploadedFile("big.txt", raw)], "format": "auto", "_preview": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert len(html) < 100_000, "the preview is a summary, not the payload again"
    assert (
        f"{random.Random(1).sample(WORDS, 12)[0].title()} 1 news" in html
        and "<details>" in html
        and "11001 paragraphs in all." in html
    )
    token = response.context["form"].initial["upload"]
    assert PendingUpload.objects.get(token=token).filename == "big.txt"
    assert Article.objects.count() == 0

    response = editor_client.post(URL, {"upload": str(token), "format": "auto", "_import": "1"})
    assert response.status_code == 200
    assert "Import finished: 1 created" in response.content.decode()
    assert Article.objects.get().headline.endswith(" 1 news")
    assert not PendingUpload.objects.exists(), "an imported upload is not kept"


def test_150_files_in_one_upload(editor_client):
    response = editor_client.post(URL, {"files": stories(150), "format": "text", "_preview": "1"})
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="wire-outcome wire-outcome--new">') == 150
    token = response.context["form"].initial["upload"]
    response = editor_client.post(URL, {"upload": str(token), "format": "text", "_import": "1"})
    assert "Import finished: 150 created" in response.content.decode(), response.context["outcomes"][-3:]
    assert Article.objects.count() == 150


def test_a_batch_over_the_limit_is_a_form_error(editor_client, settings):
    settings.WIRE_MAX_FILES_PER_UPLOAD = 3
    response = editor_client.post(URL, {"files": stories(4), "format": "auto", "_preview": "1"})
    assert response.status_code == 200
    assert "4 files chosen; the import takes at most 3 files at once." in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_django_takes_twice_the_import_limit_so_the_page_can_answer(settings):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 2 * settings.WIRE_MAX_FILES_PER_UPLOAD >= 2000


def test_an_upload_token_is_only_its_owners(editor_client):
    other = make_user("other", perms=["articles.import_wire"])
    theirs = PendingUpload.objects.create(token=uuid.uuid4(), user=other, filename="a.txt", raw=story(1))
    for token, error in [
        (str(theirs.token), "This preview has expired; upload the files again."),
        (str(uuid.uuid4()), "This preview has expired; upload the files again."),
        ("not-a-token", "Enter a valid UUID."),
    ]:
        response = editor_client.post(URL, {"upload": token, "format": "auto", "_import": "1"})
        assert response.status_code == 200
        assert error in response.content.decode()
    assert Article.objects.count() == 0 and not ImportRun.objects.exists()


def test_old_uploads_are_deleted_when_a_new_one_is_stored(editor_client, editor):
    old = PendingUpload.objects.create(token=uuid.uuid4(), user=editor, filename="old.txt", raw=b"x")
    PendingUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    editor_client.post(URL, {"files": stories(1), "format": "auto", "_preview": "1"})
    assert list(PendingUpload.objects.values_list("filename", flat=True)) == ["story-0.txt"]


def test_a_failed_files_original_can_be_read_and_downloaded(editor_client):
    raw = b"<script>alert(1)</script>\nCaf\xe9 \xff bytes\n"
    failed = failed_file(raw)
    change = editor_client.get(reverse("admin:articles_importedfile_change", args=[failed.pk])).content.decode()
    text_url = reverse("admin:articles_importedfile_original", args=[failed.pk])
    download_url = reverse("admin:articles_importedfile_original_download", args=[failed.pk])
    assert text_url in change and download_url in change

    page = editor_client.get(text_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "Caf\ufffd \ufffd bytes" in html

    download = editor_client.get(download_url)
    assert download.content == raw
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"] == 'attachment; filename="broken.txt"'
    assert download["X-Content-Type-Options"] == "nosniff"

    run_page = editor_client.get(reverse("admin:articles_importrun_change", args=[failed.run_id])).content.decode()
    assert text_url in run_page and download_url in run_page


def test_only_those_who_may_import_see_originals(client):
    failed = failed_file(b"some copy\n")
    reader = make_user("reader", perms=["articles.view_importedfile", "articles.view_importrun"])
    client.force_login(reader)
    text_url = reverse("admin:articles_importedfile_original", args=[failed.pk])
    assert client.get(text_url).status_code == 403
    assert client.get(reverse("admin:articles_importedfile_original_download", args=[failed.pk])).status_code == 403
    change = client.get(reverse("admin:articles_importedfile_change", args=[failed.pk]))
    assert change.status_code == 200 and text_url not in change.content.decode()
    assert client.get(reverse("admin:articles_importedfile_original", args=[failed.pk + 99])).status_code == 403


def test_a_missing_original_is_a_404(editor_client):
    assert editor_client.get(reverse("admin:articles_importedfile_original", args=[999])).status_code == 404


def test_the_log_is_read_only_and_the_rerun_action_still_works(client, django_capture_on_commit_callbacks):
    failed = failed_file(b"Budget passes\n\nOTTAWA (Reuters) - Parliament passed the budget on Friday.\n")
    ImportedFile.objects.filter(pk=failed.pk).update(error="x" * 300 + " the end of a long error")
    desk = make_user("desk", perms=["articles.view_importedfile", "articles.view_importrun", "articles.import_wire"])
    client.force_login(desk)

    change = client.get(reverse("admin:articles_importedfile_change", args=[failed.pk])).content.decode()
    assert 'name="_save"' not in change and "the end of a long error" in change
    run_page = client.get(reverse("admin:articles_importrun_change", args=[failed.run_id])).content.decode()
    assert 'name="_save"' not in run_page

    changelist = reverse("admin:articles_importedfile_changelist")
    listing = client.get(changelist).content.decode()
    assert "the end of a long error" not in listing and "xxxxx…" in listing
    assert 'value="rerun"' in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "rerun", "_selected_action": [failed.pk]}, follow=True)
    assert "Re-run queued; see" in response.content.decode()
    assert ImportRun.objects.get(origin="admin re-run").created == 1


def test_the_log_changelist_does_not_load_the_files_bytes(editor_client, django_assert_max_num_queries):
    for n in range(3):
        failed_file(b"copy %d\n" % n, f"f{n}.txt")
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("admin:articles_importedfile_changelist"))
    assert response.status_code == 200
    assert all(
        record.raw_size and "raw" in record.get_deferred_fields() for record in response.context["cl"].result_list
    )


@pytest.mark.parametrize(
    ("name", "copy"),
    [
        ("story.txt", True),
        ("AP-2024-01.xml", True),
        ("0001", True),
        ("SOURCES.md", False),
        ("README", False),
        ("readme.txt", False),
        ("photo.JPG", False),
        ("notes.pdf", False),
        ("story.txt.error.txt", False),
        (".hidden", False),
        ("folder/sub/LICENSE", False),
    ],
)
def test_what_looks_like_wire_copy(name, copy):
    assert looks_like_wire_copy(name) is copy


def test_a_folder_import_skips_what_is_not_copy(tmp_path):
    shutil.copy(TEMPO, tmp_path / "tempo.txt")
    (tmp_path / "SOURCES.md").write_text("# Sources\n\nWhere these files came from.\n")
    (tmp_path / "README").write_text("Drop agency files here.\n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    code, out, err = run_import(tmp_path)
    assert code == 0
    assert out.strip() == "1 created, 0 updated, 0 duplicates, 0 failed, 3 skipped"
    assert Article.objects.get().source.name == "Tempo"
    code, out, err = run_import(tmp_path / "SOURCES.md", "--dry-run")
    assert out.strip() == "1 new, 0 updated, 0 duplicates, 0 failed", "a file named on its own is read"


def test_a_drop_folder_leaves_what_is_not_copy(tmp_path, settings):
    settings.INGEST_SETTLE_SECONDS = 0
    shutil.copy(TEMPO, tmp_path / "tempo.txt")
    (tmp_path / "SOURCES.md").write_text("# Sources\n")
    (tmp_path / "README").write_text("Drop agency files here.\n")
    channel = Channel.objects.create(name="Drop", kind=Channel.Kind.FOLDER, location=str(tmp_path))
    assert [channels.original_name(path) for path in channels.claim_files(channel)] == ["tempo.txt"]
    assert (tmp_path / "SOURCES.md").exists() and (tmp_path / "README").exists()
