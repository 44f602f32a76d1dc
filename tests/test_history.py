"""Revisions restore the whole story (bylines in order, tags, related links, corrections, image) and the
history lists real changes only."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import ingest, revisions, services
from articles.models import Article, Author, Authorship, Correction, RelatedLink
from articles.roles import REPORTERS
from tests.factories import make_article, make_author, make_ready_article
from tests.test_admin import inline_management
from tests.test_security_roles import logged_in, revert_url
from tests.test_workflow import change_form, change_url, member
from tests.wire import TEMPO

pytestmark = pytest.mark.django_db


def saved_image(name: str, colour: str) -> str:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return default_storage.save(f"articles/2026/11/{name}.jpg", ContentFile(buffer.getvalue()))


def bylines(article) -> list[str]:
    return [author.name for author in Article.objects.get(pk=article.pk).byline_authors]


def tags(article) -> list[str]:
    return sorted(tag.name for tag in Article.objects.get(pk=article.pk).tags.all())


def links(article) -> list[tuple]:
    return [
        (link.target_id, link.url, link.title, link.position) for link in article.related_links.order_by("position")
    ]


def history_page(client, article) -> str:
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def times(article) -> dict:
    """The publish time and embargo as the change form shows them (whole seconds, local time)."""
    data = {}
    for name in ("published_at", "embargoed_until"):
        value = getattr(article, name)
        local = timezone.localtime(value) if value else None
        data |= {
            f"{name}_0": local.strftime("%Y-%m-%d") if local else "",
            f"{name}_1": local.strftime("%H:%M:%S") if local else "",
        }
    return data


def post_change(client, article, **fields):
    article.refresh_from_db()
    response = client.post(change_url(article), change_form(article, **times(article)) | fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article


def latest_revision(article):
    return Article.history.filter(id=article.pk).order_by("-history_date", "-history_id").first()


@pytest.fixture
def story():
    """A published story with two bylines, tags, two related links, a correction and an image,
    saved once through the admin so its latest revision keeps all of it."""
    target = make_article(headline="The earlier story")
    story = make_ready_article(
        headline="Original headline",
        authors=[make_author(name="Ayu Lestari"), make_author(name="Budi Santoso")],
        tags=["Floods", "Jakarta"],
        links=[target],
        image=saved_image("first", "red"),
        image_alt="A flooded street",
    )
    RelatedLink.objects.create(article=story, url="https://example.org/report", title="The report", position=1)
    services.correction_add(article=story, text="An earlier version misspelled Budi's name.")
    return story


def test_a_revert_restores_bylines_in_order_tags_links_corrections_and_the_image(editor_client, story):
    post_change(editor_client, story, new_tags="Floods, Jakarta", image_alt="A flooded street")
    kept = latest_revision(story)
    assert kept.related["bylines"] == [
        {"author": a.pk, "name": a.name} for a in Article.objects.get(pk=story.pk).byline_authors
    ]
    before = (bylines(story), tags(story), links(story), list(story.corrections.values_list("pk", "text")))
    assert before[0] == ["Ayu Lestari", "Budi Santoso"] and before[1] == ["Floods", "Jakarta"] and len(before[2]) == 2
    first_image = story.image.name

    # The desk rewrites it: one byline (someone else), other tags, no links, the correction gone, a new image.
    story.authorships.all().delete()
    Authorship.objects.create(article=story, author=make_author(name="Citra Dewi"), position=0)
    story.related_links.all().delete()
    story.corrections.all().delete()
    story.image = saved_image("second", "blue")
    story.save()
    post_change(editor_client, story, headline="Rewritten headline", new_tags="Weather", image_alt="A blue sky")
    assert (bylines(story), tags(story), links(story)) == (["Citra Dewi"], ["Weather"], [])

    page = editor_client.get(revert_url(story, kept)).content.decode()
    assert "Ayu Lestari, Budi Santoso" in page and "Floods, Jakarta" in page, "the revert form says what comes back"
    response = editor_client.post(
        revert_url(story, kept), change_form(story, headline="Original headline", image_alt="A flooded street")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert story.headline == "Original headline"
    assert (bylines(story), tags(story), links(story)) == before[:3]
    assert list(story.corrections.values_list("pk", "text")) == before[3], "the same correction, same anchor"
    assert story.image.name == first_image and (story.image_width, story.image_height) == (64, 48)
    assert latest_revision(story).related == revisions.parts([story.pk])[story.pk]
    assert story.is_published()


def test_the_restored_story_is_what_readers_get(client, editor_client, story):
    post_change(editor_client, story, new_tags="Floods, Jakarta", image_alt="A flooded street")
    kept = latest_revision(story)
    story.authorships.all().delete()
    post_change(editor_client, story, new_tags="", image_alt="A flooded street")
    assert "Ayu Lestari" not in client.get(story.get_absolute_url()).content.decode()
    editor_client.post(revert_url(story, kept), change_form(story, image_alt="A flooded street"))
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Ayu Lestari" in html and "Budi Santoso" in html and html.index("Ayu Lestari") < html.index("Budi Santoso")
    assert "/tag/floods/" in html


def test_a_revert_never_changes_publishing_fields_even_for_an_editor(editor_client, story):
    post_change(editor_client, story, new_tags="Floods", image_alt="x")
    kept = latest_revision(story)
    published_at = story.published_at
    later = timezone.localtime(timezone.now() + timedelta(days=3)).replace(microsecond=0)
    services.article_retract(article=story, notice="Withdrawn for legal review.")
    story.status, story.embargoed_until = Article.Status.PUBLISHED, later
    story.save()
    stored = Article.objects.get(pk=story.pk)
    old = {"published_at_0": "2001-01-01", "published_at_1": "10:00:00", "embargoed_until_0": "", "wire_canceled": "on",
           "retraction_notice": "", "image_alt": "x"}  # fmt: skip
    response = editor_client.post(revert_url(story, kept), change_form(stored, **old))
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert story.embargoed_until == later and story.published_at == stored.published_at != published_at
    assert not story.wire_canceled and story.retraction_notice == "Withdrawn for legal review."
    assert story.retracted_at == stored.retracted_at


def test_a_reporter_restores_bylines_but_not_corrections(client, editor):
    reporter = member("reporter", REPORTERS)
    draft = make_article(status="draft", created_by=reporter, headline="Draft", authors=[make_author(name="Ayu")])
    client.force_login(reporter)
    post_change(client, draft, new_tags="")
    kept = latest_revision(draft)
    draft.authorships.all().delete()
    Correction.objects.create(article=draft, text="Added by an editor later.")
    post_change(client, draft, new_tags="")
    response = client.post(revert_url(draft, kept), change_form(draft))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert bylines(draft) == ["Ayu"]
    assert list(draft.corrections.values_list("text", flat=True)) == ["Added by an editor later."]


def test_a_revision_from_before_kept_rows_leaves_them_alone(editor_client, story):
    post_change(editor_client, story, headline="Second", new_tags="Floods", image_alt="x")
    old = latest_revision(story)
    Article.history.filter(history_id=old.history_id).update(related=None)
    old.refresh_from_db()
    post_change(editor_client, story, headline="Third", new_tags="Floods", image_alt="x")
    assert "predates kept bylines" in editor_client.get(revert_url(story, old)).content.decode()
    editor_client.post(revert_url(story, old), change_form(story, headline="Second", image_alt="x"))
    story.refresh_from_db()
    assert story.headline == "Second" and bylines(story) == ["Ayu Lestari", "Budi Santoso"]


def test_a_save_that_changes_nothing_leaves_no_revision(editor_client, story):
    post_change(editor_client, story, new_tags="Floods", image_alt="x")
    # A stamp with microseconds (as older publish actions made): the form keeps whole seconds.
    Article.objects.filter(pk=story.pk).update(published_at=story.published_at.replace(microsecond=123456))
    # A byline's author renamed is no change to this story.
    Author.objects.filter(name="Ayu Lestari").update(name="Ayu L.")
    count = story.history.count()
    post_change(editor_client, story, new_tags="Floods", image_alt="x")
    post_change(editor_client, story, new_tags="Floods", image_alt="x")
    assert story.history.count() == count


def test_the_history_lists_each_change_readably_and_nothing_else(editor_client):
    draft = make_article(status="draft", headline="Plain draft", section=None, published_at=None)
    ayu = make_author(name="Ayu Lestari")
    post_change(editor_client, draft, headline="Plain draft, revised", new_tags="")
    data = change_form(draft, new_tags="Budget", **times(draft)) | inline_management("authorships", 1)
    data |= {"authorships-0-author": ayu.pk, "authorships-0-position": "0"}
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    services.correction_add(article=draft, text="A figure was wrong.")

    page = history_page(editor_client, draft)
    assert "pk=None" not in page and "Deleted" not in page
    assert "<strong>Headline:</strong>" in page and "Plain draft, revised" in page
    assert "<strong>Bylines:</strong>" in page and "Ayu Lestari" in page
    assert "<strong>Tags:</strong>" in page and "Budget" in page
    assert "<strong>Corrections and updates:</strong>" in page and "A figure was wrong." in page
    assert "Publish time" not in page and "Updated" not in page
    entries = list(Article.history.filter(id=draft.pk).order_by("history_date", "history_id"))
    assert all(revisions.changes(new, old) for old, new in zip(entries, entries[1:], strict=False)), "no empty entries"


def test_imported_stories_keep_their_rows_in_their_first_revision():
    ingest.import_file(TEMPO.read_bytes(), "tempo.txt")
    article = Article.objects.get()
    [revision] = article.history.all()
    assert revision.related == revisions.parts([article.pk])[article.pk]
    assert revision.related["related_links"], "the Tempo story's 'Read:' link"


def test_revert_as_a_real_request_outside_a_test_transaction_restores_bylines_and_tags(transactional_db):
    from tests.factories import make_user

    editor = make_user("chief", superuser=True)
    client = logged_in(editor)
    story = make_ready_article(headline="Kept", authors=[make_author(name="Ayu"), make_author(name="Budi")])
    post_change(client, story, new_tags="Floods, Jakarta")
    kept = latest_revision(story)
    story.authorships.all().delete()
    post_change(client, story, new_tags="Other")
    response = client.post(revert_url(story, kept), change_form(story))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert bylines(story) == ["Ayu", "Budi"] and tags(story) == ["Floods", "Jakarta"]
