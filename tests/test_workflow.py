"""Editorial workflow: roles, review, edit conflicts, revisions, corrections, images, the body editor."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from PIL import Image

from articles import services
from articles.forms import BODY_EDITOR_EXTENSIONS
from articles.models import Article, Correction
from articles.roles import EDITORS, REPORTERS, WIRE_DESK
from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from tests.factories import make_article, make_author, make_ready_article, make_user
from tests.test_admin import ADD, CHANGELIST, article_form, inline_management

pytestmark = pytest.mark.django_db


def member(username: str, role: str):
    user = make_user(username)
    user.groups.add(Group.objects.get(name=role))
    return user


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form(article, **fields) -> dict:
    data = article_form(
        headline=article.headline,
        slug=article.slug,
        body=article.body,
        status=article.status,
        section=article.section_id or "",
        credit=article.credit,
        opened_version=article.version,
    )
    return data | fields


@pytest.fixture
def reporter(client):
    user = member("reporter", REPORTERS)
    client.force_login(user)
    return user


def test_roles_exist_with_the_publish_permission_only_for_editors():
    assert Group.objects.get(name=EDITORS).permissions.filter(codename="publish_article").exists()
    for role in (REPORTERS, WIRE_DESK):
        assert not Group.objects.get(name=role).permissions.filter(codename="publish_article").exists()
    assert Group.objects.get(name=WIRE_DESK).permissions.filter(codename="import_wire").exists()


def test_reporter_writes_and_submits_for_review_but_cannot_publish(client, reporter):
    response = client.post(ADD, article_form(status="review"))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="written-in-the-admin")
    assert article.status == "review" and article.created_by == reporter

    response = client.post(change_url(article), change_form(article, status="published"))
    assert response.status_code == 200  # the form comes back with an error
    article.refresh_from_db()
    assert article.status == "review"

    response = client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == "review"


def test_reporter_cannot_edit_someone_elses_story_or_a_published_one(client, reporter):
    others = make_article(status="draft", headline="Someone else's draft")
    response = client.post(change_url(others), change_form(others, headline="Hijacked"))
    assert response.status_code == 403
    own_published = make_article(status="published", created_by=reporter)
    response = client.post(change_url(own_published), change_form(own_published, headline="Changed after publication"))
    assert response.status_code == 403
    assert Article.objects.filter(headline__in=["Hijacked", "Changed after publication"]).count() == 0


def test_reporter_can_edit_a_draft_that_carries_their_byline(client, reporter):
    author = make_author(user=reporter)
    draft = make_article(status="draft", authors=[author])
    response = client.post(change_url(draft), change_form(draft, headline="Sharper headline"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Sharper headline"


def test_wire_desk_edits_wire_drafts_only(client):
    from articles.models import WireSource

    client.force_login(member("desk", WIRE_DESK))
    wire = make_article(status="draft", source=WireSource.objects.get(name="Reuters"), source_story_id="r1")
    staff = make_article(status="draft")
    assert client.post(change_url(wire), change_form(wire, status="review")).status_code == 302
    assert client.post(change_url(staff), change_form(staff, headline="Nope")).status_code == 403
    assert client.get(reverse("admin:articles_article_import")).status_code == 200


def test_editor_schedules_and_the_publisher_is_recorded(client):
    editor = member("chief", EDITORS)
    client.force_login(editor)
    draft = make_ready_article(status="review")
    data = change_form(draft, status="published", published_at_0="2099-01-01", published_at_1="09:00:00")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled() and not draft.is_published()
    assert draft.published_by == editor


def test_publish_service_refuses_users_without_the_permission():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.article_publish(article=make_article(status="draft"), user=make_user("nobody"))


def test_stale_save_is_refused_and_keeps_the_editors_input(client, django_user_model):
    first, second = member("first", EDITORS), member("second", EDITORS)
    article = make_article(status="draft", headline="Original")
    from django.test import Client

    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    opened_by_a = change_form(article)
    opened_by_b = change_form(article)

    assert a.post(change_url(article), opened_by_a | {"headline": "A's headline"}).status_code == 302
    response = b.post(change_url(article), opened_by_b | {"headline": "B's headline"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "saved this article after you opened it" in html
    assert "first" in html
    assert 'value="B&#x27;s headline"' in html, "the second editor's text is still in the form"
    article.refresh_from_db()
    assert article.headline == "A's headline"


def test_every_save_keeps_a_revision_that_can_be_restored(editor_client, editor):
    article = make_article(status="draft", headline="First version")
    editor_client.post(change_url(article), change_form(article, headline="Second version"))
    article.refresh_from_db()
    assert article.headline == "Second version"
    history = list(article.history.order_by("history_date"))
    assert [h.headline for h in history] == ["First version", "Second version"]
    assert history[-1].history_user == editor
    [change] = [c for c in history[-1].diff_against(history[0]).changes if c.field == "headline"]
    assert (change.old, change.new) == ("First version", "Second version")

    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "<strong>Headline:</strong>" in page and "First version" in page

    first = history[0]
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    form = editor_client.get(revert_url)
    assert form.status_code == 200
    article.refresh_from_db()
    response = editor_client.post(revert_url, change_form(article, headline="First version"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "First version"


def test_wire_imports_leave_revisions():
    from articles import ingest
    from tests.wire import TEMPO

    ingest.import_file(TEMPO.read_bytes(), "tempo.txt")
    assert Article.objects.get().history.count() == 1


def test_corrections_are_stamped_and_move_the_modified_time(editor_client, editor):
    article = make_ready_article()
    before = article.updated_at
    data = change_form(article) | inline_management("corrections", 1)
    data |= {"corrections-0-kind": "correction", "corrections-0-text": "An earlier version misspelled the name.",
             "corrections-0-created_at_0": "2026-01-02", "corrections-0-created_at_1": "10:00:00"}  # fmt: skip
    assert editor_client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by == editor
    article.refresh_from_db()
    assert article.updated_at > before
    assert article.is_published()


def test_retract_action_unpublishes_and_records_a_notice(editor_client):
    article = make_article()
    editor_client.post(CHANGELIST, {"action": "retract", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert not article.is_published()
    assert article.retracted_at is not None and article.retraction_notice


def test_changelist_shows_scheduled_and_embargoed_stories_distinctly(editor_client):
    from datetime import timedelta

    from django.utils import timezone

    make_article(headline="Future story", published_at=timezone.now() + timedelta(days=2))
    make_article(headline="Held story", embargoed_until=timezone.now() + timedelta(days=1))
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Scheduled for" in html and "Embargoed until" in html


def _image_bytes(fmt="JPEG", size=(1600, 900), exif_orientation=None) -> bytes:
    image = Image.new("RGB", size, "steelblue")
    out = BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSLatitude: must not survive
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def test_featured_image_is_upright_stripped_and_rendered(editor_client, django_capture_on_commit_callbacks):
    article = make_article(status="draft")
    upload = SimpleUploadedFile("photo.jpg", _image_bytes(exif_orientation=6), content_type="image/jpeg")
    data = change_form(article, image=upload, image_alt="A blue test card", image_caption="Test")
    with django_capture_on_commit_callbacks(execute=True):  # the renditions are made after the commit
        response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert (article.image_width, article.image_height) == (900, 1600), "rotated by its EXIF orientation"
    with Image.open(article.image.path) as stored:
        assert not stored.getexif(), "metadata stripped"
    from django.core.files.storage import default_storage

    from articles.images import renditions

    made = renditions(article.image, article.image_width, article.image_height)
    assert {(r.width, r.format) for r in made} == {(480, "webp"), (480, "jpg"), (800, "webp"), (800, "jpg")}
    for rendition in made:
        name = rendition.url.removeprefix("/media/")
        assert default_storage.exists(name)


def test_uploads_that_are_not_images_or_too_big_are_refused(editor_client, settings):
    article = make_article(status="draft")
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = editor_client.post(change_url(article), change_form(article, image=fake, image_alt="x"))
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode() or "not an image" in response.content.decode()

    settings.IMAGE_MAX_UPLOAD_SIZE = 1000
    big = SimpleUploadedFile("big.png", _image_bytes("PNG", (800, 800)), content_type="image/png")
    response = editor_client.post(change_url(article), change_form(article, image=big, image_alt="x"))
    assert "images may be at most" in response.content.decode()


def test_alt_text_is_required_with_an_image(editor_client):
    article = make_article(status="draft")
    upload = SimpleUploadedFile("photo.png", _image_bytes("PNG", (300, 200)), content_type="image/png")
    response = editor_client.post(change_url(article), change_form(article, image=upload))
    assert response.status_code == 200
    assert "Describe the picture" in response.content.decode()


def test_body_editor_makes_only_what_the_sanitiser_keeps():
    allowed = allowlist_from_extensions(expand_extensions(BODY_EDITOR_EXTENSIONS))
    assert set(allowed["tags"]) <= ALLOWED_TAGS
    for tag, attributes in allowed.get("attributes", {}).items():
        # nh3 sets rel itself; data-type is the editor's own bookkeeping, dropped harmlessly.
        extra = set(attributes) - ALLOWED_ATTRIBUTES.get(tag, set()) - {"rel", "data-type"}
        assert not extra, (tag, extra)


def test_pasted_word_processor_markup_comes_out_clean(editor_client):
    article = make_article(status="draft")
    pasted = ('<p class="MsoNormal" style="margin:0"><span style="font-family:Calibri">Quote</span>'
              '<o:p></o:p></p><!--[if gte mso 9]><xml>junk</xml><![endif]--><p><b>Bold</b></p>')  # fmt: skip
    editor_client.post(change_url(article), change_form(article, body=pasted))
    article.refresh_from_db()
    assert article.body == "<p>Quote</p><p><b>Bold</b></p>"


def test_share_link_shows_one_draft_to_anyone_and_nothing_else(client, settings):
    draft = make_article(status="draft", headline="Embargoed scoop")
    other = make_article(status="draft", headline="Another draft")
    url = services.preview_url(draft)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Embargoed scoop" in html and "Preview." in html
    assert "no-cache" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    assert "/admin/" not in html
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(url.replace(url.split("/")[-2][-5:], "xxxxx")).status_code == 404
    settings.PREVIEW_LINK_MAX_AGE = -1
    assert client.get(url).status_code == 404, "expired"


def test_change_form_offers_a_share_link_for_drafts(editor_client):
    draft = make_article(status="draft")
    html = editor_client.get(change_url(draft)).content.decode()
    assert "/preview/" in html


def test_retracted_article_leaves_a_notice(client):
    article = make_article(headline="Withdrawn story")
    services.article_retract(article=article, notice="This story has been withdrawn: it relied on a forged letter.")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "relied on a forged letter" in response.content.decode()
    assert "Withdrawn story" not in client.get("/").content.decode()


def test_corrections_appear_at_the_foot_with_times(client):
    article = make_article()
    services.correction_add(article=article, text="We misspelled the minister's name.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="corrections"' in html and "We misspelled the minister&#39;s name." in html


def test_article_page_serves_renditions_with_dimensions(client, editor_client):
    article = make_ready_article(status="draft")
    upload = SimpleUploadedFile("photo.jpg", _image_bytes(), content_type="image/jpeg")
    data = change_form(article, image=upload, image_alt="Blue card", status="published")
    editor_client.post(change_url(article), data | {"published_at_0": "2020-01-01", "published_at_1": "10:00:00"})
    article.refresh_from_db()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'type="image/webp"' in html and "-480.webp 480w" in html and "-1200.jpg 1200w" in html
    assert 'width="1600" height="900"' in html and 'alt="Blue card"' in html
