"""A kill is obeyed everywhere; agency copy carries its credit; bad text never stops a run."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import ingest, services
from articles.models import Article, ImportedFile, ImportRun
from tests.factories import make_section
from tests.wire import TEMPO, sample

pytestmark = pytest.mark.django_db

AAP = sample("nitf/aap.xml")


def run_import(*files, **options):
    run = ingest.start_run()
    outcomes = list(ingest.import_files(files, run=run, **options))
    ingest.finish_run(run)
    return outcomes


def ninjs_item(headline: str, *, status: str = "usable", uri: str = "urn:example:quake", version: int = 1) -> bytes:
    return json.dumps(
        {
            "uri": uri,
            "version": str(version),
            "type": "text",
            "pubstatus": status,
            "headline": headline,
            "copyrightholder": "Reuters",
            "copyrightnotice": "Copyright 2026 Reuters. All rights reserved.",
            "body_html": "<p>PADANG, Indonesia (Reuters) - A strong earthquake struck off West Sumatra on Tuesday.</p>",
        }
    ).encode()


def published_story() -> Article:
    run_import(("quake.json", ninjs_item("Strong quake strikes off Sumatra")), section=make_section())
    article = Article.objects.get()
    article.published_at = timezone.now() - timedelta(minutes=5)
    return services.article_publish(article=article, at=article.published_at)


def test_a_kill_takes_a_published_story_off_every_public_surface(client):
    article = published_story()
    path = article.get_absolute_url()
    assert client.get(path).status_code == 200
    assert article.headline in client.get("/feeds/rss/").content.decode()

    [kill] = run_import(("kill.json", ninjs_item("Strong quake strikes off Sumatra", status="canceled", version=2)))
    assert kill.status == "killed"
    article.refresh_from_db()
    assert article.wire_canceled and not article.is_published()
    assert not Article.objects.published().filter(pk=article.pk).exists()

    withdrawn = client.get(path)
    assert withdrawn.status_code == 410
    assert "withdrawn by Reuters" in withdrawn.content.decode()
    for url in ("/", "/feeds/rss/", "/feeds/atom/", "/api/ninjs/", "/sitemap.xml", "/news-sitemap.xml"):
        assert article.headline not in client.get(url).content.decode(), url
    assert article.headline not in client.get("/search/", {"q": "quake"}).content.decode()


def test_partners_are_told_that_a_killed_story_is_canceled(client):
    article = published_story()
    run_import(("kill.json", ninjs_item("Strong quake strikes off Sumatra", status="canceled", version=2)))
    document = client.get(reverse("articles:api-detail", args=[article.pk])).json()
    assert document["pubstatus"] == "canceled"
    assert "bodies" not in document


def test_a_killed_story_is_never_republished_by_a_later_import(client):
    published_story()
    run_import(("kill.json", ninjs_item("Strong quake strikes off Sumatra", status="canceled", version=2)))
    [later] = run_import(("v3.json", ninjs_item("Strong quake strikes off Sumatra", version=3)), publish=True)
    assert later.status == "duplicate"
    article = Article.objects.get()
    assert article.wire_canceled and not article.is_published()


def test_a_preview_link_stops_working_when_the_agency_kills_the_story(client):
    run_import(("quake.json", ninjs_item("Strong quake strikes off Sumatra")))
    article = Article.objects.get()
    url = services.preview_url(article)
    assert client.get(url).status_code == 200
    run_import(("kill.json", ninjs_item("Strong quake strikes off Sumatra", status="canceled", version=2)))
    assert client.get(url).status_code == 404


def test_the_desk_sees_the_kill_until_an_editor_acknowledges_it(editor_client):
    published_story()
    run_import(("kill.json", ninjs_item("Strong quake strikes off Sumatra", status="canceled", version=2)))
    article = Article.objects.get()
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "desk-kill-alert" in page and article.headline in page
    response = editor_client.post(reverse("admin:articles_article_acknowledge_kill", args=[article.pk]))
    assert response.status_code == 302
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "desk-kill-alert" not in page
    article.refresh_from_db()
    assert article.kill_acknowledged_by is not None


def test_agency_copy_is_credited_on_the_page_in_json_ld_feeds_and_the_api(client):
    article = published_story()
    assert article.credit == "Reuters"
    assert article.copyright_notice == "Copyright 2026 Reuters. All rights reserved."
    assert "Copyright" not in article.body

    page = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="credit">Reuters</span>' in page
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(ld)
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "Reuters"}
    assert data["creditText"] == "Reuters"

    assert "<dc:source>Reuters</dc:source>" in client.get("/feeds/rss/").content.decode()
    assert "<contributor><name>Reuters</name></contributor>" in client.get("/feeds/atom/").content.decode()
    document = client.get(reverse("articles:api-detail", args=[article.pk])).json()
    assert {"name": "Reuters", "role": "source"} in document["infosources"]


def test_a_nitf_copyright_line_is_kept_on_the_article():
    run_import(("aap.xml", AAP.read_bytes()))
    article = Article.objects.get()
    assert article.copyright_notice == "© 2013 Australian Associated Press"
    assert article.credit


def test_staff_stories_carry_no_credit(editor_client):
    from tests.factories import make_article

    assert make_article().credit == ""


def test_nul_characters_and_lone_surrogates_are_cleaned_and_never_stop_a_run():
    nul = json.dumps({"uri": "urn:x:1", "type": "text", "headline": "x \u0000 y", "body_html": "<p>One.</p>"})
    surrogate = '{"uri": "urn:x:2", "type": "text", "headline": "bad \\ud800 pair", "body_html": "<p>Two.</p>"}'
    guid_nul = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item><title>Feed story</title>'
        "<guid>abc&#0;def</guid><description>Three words here.</description></item></channel></rss>"
    )
    files = [
        ("nul.json", nul.encode()),
        ("surrogate.json", surrogate.encode()),
        ("feed.xml", guid_nul.encode()),
        ("tempo.txt", TEMPO.read_bytes()),
    ]
    run = ingest.start_run()
    outcomes = list(ingest.import_files(files, run=run))
    ingest.finish_run(run)
    assert outcomes[-1].status == "created", "the good file after the bad ones is imported"
    for outcome in outcomes:
        assert outcome.status in ("created", "error"), outcome.error
        if outcome.status == "error":
            assert outcome.filename in outcome.error
    headlines = list(Article.objects.values_list("headline", flat=True))
    assert not any("\x00" in h for h in headlines)
    run = ImportRun.objects.get(pk=run.pk)
    assert run.created + run.failed == len(outcomes)
    assert ImportedFile.objects.filter(run=run).count() == len(outcomes)
