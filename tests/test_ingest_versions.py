"""Every copy the wire sends is kept; newer copies update untouched drafts or wait for an editor."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles import ingest
from articles.models import Article, ImportRun, WireVersion
from articles.roles import REPORTERS
from articles.services import article_publish
from tests.factories import make_section, make_user
from tests.wire import TEMPO, sample

pytestmark = pytest.mark.django_db

AAP = sample("nitf/aap.xml")


def run_import(*files, dry_run=False, **options):
    run = ingest.start_run(dry_run=dry_run)
    outcomes = list(ingest.import_files(files, run=run, dry_run=dry_run, **options))
    ingest.finish_run(run)
    return outcomes


def aap_resend(*, issued: str, fix: tuple[str, str] = ("", "")) -> tuple[str, bytes]:
    """AAP's NITF story again with a later ``date.issue`` (no version number, as AAP sends it)."""
    text = AAP.read_text(encoding="utf-8")
    text = re.sub(r'<date.issue norm="[^"]+"', f'<date.issue norm="{issued}"', text)
    if fix[0]:
        assert fix[0] in text
        text = text.replace(fix[0], fix[1])
    return "aap-resend.xml", text.encode()


def tempo_with(old: str, new: str) -> tuple[str, bytes]:
    text = TEMPO.read_text(encoding="utf-8")
    assert old in text
    return "tempo-resend.txt", text.replace(old, new, 1).encode()


def test_a_nitf_resend_with_a_later_issue_time_updates_the_draft_and_both_copies_are_kept():
    [first] = run_import(("aap.xml", AAP.read_bytes()))
    assert first.status == "created"
    [same] = run_import(("aap.xml", AAP.read_bytes()))
    assert same.status == "duplicate"
    [later] = run_import(aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")))
    assert later.status == "updated"
    article = Article.objects.get()
    assert "Grose River" in article.body
    versions = list(article.wire_versions.order_by("received_at", "pk"))
    assert [v.state for v in versions] == ["applied", "duplicate", "applied"]
    assert versions[0].raw == AAP.read_bytes()
    assert versions[2].sent_at > versions[0].sent_at


def test_an_id_less_resend_with_a_one_word_fix_updates_the_first_draft_instead_of_making_a_second():
    run_import(("tempo.txt", TEMPO.read_bytes()))
    [resent] = run_import(tempo_with("has intensified", "has sharply intensified"))
    assert resent.status == "updated"
    article = Article.objects.get()
    assert "sharply intensified" in article.body
    [again] = run_import(tempo_with("has intensified", "has sharply intensified"))
    assert again.status == "duplicate"
    assert Article.objects.count() == 1
    assert article.wire_versions.count() == 3


def test_a_different_story_from_the_same_agency_is_not_taken_for_a_resend():
    run_import(("tempo.txt", TEMPO.read_bytes()))
    other = b"Floods close schools in Jakarta\n\nTEMPO.CO, Jakarta - Heavy rain flooded forty schools in the capital.\n"
    [outcome] = run_import(("floods.txt", other))
    assert outcome.status == "created"
    assert Article.objects.count() == 2


def test_a_newer_copy_of_an_edited_story_waits_and_an_editor_applies_it(editor_client):
    run_import(("aap.xml", AAP.read_bytes()))
    article = Article.objects.get()
    article.headline = "Fires: the evening news"
    article.edited_since_import = True
    article.save()
    [later] = run_import(aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")))
    assert later.status == "waiting"
    article.refresh_from_db()
    assert article.wire_update_available
    assert "Grose River" not in article.body and article.headline == "Fires: the evening news"
    waiting = article.wire_versions.get(state=WireVersion.State.WAITING)

    page = editor_client.get(reverse("admin:articles_article_wire_version", args=[article.pk, waiting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<ins>" in html and "Grose River" in html and "Apply this version" in html

    change_form = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "Review and apply" in change_form.content.decode()

    response = editor_client.post(
        reverse("admin:articles_article_wire_version", args=[article.pk, waiting.pk]), {"action": "apply"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "Grose River" in article.body
    assert not article.wire_update_available
    waiting.refresh_from_db()
    assert waiting.state == "applied" and waiting.decided_by is not None


def test_a_waiting_version_can_be_dismissed_and_nothing_is_lost(editor_client):
    run_import(("aap.xml", AAP.read_bytes()))
    Article.objects.update(edited_since_import=True)
    run_import(aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")))
    article = Article.objects.get()
    waiting = article.wire_versions.get(state="waiting")
    editor_client.post(
        reverse("admin:articles_article_wire_version", args=[article.pk, waiting.pk]), {"action": "dismiss"}
    )
    article.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.state == "dismissed" and "Grose River" in json.dumps(waiting.parsed)
    assert "Grose River" not in article.body and not article.wire_update_available


def test_a_newer_version_never_rewrites_a_published_story_by_itself():
    run_import(("aap.xml", AAP.read_bytes()))
    Article.objects.update(section=make_section())
    article = article_publish(article=Article.objects.get())
    live_body = article.body
    [later] = run_import(aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")))
    assert later.status == "waiting"
    article.refresh_from_db()
    assert article.body == live_body and article.is_published()


def test_a_reporter_cannot_apply_a_version_of_someone_elses_story(client):
    run_import(("aap.xml", AAP.read_bytes()))
    Article.objects.update(edited_since_import=True)
    run_import(aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")))
    article = Article.objects.get()
    waiting = article.wire_versions.get(state="waiting")
    reporter = make_user("reporter")
    reporter.groups.add(Group.objects.get(name=REPORTERS))
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_article_wire_version", args=[article.pk, waiting.pk]), {"action": "apply"}
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.state == "waiting"


def test_the_original_bytes_of_a_version_download_as_an_attachment(editor_client):
    run_import(("aap.xml", AAP.read_bytes()))
    version = WireVersion.objects.get()
    response = editor_client.get(
        reverse("admin:articles_article_wire_version_original", args=[version.article_id, version.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == AAP.read_bytes()


def test_a_dry_run_reports_what_a_real_run_does_and_writes_nothing():
    run_import(("aap.xml", AAP.read_bytes()), ("tempo.txt", TEMPO.read_bytes()))
    Article.objects.filter(source__name__icontains="tempo").update(edited_since_import=True)
    files = [
        ("aap.xml", AAP.read_bytes()),
        tempo_with("has intensified", "has sharply intensified"),
        ("floods.txt", b"Floods close schools\n\nTEMPO.CO, Jakarta - Heavy rain flooded forty schools.\n"),
    ]
    articles_before, versions_before = Article.objects.count(), WireVersion.objects.count()
    dry = run_import(*files, dry_run=True)
    assert [o.status for o in dry] == ["duplicate", "waiting", "new"]
    assert (Article.objects.count(), WireVersion.objects.count()) == (articles_before, versions_before)
    real = run_import(*files)
    assert [o.status for o in real] == ["duplicate", "waiting", "created"]


def test_run_counters_are_written_as_the_run_goes():
    run = ingest.start_run()
    outcomes = ingest.import_files([("aap.xml", AAP.read_bytes()), ("tempo.txt", TEMPO.read_bytes())], run=run)
    next(outcomes)
    # The run has not finished, yet the database already knows what it did.
    assert ImportRun.objects.get(pk=run.pk).created == 2


def test_an_update_rewrites_only_the_bylines_and_links_that_changed():
    first, _ = run_import(("aap.xml", AAP.read_bytes()), tempo_with("Read:", "Read:"))
    aap, tempo = Article.objects.get(pk=first.article.pk), Article.objects.exclude(pk=first.article.pk).get()
    byline_rows = list(aap.authorships.values_list("pk", "author__name"))
    link_rows = list(tempo.related_links.values_list("pk", "title"))
    assert [name for _, name in byline_rows] == ["John Doe"] and len(link_rows) == 1

    # Same byline, same link: the rows are left as they are.
    run_import(aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")))
    assert list(aap.authorships.values_list("pk", "author__name")) == byline_rows
    # A new byline and a new related link replace the old ones.
    run_import(aap_resend(issued="20131020T213000+1100", fix=("By John Doe", "By Jane Roe and John Doe")))
    name, raw = tempo_with("Read: UK, Norway", "Read: Norway, UK")
    assert [o.status for o in run_import((name, raw.replace(b"Kremlin claptrap", b"Kremlin clap-trap")))] == ["updated"]
    assert list(aap.authorships.order_by("position").values_list("author__name", flat=True)) == ["Jane Roe", "John Doe"]
    assert list(tempo.related_links.values_list("title", flat=True)) == [
        "Norway, UK Establish Joint Fleet to Track Russian Submarines"
    ]
    aap.refresh_from_db()
    assert aap.history.count() == 3  # imported, then two applied updates


def test_versions_of_one_story_in_one_lot_apply_in_order_and_each_is_kept():
    files = [
        ("aap.xml", AAP.read_bytes()),
        aap_resend(issued="20131020T203000+1100", fix=("Grose", "Grose River")),
        ("aap.xml", AAP.read_bytes()),  # the first copy again, late: not newer
    ]
    assert [outcome.status for outcome in run_import(*files)] == ["created", "updated", "duplicate"]
    article = Article.objects.get()
    assert "Grose River" in article.body
    assert [v.state for v in article.wire_versions.order_by("pk")] == ["applied", "applied", "duplicate"]
