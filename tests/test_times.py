"""Times that tell the truth: an embargoed story's publish time is when readers first see it, the desk
sees embargoes lift, and a slug follows the headline until the story goes public."""

import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles import ingest, services
from articles.models import Article
from articles.models.content import DERIVED_SLUG_LENGTH, slug_derives_from, unique_slug
from tests.factories import make_article, make_ready_article
from tests.test_workflow import change_form, change_url
from tests.wire import TEMPO

pytestmark = pytest.mark.django_db


def whole(moment):
    return moment.replace(microsecond=0)


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


# The publish time of an embargoed story


def test_a_story_published_under_an_embargo_goes_public_and_is_dated_when_the_embargo_lifts(client, editor):
    lift = whole(timezone.now() + timedelta(hours=5))
    story = make_ready_article(status="draft", published_at=None, embargoed_until=lift)
    services.article_publish(article=story, user=editor)
    assert story.published_at == lift and not story.is_published()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert f"/{timezone.localtime(lift):%Y/%m/%d}/" in story.get_absolute_url()


def test_a_lifted_embargo_is_the_time_readers_see_on_the_page_in_json_ld_and_feeds(client):
    saved = whole(timezone.now() - timedelta(days=2, hours=3))
    lifted = whole(timezone.now() - timedelta(days=1))
    story = make_ready_article(headline="Under embargo", published_at=saved, embargoed_until=lifted)
    assert story.published_at == lifted
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<time datetime="{timezone.localtime(lifted).isoformat()}">' in html
    assert json_ld(html)["datePublished"] == lifted.isoformat()
    assert f"/{timezone.localtime(lifted):%Y/%m/%d}/" in story.get_absolute_url()
    assert f"<pubDate>{lifted.strftime('%a, %d %b %Y %H:%M:%S')}" in client.get("/feeds/rss/").content.decode()


def test_the_old_address_of_an_embargoed_story_redirects_to_its_dated_one(client):
    saved = whole(timezone.now() - timedelta(days=3))
    story = make_ready_article(headline="Dated by its embargo", published_at=saved)
    old_address = story.get_absolute_url()
    story.embargoed_until = whole(timezone.now() - timedelta(days=1))
    story.save()
    assert story.get_absolute_url() != old_address
    response = client.get(old_address)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()


def test_a_publish_time_set_by_an_embargo_moves_with_it_until_then(editor):
    lift = whole(timezone.now() + timedelta(hours=6))
    story = make_ready_article(published_at=whole(timezone.now()), embargoed_until=lift)
    assert story.published_at == lift
    sooner = whole(timezone.now() + timedelta(hours=2))
    story.embargoed_until = sooner
    story.save()
    assert story.published_at == sooner, "the agency moved the embargo forward"
    story.embargoed_until = None
    story.save()
    assert abs(story.published_at - timezone.now()) < timedelta(seconds=5) and story.is_published()

    public = make_ready_article(published_at=whole(timezone.now() - timedelta(days=1)))
    public.embargoed_until = whole(timezone.now() - timedelta(hours=1))
    public.save()
    dated = public.published_at
    public.embargoed_until = None
    public.save()
    assert public.published_at == dated, "a story already public keeps its time"


def test_existing_embargoed_stories_are_dated_by_the_migration():
    from importlib import import_module

    migration = import_module("articles.migrations.0018_history_snapshots")
    story = make_ready_article()
    saved, lifted = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    Article.objects.filter(pk=story.pk).update(published_at=saved, embargoed_until=lifted)
    draft = make_article(status="draft")
    Article.objects.filter(pk=draft.pk).update(published_at=saved, embargoed_until=lifted)
    migration.publish_times_at_embargo_end(apps, None)
    assert Article.objects.get(pk=story.pk).published_at == lifted
    assert Article.objects.get(pk=draft.pk).published_at == saved


def test_the_dashboard_lists_embargoed_stories_with_their_lift_times(editor_client):
    lift = timezone.localtime(whole(timezone.now() + timedelta(hours=30)))
    make_article(status="draft", headline="Wire draft under embargo", embargoed_until=lift)
    make_ready_article(headline="Published, waiting for its embargo", embargoed_until=lift + timedelta(hours=1))
    make_article(status="draft", headline="Killed under embargo", embargoed_until=lift, wire_canceled=True)
    make_article(headline="Embargo long lifted", embargoed_until=timezone.now() - timedelta(days=1))
    html = editor_client.get(reverse("admin:index")).content.decode()
    section = html[html.index("Embargoed until") :]
    section = section[: section.index("</table>")]
    assert section.index("Wire draft under embargo") < section.index("Published, waiting for its embargo")
    assert f'<time datetime="{lift.isoformat()}">{lift:%-d %b %H:%M}</time> · Draft' in section
    assert "Killed under embargo" not in section and "Embargo long lifted" not in section


# Slugs


def test_derived_slugs_are_at_most_60_characters_cut_at_a_word():
    headline = "The exchange of rhetoric between Russia and NATO has intensified after the negotiations"
    slug = unique_slug(Article, headline)
    assert slug == "the-exchange-of-rhetoric-between-russia-and-nato-has"
    assert len(slug) <= DERIVED_SLUG_LENGTH and slugify(headline).startswith(slug + "-")
    make_article(headline=headline)
    assert unique_slug(Article, headline) == "the-exchange-of-rhetoric-between-russia-and-nato-has-2"
    assert unique_slug(Article, "x" * 80) == "x" * 60, "one long word is cut where it must be"
    assert slug_derives_from(slug, headline) and not slug_derives_from("nato-talks", headline)


def test_a_wire_storys_slug_follows_the_rewritten_headline_until_it_is_published(editor_client, client):
    ingest.import_file(TEMPO.read_bytes(), "tempo.txt")
    draft = Article.objects.get()
    assert draft.needs_headline and draft.slug == "the-exchange-of-rhetoric-between-russia-and-nato-has"
    first_address = draft.get_absolute_url()
    data = change_form(draft, headline="NATO answers Putin's war talk", section=make_ready_article().section_id)
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "nato-answers-putins-war-talk"

    data = change_form(draft, headline="NATO and Russia trade warnings", status="published")
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "nato-and-russia-trade-warnings", "the save that publishes still follows the headline"
    assert draft.is_published()

    data = change_form(draft, headline="NATO and Russia trade sharp warnings")
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "nato-and-russia-trade-warnings", "frozen once public"
    for old in (first_address, first_address.replace(draft.slug, "nato-answers-putins-war-talk")):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == draft.get_absolute_url(), old


def test_a_slug_changed_by_hand_after_publication_leaves_the_old_address_redirecting(editor_client, client):
    story = make_ready_article(headline="Budget passes")
    old_address = story.get_absolute_url()
    assert editor_client.post(change_url(story), change_form(story, slug="budget-2027-passes")).status_code == 302
    story.refresh_from_db()
    assert story.slug == "budget-2027-passes"
    response = client.get(old_address)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_a_slug_chosen_by_hand_stays_when_the_headline_changes(editor_client):
    draft = make_ready_article(status="draft", published_at=None, headline="Budget talks", slug="budget")
    assert editor_client.post(change_url(draft), change_form(draft, headline="Senate budget talks")).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "budget"


def test_old_slugs_of_drafts_do_not_lead_readers_anywhere(client):
    draft = make_article(status="draft", published_at=None, headline="Secret plan revealed")
    draft.headline = "Plan revealed"
    draft.save()
    assert draft.slug == "plan-revealed"
    assert client.get(draft.get_absolute_url().replace("plan-revealed", "secret-plan-revealed")).status_code == 404


def test_a_wire_update_of_an_untouched_draft_moves_its_slug_and_keeps_its_rows_in_the_revision():
    from articles import revisions
    from tests.test_ingest_versions import run_import, tempo_with

    run_import(("tempo.txt", TEMPO.read_bytes()))
    first = Article.objects.get().slug
    [resent] = run_import(tempo_with("has intensified", "has sharply intensified"))
    assert resent.status == "updated"
    article = Article.objects.get()
    assert "sharply" in article.headline and article.slug != first
    assert article.slug == unique_slug(Article, article.headline, instance_pk=article.pk)
    latest = article.history.order_by("-history_date", "-history_id").first()
    assert latest.history_type == "~" and latest.slug == article.slug
    assert latest.related == revisions.parts([article.pk])[article.pk] and latest.related["related_links"]
