"""Live pages in a real browser: updates appear in an open reader's page without a reload, under the CSP,
without serious accessibility violations; the desk posts them from the admin."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from articles import services
from articles.models import LiveUpdate
from tests.browser import overflow, serious_violations, sign_in
from tests.factories import make_author, make_ready_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    return make_ready_article(
        headline="Storm reaches the coast",
        body="<p>What we know so far.</p>",
        is_live=True,
        authors=[make_author(name="Dewi Lestari", slug="dewi-lestari")],
    )


def test_a_live_page_updates_in_an_open_readers_browser_without_reload(live_server, page, story, settings):
    settings.LIVE_POLL_SECONDS = 1
    first = services.live_update_add(article=story, body="<p>Rain began at noon.</p>")
    page.goto(live_server.url + story.get_absolute_url())
    page.evaluate("window.sameDocument = true")
    assert page.locator(".live-badge").count() == 1

    new = services.live_update_add(
        article=story, body="<p>The coastal bridge is closed.</p>", title="Bridge closed", key_point=True
    )
    page.wait_for_selector(f"#update-{new.pk}", timeout=10_000)
    assert page.locator(".live-update").evaluate_all("nodes => nodes.map(n => n.id)") == [
        f"update-{new.pk}",
        f"update-{first.pk}",
    ]
    assert "Bridge closed" in page.locator(".key-points").inner_text()
    assert page.locator(".live__announce").inner_text() == "1 new update"
    assert serious_violations(page) == []  # what the script inserted too

    # An edit replaces the update where it stands.
    first.body = "<p>Rain began at eleven.</p>"
    first.save()
    expect(page.locator(f"#update-{first.pk}")).to_contain_text("eleven", timeout=10_000)
    assert page.locator(".live-update").count() == 2

    # The editor ends the coverage: the badge goes and the page stops asking.
    services.live_coverage_end(article=story)
    page.wait_for_selector(".live-ended", timeout=10_000)
    assert page.locator(".live-badge").count() == 0
    assert page.evaluate("window.sameDocument") is True


def test_the_live_page_works_without_javascript(live_server, browser, story):
    services.live_update_add(article=story, body="<p>Ferries stopped.</p>")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator(".live-update").inner_text().strip().endswith("Ferries stopped.")
    context.close()


def png() -> ContentFile:
    buffer = BytesIO()
    Image.new("RGB", (640, 400), "steelblue").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="harbour.png")


def test_live_page_has_no_serious_accessibility_violations(live_server, page, story):
    services.live_update_add(article=story, body="<p>Roads closed.</p>", title="Roads closed", key_point=True)
    pictured = services.live_update_add(article=story, body="<p>The harbour at noon.</p>")
    pictured.image_alt = "Waves breaking over the harbour wall"
    pictured.image.save("harbour.png", png())
    page.goto(live_server.url + story.get_absolute_url())
    assert serious_violations(page) == []
    services.live_coverage_end(article=story)
    page.goto(live_server.url + story.get_absolute_url())
    assert serious_violations(page) == []


def test_an_editor_posts_an_update_from_the_article_and_the_reader_sees_it(live_server, open_page, story, settings):
    settings.LIVE_POLL_SECONDS = 1
    make_user("chief", superuser=True)
    reader = open_page()
    reader.goto(live_server.url + story.get_absolute_url())

    desk = sign_in(open_page(), live_server, "chief", width=1280)
    desk.goto(live_server.url + f"/admin/articles/article/{story.pk}/change/")
    desk.get_by_role("link", name="Post an update").click()
    assert overflow(desk) == 0
    desk.fill("#id_title", "Schools closed tomorrow")
    desk.locator(".ProseMirror[contenteditable=true]").click()
    desk.keyboard.type("Every school on the coast stays shut on Tuesday.")
    desk.click("input[name=_save]")
    desk.wait_for_selector(".messagelist .success")
    assert overflow(desk) == 0
    update = LiveUpdate.objects.get()
    assert (update.article, update.status, update.created_by.username) == (story, "posted", "chief")
    assert update.history.first().history_user.username == "chief"

    reader.wait_for_selector(f"#update-{update.pk}", timeout=10_000)
    assert "Every school on the coast" in reader.locator(f"#update-{update.pk}").inner_text()
