"""The Incoming queue in a real browser: an editor's morning on the wire desk, the queue refreshing itself
without losing the editor's place, and no sideways scrolling at 1280 px."""

import pytest
from django.contrib.auth.models import Group, Permission

from articles import ingest
from articles.models import Article, WireSource, WireVersion
from articles.roles import EDITORS, create_roles
from tests.browser import overflow, serious_violations, sign_in
from tests.factories import make_article, make_section, make_user
from tests.test_browser import choose
from tests.test_browser_admin import LONG_HEADLINE, SCREENSHOTS, UNBROKEN, boxes
from tests.wire_event import copy_of, import_copies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/articles/incomingstory/"


@pytest.fixture
def chief(db):
    create_roles(Group, Permission)  # transactional tests flush what the roles migration made
    user = make_user("chief")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def busy_wire(db):
    """Forty wire stories with long headlines and sluglines, each with another agency's copy and versions."""
    sources = [WireSource.objects.get_or_create(name=name)[0] for name in ("AP", "Agence France-Presse", "Reuters")]
    sections = [make_section(name=name) for name in ("World", "Business and economy")]
    for n in range(40):
        lead = make_article(source=sources[0], section=sections[n % 2], status="draft", published_at=None,
                            headline=f"{n}: {LONG_HEADLINE}", urgency=n % 9 + 1,
                            slugline=f"INDONESIA-FLOODS-{UNBROKEN}"[:255])  # fmt: skip
        for source in sources[1:]:
            copy = make_article(source=source, status="draft", published_at=None, headline=f"{n}: copy {UNBROKEN}")
            lead.also_reported_by.add(copy)
        WireVersion.objects.create(article=lead, state=WireVersion.State.APPLIED, parsed={})
    return lead


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_queue_and_the_side_by_side_copies_fit_the_screen(live_server, open_page, chief, busy_wire, width):
    page = sign_in(open_page(), live_server, "chief", width=width)
    pages = {
        "incoming": QUEUE,
        "incoming-filtered": QUEUE + "?priority=flash",
        "incoming-spiked": QUEUE + "?shelf=spiked",
        "change-form-with-copies": f"/admin/articles/article/{busy_wire.pk}/change/",
        "dashboard": "/admin/",
    }
    wider = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        wider[name] = overflow(page)
        if width == 1280:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"admin-{name}-{width}.png", full_page=True)
    assert wider == dict.fromkeys(wider, 0)
    page.goto(live_server.url + QUEUE)
    assert page.locator("#result_list tbody tr").count() == 40  # one row per event, not 120
    headline = page.locator("#result_list thead th.column-story").bounding_box()
    assert headline["width"] >= 220
    # Every column beside the filters: none scrolled out of sight inside the results box.
    [results] = boxes(page, "#changelist .results")
    columns = boxes(page, "#result_list thead th")
    assert len(columns) == 8 and all(column["right"] <= results["right"] for column in columns)
    assert page.eval_on_selector("#changelist .results", "box => box.scrollWidth - box.clientWidth") == 0
    # Django's own breadcrumbs are links told apart by colour alone; everything the queue adds passes.
    assert [v for v in serious_violations(page) if ".breadcrumbs" not in v] == []


def test_an_editor_starts_the_day_on_the_queue_takes_a_story_and_publishes_it(live_server, open_page, chief):
    ap, afp, reuters = import_copies()
    city = make_section(name="City", slug="city")
    page = sign_in(open_page(), live_server, "chief")

    # The day starts on the dashboard; the queue shows the three agencies' copies as one row.
    page.get_by_role("link", name="Incoming wire copy").first.click()
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    row = rows.first
    assert "Also reported by AFP, Reuters" in row.inner_text()
    assert "AS-INDONESIA-FLOODS" in row.inner_text() and "3\nUrgent" in row.inner_text()

    # Taking it opens its form, and the story is theirs.
    row.get_by_role("button", name="Take").click()
    page.wait_for_url(f"**/admin/articles/article/{ap.pk}/change/")
    assert Article.objects.get(pk=ap.pk).assignee == chief
    assert afp.headline in page.locator(".other-copies").inner_text()
    checklist = page.locator(".field-publish_checklist").inner_text()
    assert "derived from the first sentence" in checklist and "no section" in checklist

    # Publishing is refused until the headline and the section are set.
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    refusal = page.locator("ul.errorlist.nonfield").inner_text()
    assert "Not ready to publish" in refusal and "no section" in refusal
    assert not Article.objects.get(pk=ap.pk).is_published()

    page.fill("#id_headline", "Floods cut the road to Bukittinggi")
    choose(page, "#id_section", city.pk, "City")
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get(pk=ap.pk)
    assert article.is_published() and article.headline == "Floods cut the road to Bukittinggi"

    # Back on the queue, the event's other copies remain, now led by AFP's.
    page.goto(live_server.url + QUEUE)
    assert page.locator("#result_list tbody tr").count() == 1
    assert afp.headline in page.locator("#result_list tbody tr").first.inner_text()


def test_the_queue_refreshes_itself_without_losing_the_editors_place(live_server, open_page, chief, settings):
    settings.INCOMING_REFRESH_SECONDS = 1
    ap = import_copies("AP")[0]
    page = sign_in(open_page(), live_server, "chief")
    page.goto(live_server.url + QUEUE)
    page.evaluate("window.sameDocument = true")
    page.check(f"#result_list input.action-select[value='{ap.pk}']")
    page.wait_for_timeout(1500)  # the first answer sets the stamp

    # AFP's copy of the same event arrives: the row now names it. A new event arrives: a new row on top.
    ingest.import_file(*reversed(copy_of("AFP")))
    page.locator("#result_list .incoming-also", has_text="AFP").wait_for()
    name, raw = copy_of("Reuters", n=2, headline="Dam bursts upstream of Solok", body="A dam burst near Solok.")
    ingest.import_file(raw, name)
    first_row = page.locator("#result_list tbody tr").first
    first_row.get_by_text("Dam bursts upstream of Solok").wait_for()

    assert page.locator("#result_list tbody tr").count() == 2
    assert page.evaluate("window.sameDocument") is True  # no reload
    assert page.is_checked(f"#result_list input.action-select[value='{ap.pk}']")
    assert "1 new" in page.locator("#incoming-refresh").inner_text()
