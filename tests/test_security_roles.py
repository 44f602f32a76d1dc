"""Holding the desk's line: revert, preview links, the version field and refusals, against the one policy."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import policy, services
from articles.models import Article, WireSource
from articles.roles import REPORTERS, WIRE_DESK
from tests.factories import make_article, make_author, make_ready_article, make_user
from tests.test_admin import CHANGELIST
from tests.test_workflow import change_form, change_url, member

pytestmark = pytest.mark.django_db


def revert_url(article, revision) -> str:
    return reverse("admin:articles_article_simple_history", args=[article.pk, revision.history_id])


def edited_by(editor, article, **fields) -> Article:
    """Save ``article`` through the editor's change form, so it gains a revision."""
    client = Client()
    client.force_login(editor)
    response = client.post(change_url(article), change_form(article, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return article


def oldest_revision(article):
    return article.history.order_by("history_date").first()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reporter():
    return member("reporter", REPORTERS)


# The policy itself


def test_policy_says_who_may_change_what(editor, reporter):
    desk = member("desk", WIRE_DESK)
    wire = make_article(status="draft", source=WireSource.objects.get(name="Reuters"), source_story_id="r1")
    own = make_article(status="draft", created_by=reporter)
    bylined = make_article(status="draft", authors=[make_author(user=reporter)])
    others = make_article(status="draft")
    published_own = make_article(status="published", created_by=reporter)

    assert all(policy.can_change(editor, a) for a in (wire, own, bylined, others, published_own))
    assert [policy.can_change(reporter, a) for a in (wire, own, bylined, others, published_own)] == [
        False, True, True, False, False,
    ]  # fmt: skip
    assert [policy.can_change(desk, a) for a in (wire, own, others, published_own)] == [True, False, False, False]
    assert policy.can_publish(editor) and not policy.can_publish(reporter) and not policy.can_publish(desk)
    assert not policy.can_change(AnonymousUser(), others)


def test_a_killed_story_has_one_publish_blocker_that_the_service_and_the_action_both_report(editor_client):
    killed = make_article(status="draft", wire_canceled=True)
    assert policy.publish_blockers(killed) and not policy.publish_blockers(make_ready_article(status="draft"))
    with pytest.raises(ValidationError):
        services.article_publish(article=killed)
    response = editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [killed.pk]}, follow=True)
    assert f"Not published: “{killed.headline}”: " in response.content.decode()
    assert "The agency killed this story" in response.content.decode()
    killed.refresh_from_db()
    assert killed.status == "draft"


# 1. History revert goes through the same rights as the change form


def test_reporter_cannot_revert_someone_elses_published_story(client, editor, reporter):
    article = edited_by(editor, make_ready_article(headline="Original"), headline="Final headline")
    client.force_login(reporter)
    data = change_form(article, headline="Reporter's headline", status="draft")
    response = client.post(revert_url(article, oldest_revision(article)), data)
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Final headline", "published")


def test_reporter_cannot_revert_their_own_story_once_published(client, editor, reporter):
    article = edited_by(editor, make_ready_article(created_by=reporter, headline="Original"), headline="Edited")
    client.force_login(reporter)
    response = client.post(revert_url(article, oldest_revision(article)), change_form(article, status="draft"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == "published" and article.headline == "Edited"


def test_wire_desk_cannot_revert_a_staff_draft(client, editor):
    article = edited_by(editor, make_article(status="draft", headline="Staff draft"), headline="Staff draft, v2")
    client.force_login(member("desk", WIRE_DESK))
    response = client.post(revert_url(article, oldest_revision(article)), change_form(article))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Staff draft, v2"


def test_reporters_revert_restores_the_text_but_never_the_publishing_fields(client, editor, reporter):
    """An old revision must not lift an embargo or clear a kill behind an editor's back."""
    article = make_article(status="draft", created_by=reporter, headline="First words")
    embargo = timezone.localtime(timezone.now() + timedelta(days=2)).replace(microsecond=0)
    when = {"embargoed_until_0": embargo.strftime("%Y-%m-%d"), "embargoed_until_1": embargo.strftime("%H:%M:%S")}
    article = edited_by(editor, article, headline="Second words", wire_canceled="on", **when)
    assert article.wire_canceled and article.embargoed_until == embargo
    client.force_login(reporter)
    assert "Revert" in client.get(revert_url(article, oldest_revision(article))).content.decode()
    response = client.post(revert_url(article, oldest_revision(article)), change_form(article, headline="First words"))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.headline == "First words"
    assert article.wire_canceled and article.embargoed_until == embargo


def test_reporter_cannot_revert_to_a_published_revision(client, editor, reporter):
    article = make_article(status="published", created_by=reporter, headline="Went out")
    services.article_unpublish(article=article, user=editor)
    client.force_login(reporter)
    response = client.post(revert_url(article, oldest_revision(article)), change_form(article, status="published"))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == "draft"


def test_the_revision_page_offers_no_revert_to_those_who_may_not_change_the_story(client, editor, reporter):
    article = edited_by(editor, make_article(status="draft", headline="A"), headline="B")
    client.force_login(reporter)
    html = client.get(revert_url(article, oldest_revision(article))).content.decode()
    assert 'name="_save"' not in html


@pytest.mark.django_db(transaction=True)
def test_editor_reverts_outside_a_test_transaction_and_a_stale_revert_is_refused():
    """On PostgreSQL the version check locks the row, which needs the view's own transaction."""
    editor = make_user("chief", perms=["articles.view_article", "articles.change_article", "articles.publish_article"])
    article = edited_by(editor, make_article(status="draft", headline="First"), headline="Second")
    client = logged_in(editor)
    url = revert_url(article, oldest_revision(article))
    stale = change_form(article, headline="First")
    response = client.post(url, stale)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.headline == "First"
    response = client.post(url, stale | {"headline": "From a stale page"})
    assert response.status_code == 200 and "saved this article after you opened it" in response.content.decode()


# 2. Preview links end with the story's right to be previewed


def preview_status(article) -> int:
    return Client().get(services.preview_url(article)).status_code


def test_preview_link_dies_when_the_story_is_retracted_and_stays_dead_if_republished(editor):
    draft = make_ready_article(status="draft", headline="Leaky draft")
    url = services.preview_url(draft)
    assert Client().get(url).status_code == 200
    services.article_publish(article=draft, user=editor)
    services.article_retract(article=draft, user=editor)
    assert Client().get(draft.get_absolute_url()).status_code == 410
    assert Client().get(url).status_code == 404
    services.article_publish(article=draft, user=editor)
    services.article_unpublish(article=draft, user=editor)
    assert Client().get(url).status_code == 404, "a republished story does not revive old links"


def test_preview_link_dies_when_the_agency_kills_the_story(editor):
    draft = make_article(status="draft", source=WireSource.objects.get(name="Reuters"), source_story_id="k1")
    url = services.preview_url(draft)
    Article.objects.filter(pk=draft.pk).update(wire_canceled=True)  # as the importer's kill does
    assert Client().get(url).status_code == 404
    draft.refresh_from_db()
    edited_by(editor, draft)  # the desk clears the kill after checking (the box left unticked)
    assert Client().get(url).status_code == 404, "links shared before the kill stay dead"


def test_preview_link_dies_when_the_story_is_embargoed_again(editor):
    soon = timezone.now() + timedelta(hours=1)
    draft = make_article(status="draft", embargoed_until=soon)
    url = services.preview_url(draft)
    assert Client().get(url).status_code == 200
    draft.embargoed_until = soon + timedelta(days=1)
    draft.save()
    assert Client().get(url).status_code == 404
    assert preview_status(draft) == 200, "a link made now works"

    public = make_article(status="published")
    url = services.preview_url(public)
    public.embargoed_until = timezone.now() + timedelta(days=1)
    public.save()
    assert Client().get(url).status_code == 404


def test_editor_revokes_preview_links(editor_client):
    draft = make_article(status="draft")
    url = services.preview_url(draft)
    version = draft.version
    editor_client.post(CHANGELIST, {"action": "revoke_preview_links", "_selected_action": [draft.pk]})
    assert Client().get(url).status_code == 404
    draft.refresh_from_db()
    assert preview_status(draft) == 200 and draft.version == version, "not an edit"


def test_reporter_cannot_revoke_someone_elses_links(client, reporter):
    draft = make_article(status="draft")
    url = services.preview_url(draft)
    client.force_login(reporter)
    client.post(CHANGELIST, {"action": "revoke_preview_links", "_selected_action": [draft.pk]})
    assert Client().get(url).status_code == 200


def test_share_link_is_shown_only_to_those_who_may_change_the_story(client, reporter):
    later = timezone.now() + timedelta(days=1)
    others = make_article(status="draft", embargoed_until=later)
    own = make_article(status="draft", embargoed_until=later, created_by=reporter)
    client.force_login(reporter)
    page = client.get(change_url(others))
    assert page.status_code == 200 and "/preview/" not in page.content.decode()
    assert "/preview/" in client.get(change_url(own)).content.decode()
    client.force_login(member("desk", WIRE_DESK))
    assert "/preview/" not in client.get(change_url(others)).content.decode()


def test_no_share_link_for_a_killed_story(editor_client):
    killed = make_article(status="draft", wire_canceled=True)
    assert "/preview/" not in editor_client.get(change_url(killed)).content.decode()


def test_tampered_or_old_style_tokens_are_refused(client):
    from django.core import signing

    draft = make_article(status="draft")
    old_style = signing.dumps(draft.pk, salt=services.PREVIEW_SALT)
    assert client.get(reverse("articles:preview", args=[old_style])).status_code == 404
    short = signing.dumps([draft.pk], salt=services.PREVIEW_SALT)
    assert client.get(reverse("articles:preview", args=[short])).status_code == 404


# 3. The version field is required


def test_a_change_without_the_opened_version_is_refused_with_a_form_error(editor_client):
    article = make_article(status="draft", headline="Careful work")
    data = change_form(article, headline="Blind overwrite")
    del data["opened_version"]
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "which version of the article it was opened at" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Careful work"


def test_a_revert_without_the_opened_version_is_refused(editor_client, editor):
    article = edited_by(editor, make_article(status="draft", headline="One"), headline="Two")
    data = change_form(article, headline="One")
    del data["opened_version"]
    assert editor_client.post(revert_url(article, oldest_revision(article)), data).status_code == 200
    article.refresh_from_db()
    assert article.headline == "Two"


# 4. A refusal is one INFO line, not a traceback


def test_a_refusal_logs_one_info_line_and_no_traceback(client, editor, reporter, caplog):
    article = edited_by(editor, make_ready_article(headline="Original"), headline="Final")
    client.force_login(reporter)
    with caplog.at_level(logging.INFO):
        assert client.post(revert_url(article, oldest_revision(article)), change_form(article)).status_code == 403
        assert client.post(change_url(article), change_form(article, headline="x")).status_code == 403
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a 403"
    refusals = [r for r in caplog.records if r.name == "articles.policy"]
    assert [r.levelno for r in refusals] == [logging.INFO, logging.INFO]
    assert "reporter" in refusals[0].getMessage() and "\n" not in refusals[0].getMessage()


def test_refusal_log_line_cannot_be_forged_through_the_path(client, reporter, caplog):
    client.force_login(reporter)
    other = make_article(status="draft")
    with caplog.at_level(logging.INFO, logger="articles.policy"):
        response = client.post(f"/admin/articles/article/{other.pk}%0D2025-01-01 FAKE LINE/delete/")
    assert response.status_code == 403
    [refusal] = [r for r in caplog.records if r.name == "articles.policy"]
    assert "\r" not in refusal.getMessage() and "\\r2025" in refusal.getMessage()


def test_malformed_history_addresses_answer_404(editor_client):
    article = make_article()
    for url in (f"/admin/articles/article/{article.pk}/history/abc/", "/admin/articles/article/abc/history/",
                f"/admin/articles/article/x{article.pk}/history/1/"):  # fmt: skip
        assert editor_client.get(url).status_code == 404, url
