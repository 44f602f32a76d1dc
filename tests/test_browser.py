"""Real browser tests: Debian's chromium driven by Playwright, checked with axe-core."""

import re

import pytest

from articles.models import Article
from tests.browser import serious_violations
from tests.factories import make_article, make_author, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    world = make_section(name="World", slug="world", description="News from everywhere.")
    author = make_author(name="Dewi Lestari", slug="dewi-lestari", role="Jakarta correspondent")
    story = make_article(
        headline="NATO answers Putin's war talk",
        dek="The alliance says it is ready to defend its people.",
        body="<p>The exchange of rhetoric intensified.</p><p>Second paragraph.</p>",
        dateline="Jakarta",
        section=world,
        authors=[author],
        tags=["NATO"],
    )
    make_article(headline="Another world story", section=world, authors=[author], links=[story])
    return story


def test_reader_follows_an_article_from_the_home_page(live_server, page, site):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="NATO answers Putin's war talk").first.click()
    page.wait_for_url(re.compile(re.escape(site.get_absolute_url()) + "$"))
    assert page.get_by_role("heading", level=1).inner_text() == "NATO answers Putin's war talk"
    assert page.locator(".byline").inner_text() == "By Dewi Lestari"
    assert page.locator(".story__body .dateline").inner_text() == "JAKARTA —"


def test_public_pages_have_no_serious_accessibility_violations(live_server, page, site):
    for path in ["/", site.get_absolute_url(), "/section/world/", "/tag/nato/", "/author/dewi-lestari/",
                 "/search/?q=nato", "/search/", "/no-such-page/"]:  # fmt: skip
        page.goto(live_server.url + path)
        assert serious_violations(page) == [], path


def test_skip_link_and_visible_focus(live_server, page, site):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_editor_publishes_through_the_admin_and_finds_it_on_the_home_page(live_server, page, db):
    make_user("chief", superuser=True)
    make_author(name="Kenji Sato", slug="kenji-sato")
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Write an article").click()
    page.locator("#id_headline").press_sequentially("Browser-made breaking story")
    assert page.input_value("#id_slug") == "browser-made-breaking-story"
    page.fill("#id_body", "<p>Written and published from a real browser.</p>")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(slug="browser-made-breaking-story").is_published()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Browser-made breaking story").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Browser-made breaking story"
