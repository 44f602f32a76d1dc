"""``manage.py import_wire`` end to end, on the real agency samples."""

import io
import json
import shutil
import sys

import pytest
from django.core.management import call_command

from articles.models import Article, ImportedFile, ImportRun
from tests.wire import SAMPLES, TEMPO, sample

pytestmark = pytest.mark.django_db


def run_import(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wire", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_tempo_story_imports_as_a_clean_draft():
    code, out, err = run_import(TEMPO, "--json")
    assert code == 0, err
    [story] = json_lines(out)
    assert story["file"] == str(TEMPO)
    assert story["format"] == "text"
    assert story["status"] == "created"
    assert story["source"] == "Tempo"
    assert story["dateline"] == "Jakarta"
    assert story["headline_derived"] is True
    assert len(story["paragraphs"]) == 24
    assert story["paragraphs"][0].startswith("The exchange of rhetoric between Russia and NATO")
    assert story["related"] == [{"title": "UK, Norway Establish Joint Fleet to Track Russian Submarines", "url": None}]
    assert any("Google News" in line for line in story["removed"])
    assert not any("Google News" in p for p in story["paragraphs"])
    assert story["error"] is None
    assert err.strip() == "1 created, 0 updated, 0 duplicates, 0 failed"

    article = Article.objects.get()
    assert article.status == "draft" and not article.is_published()
    assert article.source.name == "Tempo"
    assert article.dateline == "Jakarta"
    assert article.needs_headline
    assert article.headline == story["headline"]
    assert article.body.startswith("<p>The exchange of rhetoric between Russia and NATO")
    assert article.body.count("<p>") == 24
    assert "TEMPO.CO" not in article.body and "Google News" not in article.body
    link = article.related_links.get()
    assert link.title == "UK, Norway Establish Joint Fleet to Track Russian Submarines" and link.target is None


def test_reimport_creates_nothing():
    assert run_import(TEMPO)[0] == 0
    code, out, _ = run_import(TEMPO)
    assert code == 0
    assert out.strip() == "0 created, 0 updated, 1 duplicates, 0 failed"
    assert Article.objects.count() == 1


def test_a_whole_folder_of_real_samples(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "samples")
    code, out, err = run_import(tmp_path / "samples", "--json")
    results = json_lines(out)
    failed = {r["file"].rsplit("/", 1)[-1]: r["error"] for r in results if r["status"] == "error"}
    # A NewsML-G2 package with no text and an AP envelope with only rendition links: reported, not imported.
    assert set(failed) == {"tag_reuters.com_2014_newsml_KBN0FL0NM_version_10", "ap_media_text_item.json"}, failed
    assert all(error.startswith(str(tmp_path)) for error in failed.values())
    assert code == 1
    created = [r for r in results if r["status"] == "created"]
    assert len(created) == Article.objects.count() >= 40
    assert err.strip().endswith(f"{len(created)} created, 0 updated, 0 duplicates, 2 failed, 1 skipped")
    assert {"file": str(tmp_path / "samples" / "SOURCES.md"), "status": "skipped"} in results

    # Everything is logged; the failures keep their bytes for a re-run.
    run = ImportRun.objects.get()
    assert run.created == len(created) and run.failed == 2
    kept = ImportedFile.objects.filter(result="error")
    assert kept.count() == 2 and all(bytes(f.raw) for f in kept)

    code, out, _ = run_import(tmp_path / "samples")
    assert Article.objects.count() == len(created)
    assert out.strip().endswith(f"0 created, 0 updated, {len(created)} duplicates, 2 failed, 1 skipped")


def test_dry_run_writes_nothing():
    code, out, err = run_import(TEMPO, "--dry-run", "--json")
    assert code == 0
    assert json_lines(out)[0]["status"] == "new"
    assert err.strip() == "1 new, 0 updated, 0 duplicates, 0 failed"
    assert Article.objects.count() == 0 and ImportRun.objects.count() == 0


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEMPO.read_bytes())))
    code, out, _ = run_import("-", "--json")
    assert code == 0
    assert json_lines(out)[0]["file"] == "<stdin>"
    assert Article.objects.get().source.name == "Tempo"


def test_publish_section_and_source_options():
    from tests.factories import make_section

    make_section(name="World", slug="world")
    code, _, err = run_import(sample("nitf/aap.xml"), "--publish", "--section", "world", "--source", "Antara")
    assert code == 0, err
    article = Article.objects.get()
    assert article.is_published() and article.section.slug == "world" and article.source.name == "Antara"


def test_a_story_published_on_import_is_dated_now_and_reaches_latest_and_the_news_sitemap(client):
    """The agency's own time (years back in the sample) stays the copy's time, not the publication's."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_section

    make_section(name="World", slug="world")
    code, _, err = run_import(sample("nitf/aap.xml"), "--publish", "--section", "world")
    assert code == 0, err
    article = Article.objects.get()
    assert timezone.now() - article.published_at < timedelta(minutes=1)
    assert article.wire_sent_at.year < timezone.now().year - 1
    assert article.get_absolute_url() in client.get("/").content.decode()
    assert article.get_absolute_url() in client.get("/news-sitemap.xml").content.decode()


def test_unknown_section_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No section named 'nowhere'"):
        call_command("import_wire", str(TEMPO), "--section", "nowhere")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, "binary"),
        ("broken.xml", b"<?xml version='1.0'?><nitf><head><title>x</head></nitf>", "XML"),
        (
            "xxe.xml",
            b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>",
            "entit",
        ),
        (
            "laughs.xml",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b"<nitf><body><body.content><p>&lol2;</p></body.content></body></nitf>",
            "entit",
        ),
        ("broken.json", b'{"headline": "x", "body_html": ', "JSON"),
    ],
)
def test_bad_files_fail_alone_with_a_clear_message(tmp_path, name, content, problem):
    (tmp_path / name).write_bytes(content)
    shutil.copy(TEMPO, tmp_path / "good.txt")
    code, out, err = run_import(tmp_path)
    assert code == 1
    [message] = [line for line in err.splitlines() if line.startswith(str(tmp_path / name))]
    assert problem.lower() in message.lower()
    assert out.strip() == "1 created, 0 updated, 0 duplicates, 1 failed"
    assert Article.objects.get().source.name == "Tempo"
    assert "/etc/passwd" not in Article.objects.get().body


def test_oversized_file_is_refused(tmp_path, settings):
    settings.WIRE_MAX_FILE_SIZE = 1000
    code, _, err = run_import(TEMPO)
    assert code == 1
    assert "limit" in err and str(TEMPO) in err
    assert Article.objects.count() == 0


def test_missing_file_is_reported_and_the_batch_goes_on(tmp_path):
    code, out, err = run_import(tmp_path / "nope.txt", TEMPO)
    assert code == 1
    assert f"{tmp_path / 'nope.txt'}: cannot read file" in err
    assert out.strip() == "1 created, 0 updated, 0 duplicates, 1 failed"


def test_killed_story_is_flagged(tmp_path):
    code, _, _ = run_import(sample("nitf/nitf-fishing.xml"), "--publish")
    assert code == 0
    article = Article.objects.get()
    assert article.wire_canceled
    assert article.status == "draft", "a killed story is never published by the importer"
