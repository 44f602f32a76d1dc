"""The public corrections page in a real browser, checked with axe-core, and the way to it from a story."""

import re

import pytest

from articles import services
from tests.browser import serious_violations
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_finds_the_corrections_page_from_a_story_and_follows_a_correction_back(live_server, page):
    story = make_article(headline="Budget passes the Senate")
    correction = services.correction_add(article=story, text="The vote was 52 to 48, not 48 to 52.")
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("contentinfo").get_by_role("link", name="Corrections").click()
    page.wait_for_url(re.compile(r"/corrections/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Corrections"
    assert serious_violations(page) == []
    page.get_by_role("link", name="Budget passes the Senate").click()
    page.wait_for_url(re.compile(re.escape(correction.get_absolute_url()) + "$"))
    assert page.locator(f"#correction-{correction.pk}").is_visible()


def test_the_empty_corrections_page_has_no_serious_accessibility_violations(live_server, page, db):
    page.goto(live_server.url + "/corrections/")
    assert page.get_by_text("No corrections yet.").is_visible()
    assert serious_violations(page) == []
