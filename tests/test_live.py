"""Live coverage: updates on a live page, the fragment readers' pages poll, its feed, JSON-LD and rights."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.feedgenerator import rfc3339_date

from articles import services
from articles.caching import local_pages
from articles.live import live_path
from articles.models import Article, LiveUpdate
from articles.roles import REPORTERS, create_roles
from tests.factories import make_author, make_ready_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    """On PostgreSQL a transactional test's flush removes the groups the roles migration made."""
    create_roles(Group, Permission)


@pytest.fixture
def story():
    return make_ready_article(
        headline="Storm reaches the coast", body="<p>What we know so far.</p>", is_live=True, authors=[make_author()]
    )


def post(article, body, **fields):
    return services.live_update_add(article=article, body=body, **fields)


def queries(client, url, status=200):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response, len(ctx.captured_queries)


def reporter(username="reporter"):
    user = make_user(username)
    user.groups.add(Group.objects.get(name=REPORTERS))
    return user


# The model


def test_update_str_permalink_and_sanitised_body(story):
    update = post(story, '<p onclick="x()">Winds of <b>150 km/h</b>.</p><script>alert(1)</script>')
    assert update.body == "<p>Winds of <b>150 km/h</b>.</p>"
    assert str(update) == "Winds of 150 km/h."
    assert update.get_absolute_url() == f"{story.get_absolute_url()}#update-{update.pk}"
    titled = post(story, "<p>Text.</p>", title="Evacuation ordered")
    assert str(titled) == titled.summary == "Evacuation ordered"


def test_posting_stamps_the_time_and_a_draft_has_none(story):
    draft = post(story, "<p>Not yet.</p>", status=LiveUpdate.Status.DRAFT)
    assert draft.posted_at is None
    draft.status = LiveUpdate.Status.POSTED
    draft.save()
    assert draft.posted_at is not None
    draft.status = LiveUpdate.Status.DRAFT
    draft.save()
    assert draft.posted_at is None


def test_edits_are_recorded_as_revisions(story, editor):
    update = post(story, "<p>First.</p>", user=editor)
    update.body = "<p>First, corrected.</p>"
    update.save()
    assert [h.body for h in update.history.all()] == ["<p>First, corrected.</p>", "<p>First.</p>"]
    assert update.history.last().history_user == editor


# Rights


def test_only_a_live_page_takes_updates(story):
    plain = make_ready_article()
    with pytest.raises(ValidationError):
        post(plain, "<p>Nope.</p>")


def test_an_update_moves_the_modified_time_but_not_the_version(story):
    before_time, before_version = story.updated_at, story.version
    post(story, "<p>Update.</p>")
    story.refresh_from_db()
    assert story.updated_at > before_time and story.version == before_version


def test_a_draft_update_leaves_the_modified_time_alone(story):
    before = story.updated_at
    post(story, "<p>Draft.</p>", status=LiveUpdate.Status.DRAFT)
    story.refresh_from_db()
    assert story.updated_at == before


def test_only_those_who_may_change_a_published_story_post_on_it(story, editor):
    with pytest.raises(PermissionDenied):
        post(story, "<p>From a reporter.</p>", user=reporter())
    assert post(story, "<p>From an editor.</p>", user=editor).created_by == editor


def test_a_reporter_writes_updates_on_their_own_unpublished_live_story():
    author = reporter()
    own = make_ready_article(status=Article.Status.DRAFT, is_live=True, created_by=author)
    assert post(own, "<p>Filed.</p>", user=author).status == LiveUpdate.Status.POSTED
    with pytest.raises(PermissionDenied):
        post(make_ready_article(status=Article.Status.DRAFT, is_live=True), "<p>Not mine.</p>", user=author)


def test_ending_the_coverage_needs_the_right_to_change_the_story(story, editor):
    with pytest.raises(PermissionDenied):
        services.live_coverage_end(article=story, user=reporter())
    services.live_coverage_end(article=story, user=editor)
    story.refresh_from_db()
    assert story.live_ended_at is not None and not story.live_now


# The page


def test_live_page_shows_updates_newest_first_with_anchors_key_points_and_badge(client, story):
    first = post(story, "<p>Rain began at noon.</p>")
    key = post(story, "<p>Roads closed.</p>", title="Coastal road closed", key_point=True)
    latest = post(story, "<p>Power is out in the north.</p>")
    post(story, "<p>Unchecked rumour.</p>", status=LiveUpdate.Status.DRAFT)
    html = client.get(story.get_absolute_url()).content.decode()
    order = [html.index(f'id="update-{u.pk}"') for u in (latest, key, first)]
    assert order == sorted(order)
    assert f'href="{latest.get_absolute_url()}"' in html
    assert 'class="live-badge"' in html
    key_points = html[html.index('class="key-points"') : html.index("</section>", html.index('class="key-points"'))]
    assert f'href="#update-{key.pk}"' in key_points and "Coastal road closed" in key_points
    assert "Rain began" not in key_points
    assert "Unchecked rumour" not in html
    assert f'data-live-url="{live_path(story)}"' in html and "js/live.js" in html


def test_an_ended_live_page_drops_the_badge_and_the_script(client, story):
    post(story, "<p>All clear.</p>")
    services.live_coverage_end(article=story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "All clear." in html and "Live coverage ended" in html
    assert 'class="live-badge"' not in html and "data-live-url" not in html and "live.js" not in html


def test_a_plain_article_has_no_live_parts(client):
    html = client.get(make_ready_article().get_absolute_url()).content.decode()
    assert "live-top" not in html and "Live updates" not in html and "LiveBlogPosting" not in html


def test_new_update_is_on_the_cached_page_at_once(client, story):
    client.get(story.get_absolute_url())
    post(story, "<p>Breaking: bridge closed.</p>")
    assert "Breaking: bridge closed." in client.get(story.get_absolute_url()).content.decode()


def test_an_update_moves_the_pages_last_modified(client, story):
    Article.objects.filter(pk=story.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    first = client.get(story.get_absolute_url())
    post(story, "<p>Later.</p>")
    later = client.get(story.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 200 and b"Later." in later.content


# Drafts never leak


def test_a_draft_live_story_and_its_updates_are_404_everywhere_for_readers(editor_client):
    client = Client()
    draft = make_ready_article(status=Article.Status.DRAFT, is_live=True)
    post(draft, "<p>Secret update.</p>")
    for url in [draft.get_absolute_url(), live_path(draft), f"{live_path(draft)}rss/", f"{live_path(draft)}atom/"]:
        assert client.get(url).status_code == 404, url
    for url in ["/feeds/rss/", "/search/?q=secret", "/api/ninjs/"]:
        assert b"Secret update" not in client.get(url).content, url
    staff = editor_client.get(live_path(draft))
    assert staff.status_code == 200 and b"Secret update" in staff.content
    assert "no-cache" in staff["Cache-Control"]


def test_a_scheduled_or_embargoed_live_story_is_404(client):
    for fields in ({"published_at": timezone.now() + timedelta(hours=1)},
                   {"embargoed_until": timezone.now() + timedelta(hours=1)}):  # fmt: skip
        article = make_ready_article(is_live=True, **fields)
        post(article, "<p>Too early.</p>")
        assert client.get(live_path(article)).status_code == 404
        assert client.get(f"{live_path(article)}rss/").status_code == 404


def test_an_unpublished_story_takes_its_fragment_with_it(client, story):
    post(story, "<p>Seen.</p>")
    assert client.get(live_path(story)).status_code == 200
    services.article_unpublish(article=story)
    assert client.get(live_path(story)).status_code == 404


def test_draft_updates_are_in_no_public_surface(client, story):
    post(story, "<p>Visible.</p>")
    post(story, "<p>Drafted words.</p>", status=LiveUpdate.Status.DRAFT)
    for url in [story.get_absolute_url(), live_path(story), f"{live_path(story)}rss/", f"{live_path(story)}atom/"]:
        content = client.get(url).content
        assert b"Visible." in content and b"Drafted words" not in content, url


# The fragment


def cursor_of(response) -> str:
    return re.search(rb'data-live-cursor="([0-9]+)"', response.content).group(1).decode()


def test_the_fragment_carries_what_changed_after_the_cursor(client, story, monkeypatch):
    old = post(story, "<p>Old news.</p>")
    page = client.get(story.get_absolute_url())
    after = cursor_of(page)
    nothing = client.get(f"{live_path(story)}?after={after}")
    assert nothing.status_code == 200 and nothing["X-Robots-Tag"] == "noindex"
    # Within the overlap the newest update comes again (the script skips it); past it, nothing.
    monkeypatch.setattr("articles.live.OVERLAP", timedelta(0))
    cache.clear()
    local_pages.clear()
    nothing = client.get(f"{live_path(story)}?after={after}")
    assert b"live-update" not in nothing.content and cursor_of(nothing) == after
    new = post(story, "<p>New news.</p>", key_point=True)
    fragment = client.get(f"{live_path(story)}?after={after}")
    assert f'id="update-{new.pk}"'.encode() in fragment.content
    assert f'id="update-{old.pk}"'.encode() not in fragment.content
    assert b'data-live-state="live"' in fragment.content and b"Key points" in fragment.content
    assert int(cursor_of(fragment)) > int(after)
    assert f"article-{story.pk}" in fragment["Surrogate-Key"].split()


def test_an_edited_update_comes_again_with_a_new_version(client, story, monkeypatch):
    monkeypatch.setattr("articles.live.OVERLAP", timedelta(0))
    update = post(story, "<p>Two injured.</p>")
    after = cursor_of(client.get(story.get_absolute_url()))
    update.body = "<p>Three injured.</p>"
    update.save()
    fragment = client.get(f"{live_path(story)}?after={after}").content.decode()
    assert f'id="update-{update.pk}"' in fragment and "Three injured." in fragment


def test_the_fragment_says_when_coverage_ended(client, story):
    services.live_coverage_end(article=story)
    assert b'data-live-state="ended"' in client.get(live_path(story)).content


@pytest.mark.parametrize("query", ["?after=abc", "?after=-1", "?after=1.5", "?after=" + "9" * 18, "?after=%00"])
def test_a_bad_cursor_is_404_not_500(client, story, query):
    assert client.get(live_path(story) + query).status_code == 404


def test_the_fragment_answers_only_at_the_canonical_address(client, story):
    wrong_day = re.sub(r"/\d\d/([^/]+)/live/$", r"/01/\1/live/", live_path(story))
    if wrong_day == live_path(story):
        wrong_day = re.sub(r"/\d\d/([^/]+)/live/$", r"/02/\1/live/", live_path(story))
    assert client.get(wrong_day).status_code == 404
    assert client.get(live_path(make_ready_article())).status_code == 404  # not a live page


def test_unread_query_parameters_do_not_make_new_cache_entries(client, story):
    client.get(live_path(story) + "?after=0")
    _, count = queries(client, live_path(story) + "?after=0&cb=123")
    assert count == 0


def test_the_fragment_is_served_from_the_cache_until_an_update(client, story):
    post(story, "<p>One.</p>")
    queries(client, live_path(story) + "?after=0")
    _, cached = queries(client, live_path(story) + "?after=0")
    assert cached == 0
    post(story, "<p>Two.</p>")
    response, count = queries(client, live_path(story) + "?after=0")
    assert count > 0 and b"Two." in response.content


# Query ceilings


def live_story_with(count: int) -> Article:
    article = make_ready_article(is_live=True, authors=[make_author()], tags=["storm"])
    for n in range(count):
        post(article, f"<p>Update {n}.</p>", key_point=n % 5 == 0, title=f"Title {n}" if n % 2 else "")
    return article


@pytest.mark.parametrize(
    ("url_of", "ceiling"),
    [
        (lambda a: a.get_absolute_url(), 9),  # an article page's 8, and the updates
        (lambda a: live_path(a) + "?after=0", 3),  # the story, its updates, the cache's publication times
        (lambda a: live_path(a) + "rss/", 3),
    ],
)
def test_live_page_fragment_and_feed_cost_the_same_for_3_or_30_updates(
    client, url_of, ceiling, django_assert_max_num_queries
):
    counts = []
    for size in (3, 30):
        article = live_story_with(size)
        cache.clear()
        local_pages.clear()
        counts.append(queries(client, url_of(article))[1])
    assert counts[0] == counts[1], counts
    cache.clear()
    local_pages.clear()
    with django_assert_max_num_queries(ceiling):
        client.get(url_of(article))


# JSON-LD and feeds


def json_ld(response) -> dict:
    block = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S).group(1)
    return json.loads(block)


def test_json_ld_is_a_live_blog_posting_with_its_updates(client, story):
    first = post(story, "<p>Landfall.</p>", title="Storm makes landfall")
    second = post(story, "<p>Ferries stopped.</p>")
    post(story, "<p>Draft.</p>", status=LiveUpdate.Status.DRAFT)
    data = json_ld(client.get(story.get_absolute_url()))
    assert data["@type"] == "LiveBlogPosting" and data["headline"] == "Storm reaches the coast"
    assert data["coverageStartTime"] == data["datePublished"] and "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == ["Ferries stopped.", "Storm makes landfall"]
    assert updates[0]["@type"] == "BlogPosting" and updates[0]["articleBody"] == "Ferries stopped."
    assert updates[1]["url"].endswith(f"#update-{first.pk}") and updates[0]["url"].endswith(f"#update-{second.pk}")
    services.live_coverage_end(article=story)
    assert "coverageEndTime" in json_ld(client.get(story.get_absolute_url()))


def test_the_live_feeds_carry_the_updates_and_the_page_links_them(client, story):
    update = post(story, "<p>Schools closed tomorrow.</p>", title="Schools closed")
    post(story, "<p>Draft.</p>", status=LiveUpdate.Status.DRAFT)
    rss = client.get(f"{live_path(story)}rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert body.count("<item>") == 1 and "<title>Schools closed</title>" in body
    assert f"#update-{update.pk}</link>" in body
    atom = client.get(f"{live_path(story)}atom/").content.decode()
    assert atom.count("<entry>") == 1 and f"#update-{update.pk}" in atom
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'href="{live_path(story)}rss/"' in page and f'href="{live_path(story)}atom/"' in page


def test_the_site_feed_carries_the_story_once_with_its_new_modified_time(client, story):
    post(story, "<p>Update.</p>")
    story.refresh_from_db()
    rss = client.get("/feeds/rss/").content.decode()
    assert rss.count("Storm reaches the coast") == 1
    assert f"<atom:updated>{rfc3339_date(story.updated_at)}</atom:updated>" in rss


# The desk's admin


def admin_add(client, article, **fields):
    data = {"article": article.pk, "title": "", "body": "<p>From the desk.</p>", "status": "posted"} | fields
    return client.post("/admin/articles/liveupdate/add/", data)


def test_an_editor_posts_an_update_in_the_admin(editor_client, editor, story):
    form = editor_client.get(f"/admin/articles/liveupdate/add/?article={story.pk}")
    assert form.context["adminform"].form.initial["status"] == "posted"
    response = admin_add(editor_client, story, body='<p>Wind <a href="javascript:x()">speeds</a> rise.</p>')
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    update = LiveUpdate.objects.get()
    assert (update.status, update.created_by, update.body) == (
        "posted",
        editor,
        '<p>Wind <a rel="noopener noreferrer">speeds</a> rise.</p>',
    )
    assert update.history.get().history_user == editor
    change_form = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert f"/admin/articles/liveupdate/add/?article={story.pk}" in change_form and "All updates (1)" in change_form
    post(make_ready_article(is_live=True), "<p>Elsewhere.</p>")
    listed = editor_client.get(f"/admin/articles/liveupdate/?article__id__exact={story.pk}")
    assert list(listed.context["cl"].result_list) == [update]  # not the other story's


def test_the_admin_refuses_updates_on_a_story_that_is_not_live(editor_client):
    response = admin_add(editor_client, make_ready_article())
    assert response.status_code == 200 and "is not a live page" in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_a_reporter_cannot_post_nor_change_nor_revert_updates_on_a_published_story(client, story):
    client.force_login(reporter())
    response = admin_add(client, story)
    assert response.status_code == 200 and "an editor may" in response.content.decode()
    assert not LiveUpdate.objects.exists()
    update = post(story, "<p>Posted by an editor.</p>")
    update.body = "<p>Edited by an editor.</p>"
    update.save()
    change = f"/admin/articles/liveupdate/{update.pk}/change/"
    assert client.post(change, {"title": "", "body": "<p>Hijacked.</p>", "status": "posted"}).status_code == 403
    first = update.history.last()
    revert = f"/admin/articles/liveupdate/{update.pk}/history/{first.history_id}/"
    assert client.get(revert).status_code == 200  # may read the revision
    assert client.post(revert, {"title": "", "body": "<p>Hijacked.</p>", "status": "posted"}).status_code == 403
    assert client.post(f"/admin/articles/liveupdate/{update.pk}/delete/", {"post": "yes"}).status_code == 403
    update.refresh_from_db()
    assert update.body == "<p>Edited by an editor.</p>"


def test_a_reporter_writes_updates_on_their_own_draft_live_story_in_the_admin(client):
    author = reporter()
    client.force_login(author)
    own = make_ready_article(status=Article.Status.DRAFT, is_live=True, created_by=author)
    assert admin_add(client, own).status_code == 302
    assert LiveUpdate.objects.get().created_by == author


def test_bulk_delete_is_not_offered_and_bad_history_ids_are_404(editor_client, story):
    update = post(story, "<p>One.</p>")
    changelist = editor_client.get("/admin/articles/liveupdate/")
    assert "delete_selected" not in changelist.content.decode()
    assert editor_client.get(f"/admin/articles/liveupdate/{update.pk}/history/abc/").status_code == 404
    assert editor_client.get("/admin/articles/liveupdate/abc/history/").status_code == 404


def test_the_updates_changelist_costs_the_same_for_3_or_30_updates(editor_client):
    counts = []
    for size in (3, 30):
        live_story_with(size)
        counts.append(queries(editor_client, "/admin/articles/liveupdate/")[1])
    assert counts[0] == counts[1], counts


def test_a_preview_link_shows_a_draft_live_storys_posted_updates_without_polling(client):
    draft = make_ready_article(status=Article.Status.DRAFT, is_live=True)
    post(draft, "<p>Prepared update.</p>")
    post(draft, "<p>Still a draft.</p>", status=LiveUpdate.Status.DRAFT)
    html = client.get(services.preview_url(draft)).content.decode()
    assert "Prepared update." in html and "Still a draft." not in html
    assert "data-live-url" not in html and "live.js" not in html


def test_the_article_list_action_ends_live_coverage_where_the_user_may(client, story, editor):
    other = make_ready_article(is_live=True)
    client.force_login(reporter())
    action = {"action": "end_live_coverage", "_selected_action": [story.pk, other.pk]}
    client.post("/admin/articles/article/", action)
    assert not Article.objects.filter(live_ended_at__isnull=False).exists()  # published: editors only
    client.force_login(editor)
    client.post("/admin/articles/article/", action)
    assert Article.objects.filter(live_ended_at__isnull=False).count() == 2
    assert b"Live coverage ended" in Client().get(story.get_absolute_url()).content
