"""The fronts in a real browser: the demo's home page looks like a newspaper at 1280 and 390 px (screenshots
to ``$NEWSROOM_SCREENSHOTS``), nothing shifts as pictures load, axe finds nothing serious, and a pin an
editor makes in the admin is on the cached home page within a second."""

import mimetypes
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, FrontPagePin
from tests.browser import overflow, serious_violations, sign_in
from tests.factories import make_user
from tests.test_browser_admin import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Sums the layout shifts the page has had (Cumulative Layout Shift without the session windows).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def serve_media(page) -> None:
    """The live server serves no uploads (DEBUG is off in tests): answer /media/ from MEDIA_ROOT."""

    def answer(route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if path.is_file():
            route.fulfill(body=path.read_bytes(), content_type=mimetypes.guess_type(path.name)[0])
        else:
            route.fulfill(status=404)

    page.route("**/media/**", answer)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_demo_front_page_at_a_glance(live_server, open_page, demo, width):
    page = open_page()
    serve_media(page)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/", wait_until="networkidle")
    lead = FrontPagePin.objects.get(section=None, position=1).article
    assert page.locator(".card--lead .card__headline").inner_text() == lead.headline
    assert page.locator(".card--lead .card__dek").inner_text() == lead.dek
    assert page.locator(".card--lead img").evaluate("img => img.complete && img.naturalWidth > 0")
    page.mouse.wheel(0, 20_000)  # bring in every lazy picture
    page.wait_for_load_state("networkidle")
    assert page.evaluate(LAYOUT_SHIFT) == 0, "nothing moves as pictures load"
    loaded = page.eval_on_selector_all(".card__image img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    assert len(loaded) >= 5 and all(loaded)
    assert overflow(page) == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"front-home-{width}.png", full_page=True)


def test_changed_pages_have_no_serious_accessibility_violations(live_server, open_page, demo):
    page = open_page()
    serve_media(page)
    corrected = Article.objects.get(corrections__isnull=False)
    for path in ["/", "/section/business/", "/section/world/?page=1", "/author/hannah-weber/", "/tag/football/",
                 "/search/?q=river", corrected.get_absolute_url()]:  # fmt: skip
        page.goto(live_server.url + path)
        assert serious_violations(page) == [], path
    make_user("chief", superuser=True)
    sign_in(page, live_server, "chief")
    for path in ["/admin/articles/frontpagepin/", "/admin/articles/frontpagepin/add/"]:
        page.goto(live_server.url + path)
        assert serious_violations(page) == [], path
        assert overflow(page) == 0, path
        scrolled = "tables => tables.map(t => t.scrollWidth - t.clientWidth).filter(n => n > 0).length"
        assert page.eval_on_selector_all(".results", scrolled) == 0, f"{path}: the list scrolls sideways"


def test_an_editor_pins_a_lead_and_it_is_on_the_cached_home_page_within_a_second(live_server, open_page, demo):
    reader = open_page()
    reader.goto(live_server.url + "/")
    story = Article.objects.published().get(source_story_id="demo-port-strike-ends")
    assert reader.locator(".card--lead .card__headline").inner_text() != story.headline
    reader.goto(live_server.url + "/?again")  # the server's cached copy (the query string is not part of it)

    make_user("chief", superuser=True)
    desk = sign_in(open_page(), live_server, "chief")
    desk.goto(live_server.url + "/admin/articles/frontpagepin/add/")
    desk.fill("#id_article", str(story.pk))
    desk.fill("#id_position", "1")
    now = timezone.localtime()
    desk.fill("#id_starts_at_0", now.strftime("%Y-%m-%d"))
    desk.fill("#id_starts_at_1", now.strftime("%H:%M:%S"))
    desk.click("input[name=_save]")
    desk.wait_for_selector(".messagelist .success")
    saved = time.monotonic()
    html = reader.request.get(live_server.url + "/").text()  # what the server answers, past any browser cache
    assert time.monotonic() - saved < 1
    assert re.search(r'card--lead">.*?class="card__headline"><a [^>]+>([^<]+)<', html, re.S).group(1) == escape(
        story.headline
    )
    reader = open_page()  # the first reader's browser keeps its copy for the page's max-age
    reader.goto(live_server.url + "/")
    assert reader.locator(".card--lead .card__headline").inner_text() == story.headline
