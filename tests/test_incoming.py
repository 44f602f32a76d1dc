"""The wire desk's Incoming queue: one row per event, its filters and actions, rights checked on the server,
the other agencies' copies on the change form, the dashboard and the API, and urgency and slugline kept."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import incoming, ingest, services
from articles.ingest import versions
from articles.models import Article, WireSource, WireVersion
from articles.roles import REPORTERS, WIRE_DESK
from tests.factories import make_article, make_ready_article, make_section, make_user
from tests.test_api import assert_valid_ninjs
from tests.wire import SAMPLES
from tests.wire_event import copy_of, import_copies

pytestmark = pytest.mark.django_db

QUEUE = "/admin/articles/incomingstory/"


def rows(response) -> list[Article]:
    return list(response.context["cl"].result_list)


def act(client, action: str, articles, *, query: str = "", **extra):
    data = {"action": action, "_selected_action": [a.pk for a in articles], "index": 0} | extra
    return client.post(f"{QUEUE}?{query}", data)


@pytest.fixture
def wire_desk(db):
    user = make_user("desk")
    user.groups.add(Group.objects.get(name=WIRE_DESK))
    return user


@pytest.fixture
def event():
    return import_copies()


# Urgency and slugline


def test_urgency_and_slugline_are_kept_from_every_format():
    ap, afp, reuters = import_copies()
    assert [(a.urgency, a.slugline) for a in (ap, afp, reuters)] == [
        (3, "AS-INDONESIA-FLOODS"), (2, "Indonesia-weather-floods"), (4, "INDONESIA-FLOODS/"),
    ]  # fmt: skip
    name, raw = copy_of("AFP", sent="2026-11-30T07:00:00Z", urgency=1, slugline="Indonesia-floods-update")
    [outcome] = ingest.import_file(raw, name)
    afp.refresh_from_db()
    assert outcome.status == "updated" and (afp.urgency, afp.slugline) == (1, "Indonesia-floods-update")


def test_import_wire_dry_run_json_gives_urgency_and_slugline_for_each_story_of_the_samples(tmp_path):
    env = {"NEWSROOM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    subprocess.run([sys.executable, manage, "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, manage, "import_wire", str(SAMPLES), "--dry-run", "--json"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    stories = [line for line in map(json.loads, result.stdout.splitlines()) if line["status"] == "new"]
    assert len(stories) > 30
    assert all("urgency" in story and "slugline" in story for story in stories)
    by_file = {Path(story["file"]).name: story for story in stories}
    assert (by_file["anpa-1.tst"]["urgency"], by_file["anpa-1.tst"]["slugline"]) == (1, "BC-LT--Argentina-CancerB")
    assert by_file["tag_reuters.com_2014_newsml_KBN0FL0NN_version_5"]["slugline"] == "US-SYRIA-CRISIS-ASSAD"
    assert by_file["NTB_nitf_sample.xml"]["urgency"] == 5
    assert by_file["ninjs1.json"]["urgency"] == 3


# The queue


def test_three_agencies_copies_of_one_event_are_one_row_led_by_the_first(editor_client, event):
    ap, afp, reuters = event
    response = editor_client.get(QUEUE)
    assert rows(response) == [ap]
    html = response.content.decode()
    assert "Also reported by" in html and ">AFP</a>, <a" in html and ">Reuters</a>" in html
    assert "AS-INDONESIA-FLOODS" in html and "3<br>Urgent" in html


def test_the_queue_is_newest_first_and_leaves_out_what_is_not_incoming(editor_client, world):
    source = WireSource.objects.get_or_create(name="AP")[0]
    older = make_article(source=source, status="draft", published_at=None, headline="Older wire story")
    newer = make_article(source=source, status="draft", published_at=None, headline="Newer wire story")
    make_article(source=source, headline="Published wire story")
    make_article(source=source, status="draft", published_at=None, wire_canceled=True, headline="Killed")
    make_article(status="draft", published_at=None, headline="Staff draft")
    make_article(source=source, status="draft", published_at=None, spiked_at=timezone.now(), headline="Spiked")
    Article.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert rows(editor_client.get(QUEUE)) == [newer, older]


def test_every_story_shows_as_a_row_or_under_one_when_links_are_not_transitive(editor_client):
    source = WireSource.objects.get_or_create(name="AP")[0]
    a, b, c, d = (make_article(source=source, status="draft", published_at=None) for _ in range(4))
    a.also_reported_by.add(b)
    b.also_reported_by.add(c)
    c.also_reported_by.add(d)
    shown = rows(editor_client.get(QUEUE))
    assert b not in shown and a in shown  # b is listed under a
    listed = {p.pk for row in shown for p in row.partners} | {row.pk for row in shown}
    assert listed == {a.pk, b.pk, c.pk, d.pk}


def test_filters_by_agency_priority_section_and_time(editor_client, event):
    ap, afp, reuters = event
    afp_source = afp.source
    # Filtered to AFP, AFP's copy leads its own row, still naming the others.
    response = editor_client.get(QUEUE, {"source__id__exact": afp_source.pk})
    assert rows(response) == [afp]
    assert ">AP</a>" in response.content.decode()
    assert rows(editor_client.get(QUEUE, {"priority": "flash"})) == [afp]
    assert rows(editor_client.get(QUEUE, {"priority": "low"})) == []
    assert rows(editor_client.get(QUEUE, {"received": "1h"})) == [ap]
    Article.objects.filter(pk__in=[ap.pk, afp.pk, reuters.pk]).update(created_at=timezone.now() - timedelta(hours=3))
    assert rows(editor_client.get(QUEUE, {"received": "1h"})) == []
    city = make_section(name="City", slug="city")
    Article.objects.filter(pk=reuters.pk).update(section=city)
    assert rows(editor_client.get(QUEUE, {"section__id__exact": city.pk})) == [reuters]


@pytest.mark.parametrize(
    "query",
    [
        {"priority": "zzz"}, {"received": "forever"}, {"shelf": "nowhere"}, {"source__id__exact": "x"},
        {"o": "99"}, {"p": "-1"}, {"q": "\x00'"}, {"section__id__exact": "999999999999999999999"},
        {"_facets": "True", "priority": "flash"},
    ],
)  # fmt: skip
def test_no_query_answers_500(editor_client, event, query):
    assert editor_client.get(QUEUE, query).status_code in (200, 302, 400)
    assert editor_client.get(QUEUE + "status/", query).status_code in (200, 302, 400)


def _stories_with_copies(count: int) -> None:
    sources = [WireSource.objects.get_or_create(name=name)[0] for name in ("AP", "AFP", "Reuters")]
    section = make_section()
    for n in range(count):
        lead = make_article(source=sources[0], section=section, status="draft", published_at=None, urgency=n % 9 + 1,
                            slugline=f"SLUG-{n}")  # fmt: skip
        copy = make_article(source=sources[1 + n % 2], status="draft", published_at=None)
        lead.also_reported_by.add(copy)
        for article in (lead, copy):
            WireVersion.objects.create(article=article, state=WireVersion.State.APPLIED, parsed={})


def _queue_queries(client, count: int) -> list[int]:
    """Queries for the queue, the refresh script's status check and the dashboard."""
    _stories_with_copies(count)
    counts = []
    for url in (QUEUE, QUEUE + "status/", "/admin/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_queue_its_status_and_the_dashboard_cost_the_same_queries_for_3_and_30_stories(
    editor_client, django_assert_max_num_queries
):
    few = _queue_queries(editor_client, 3)
    Article.objects.all().delete()
    many = _queue_queries(editor_client, 30)
    assert few == many
    Article.objects.all().delete()
    _stories_with_copies(3)
    with django_assert_max_num_queries(few[0]):
        editor_client.get(QUEUE)
    Article.objects.all().delete()
    _stories_with_copies(30)
    with django_assert_max_num_queries(few[0]):
        response = editor_client.get(QUEUE)
    assert len(rows(response)) == 30


def test_the_status_stamp_changes_when_copy_arrives_and_is_for_the_desk_only(editor_client, event):
    first = editor_client.get(QUEUE + "status/").json()["stamp"]
    assert editor_client.get(QUEUE + "status/").json()["stamp"] == first
    [again] = ingest.import_file(*reversed(copy_of("AFP")))  # the same copy again: nothing new
    assert again.status == "duplicate"
    assert editor_client.get(QUEUE + "status/").json()["stamp"] == first
    ingest.import_file(*reversed(copy_of("AP", n=2, body="A dam burst upstream of Solok overnight.")))
    assert editor_client.get(QUEUE + "status/").json()["stamp"] != first
    assert Client().get(QUEUE + "status/").status_code == 302  # to the sign-in page


# Take


def test_take_assigns_the_story_and_opens_it(editor_client, editor, event):
    ap = event[0]
    response = editor_client.post(QUEUE + f"{ap.pk}/take/")
    assert response.status_code == 302 and response.url == f"/admin/articles/article/{ap.pk}/change/"
    ap.refresh_from_db()
    assert ap.assignee == editor
    assert "Taken by editor." in editor_client.get(response.url).content.decode()
    html = editor_client.get(QUEUE).content.decode()
    assert "editor<br><button" in html
    assert rows(editor_client.get(QUEUE, {"shelf": "mine"})) == [ap]
    assert rows(editor_client.get(QUEUE, {"shelf": "untaken"})) == [event[1]]  # AFP's copy leads the rest


def test_take_is_refused_on_the_server_to_those_who_may_not_change_the_story(client, event):
    ap = event[0]
    reporter = make_user("reporter")
    reporter.groups.add(Group.objects.get(name=REPORTERS))
    client.force_login(reporter)
    assert client.post(QUEUE + f"{ap.pk}/take/").status_code == 403
    assert client.get(QUEUE + f"{ap.pk}/take/").status_code == 405
    assert client.post(QUEUE + "999999/take/").status_code == 404
    ap.refresh_from_db()
    assert ap.assignee is None


def test_the_wire_desk_may_take_and_spike_but_not_kill(client, wire_desk, event):
    ap, afp, reuters = event
    client.force_login(wire_desk)
    assert client.post(QUEUE + f"{ap.pk}/take/").status_code == 302
    act(client, "spike_selected", [afp])
    assert Article.objects.get(pk=afp.pk).spiked_at is not None
    act(client, "kill_selected", [reuters])
    assert not Article.objects.get(pk=reuters.pk).wire_canceled
    with pytest.raises(PermissionDenied):
        incoming.kill(article=reuters, user=wire_desk)


# Spike and restore


def test_spike_keeps_the_story_out_of_the_queue_and_off_the_site_until_restored(editor_client, editor, event):
    ap, afp, reuters = event
    response = act(editor_client, "spike_selected", [ap])
    assert response.status_code == 302
    ap.refresh_from_db()
    assert ap.spiked_at and ap.spiked_by == editor
    assert rows(editor_client.get(QUEUE)) == [afp]  # AFP's copy now leads the event
    assert rows(editor_client.get(QUEUE, {"shelf": "spiked"})) == [ap]
    ready = dict(section=make_section(), needs_headline=False)
    Article.objects.filter(pk=ap.pk).update(**ready)
    ap.refresh_from_db()
    with pytest.raises(ValidationError, match="spiked"):
        services.article_publish(article=ap, user=editor)
    assert "spiked" in editor_client.get(f"/admin/articles/article/{ap.pk}/change/").content.decode()

    act(editor_client, "restore_selected", [ap], query="shelf=spiked")
    ap.refresh_from_db()
    assert ap.spiked_at is None and rows(editor_client.get(QUEUE)) == [ap]
    services.article_publish(article=ap, user=editor)
    assert ap.is_published()


def test_a_spiked_story_is_shown_to_no_reader_even_through_a_preview_link(client, editor, event):
    ap = event[0]
    link = services.preview_url(ap)
    assert client.get(link).status_code == 200
    incoming.spike(article=ap, user=editor)
    assert client.get(link).status_code == 404
    assert client.get(ap.get_absolute_url()).status_code == 404


def test_select_all_acts_on_the_rows_the_filters_show_and_search_reads_sluglines(editor_client, event):
    ap, afp, reuters = event
    assert rows(editor_client.get(QUEUE, {"q": "INDONESIA-FLOODS/"})) == [reuters]
    act(editor_client, "spike_selected", [afp], query="priority=flash", select_across=1)
    assert list(Article.objects.filter(spiked_at__isnull=False)) == [afp]


def test_a_spiked_story_cannot_be_published_through_the_form_or_the_action(editor_client, editor, event):
    ap = event[0]
    Article.objects.filter(pk=ap.pk).update(section=make_section(), needs_headline=False, spiked_at=timezone.now())
    editor_client.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [ap.pk]})
    ap.refresh_from_db()
    assert ap.status == "draft"
    with pytest.raises(ValidationError):
        incoming.take(article=ap, user=editor)


def test_a_published_story_cannot_be_spiked(editor):
    story = make_ready_article(source=WireSource.objects.get_or_create(name="AP")[0])
    with pytest.raises(ValidationError, match="unpublish"):
        incoming.spike(article=story, user=editor)
    assert Article.objects.get(pk=story.pk).spiked_at is None


# Kill


def test_kill_takes_the_story_off_for_good_without_a_kill_alert(editor_client, editor, event):
    ap = event[0]
    act(editor_client, "kill_selected", [ap])
    ap.refresh_from_db()
    assert ap.wire_canceled and ap.kill_acknowledged_by == editor
    assert ap not in rows(editor_client.get(QUEUE))
    assert editor_client.get("/admin/").context["desk"]["killed"] == []
    with pytest.raises(ValidationError):
        services.article_publish(article=ap, user=editor)


# Merge


def test_merge_as_a_version_leaves_the_copy_waiting_on_the_story(editor_client, editor, event):
    ap, afp, reuters = event
    target = make_ready_article(headline="Floods: our story", status="draft", published_at=None)
    page = act(editor_client, "merge_selected", [afp])
    assert page.status_code == 200 and "Merge into" in page.content.decode()
    response = editor_client.post(QUEUE, {"action": "merge_selected", "_selected_action": [afp.pk], "merge": "1",
                                          "into": target.pk, "merge_as": "version"})  # fmt: skip
    assert response.status_code == 302 and response.url == f"/admin/articles/article/{target.pk}/change/"
    target.refresh_from_db()
    afp.refresh_from_db()
    assert afp.spiked_at and target.wire_update_available
    waiting = target.wire_versions.get(state=WireVersion.State.WAITING)
    assert waiting.parsed["headline"] == afp.headline and waiting.parsed["merged_from"] == afp.pk
    assert afp in target.also_reported_by.all()
    versions.apply_version(version=waiting, user=editor)
    target.refresh_from_db()
    assert target.headline == afp.headline and target.wire_version is None
    assert rows(editor_client.get(QUEUE)) == [ap]


def test_merge_as_a_source_links_the_two_and_spikes_the_copy(editor_client, event):
    ap, afp, reuters = event
    target = make_ready_article(headline="Floods: our story", status="draft", published_at=None)
    editor_client.post(QUEUE, {"action": "merge_selected", "_selected_action": [reuters.pk], "merge": "1",
                               "into": target.pk, "merge_as": "source"})  # fmt: skip
    reuters.refresh_from_db()
    assert reuters.spiked_at and reuters in target.also_reported_by.all()
    assert not target.wire_versions.exists()


def test_merge_is_refused_into_itself_into_a_killed_story_and_without_rights(editor, wire_desk, event):
    ap, afp, reuters = event
    with pytest.raises(ValidationError):
        incoming.merge(story=ap, into=ap, user=editor, merge_as="version")
    killed = make_article(status="draft", published_at=None, wire_canceled=True)
    with pytest.raises(ValidationError):
        incoming.merge(story=ap, into=killed, user=editor, merge_as="source")
    published = make_ready_article()
    with pytest.raises(PermissionDenied):
        incoming.merge(story=ap, into=published, user=wire_desk, merge_as="version")
    assert Article.objects.get(pk=ap.pk).spiked_at is None


# Shown everywhere: change form, dashboard, API


def test_the_change_form_shows_the_other_copies_side_by_side(editor_client, event):
    ap, afp, reuters = event
    html = editor_client.get(f"/admin/articles/article/{ap.pk}/change/").content.decode()
    assert "Other agencies&#x27; copies of this event" in html
    assert html.count('class="other-copy"') == 2 and afp.headline in html and reuters.headline in html
    assert "Rescue teams reached two villages by boat." in html
    alone = make_article(status="draft", published_at=None)
    assert "other-copies" not in editor_client.get(f"/admin/articles/article/{alone.pk}/change/").content.decode()


def test_the_dashboard_lists_incoming_events_with_their_other_agencies(editor_client, event):
    response = editor_client.get("/admin/")
    assert [story.pk for story in response.context["desk"]["incoming"]] == [event[0].pk]
    html = response.content.decode()
    assert "Also reported by AFP, Reuters" in html
    assert 'href="/admin/articles/incomingstory/"' in html


def test_the_api_lists_published_copies_of_the_same_event_and_never_drafts(client, event, editor):
    ap, afp, reuters = event
    for article in (ap, afp):
        Article.objects.filter(pk=article.pk).update(section=make_section(), needs_headline=False)
        article.refresh_from_db()
        services.article_publish(article=article, user=editor)
    document = client.get(f"/api/ninjs/{ap.pk}/").json()
    assert_valid_ninjs(document)
    [association] = [a for a in document["associations"] if a["name"] == "also-reported-by"]
    assert association["uri"].endswith(f"/api/ninjs/{afp.pk}/")
    assert association["infosources"] == [{"name": "AFP", "role": "source"}]
    assert reuters.headline not in json.dumps(document)  # still a draft
    listed = client.get("/api/ninjs/").json()["items"]
    uris = {doc["uri"]: [a["uri"] for a in doc.get("associations", [])] for doc in listed}
    assert uris == {document["uri"]: [association["uri"]], association["uri"]: [document["uri"]]}
