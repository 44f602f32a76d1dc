"""Real browser tests: Debian's chromium driven by Playwright, checked with axe-core."""

import re

import pytest

from articles.models import Article
from tests.browser import serious_violations, sign_in
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


def choose(page, select: str, value, label: str) -> None:
    """Pick ``label`` in an autocomplete select, as choosing it from the search results would."""
    page.evaluate(
        "([select, value, label]) => { const s = document.querySelector(select);"
        " s.add(new Option(label, value, true, true)); s.dispatchEvent(new Event('change')); }",
        [select, str(value), label],
    )


def test_editor_publishes_through_the_admin_and_finds_it_on_the_home_page(live_server, page, db):
    make_user("chief", superuser=True)
    kenji = make_author(name="Kenji Sato", slug="kenji-sato")
    city = make_section(name="City", slug="city")
    sign_in(page, live_server, "chief")
    page.get_by_role("link", name="Write an article").click()
    page.locator("#id_headline").press_sequentially("Browser-made breaking story")
    assert page.input_value("#id_slug") == "browser-made-breaking-story"
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Written and published from a real browser.")
    choose(page, "#id_section", city.pk, "City")
    choose(page, "#id_authorships-0-author", kenji.pk, "Kenji Sato")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(slug="browser-made-breaking-story").is_published()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Browser-made breaking story").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Browser-made breaking story"


def test_desk_flow_from_reporter_to_reader(live_server, open_page, page):
    from datetime import timedelta

    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from articles.roles import EDITORS, REPORTERS, create_roles

    create_roles(Group, Permission)  # transactional tests flush what the roles migration made

    make_user("reporter").groups.add(Group.objects.get(name=REPORTERS))
    make_user("chief").groups.add(Group.objects.get(name=EDITORS))

    # A reporter writes the story in the rich-text editor and submits it for review.
    desk = sign_in(open_page(), live_server, "reporter")
    desk.get_by_role("link", name="Write an article").click()
    desk.locator("#id_headline").press_sequentially("Night buses start next month")
    desk.locator(".ProseMirror[contenteditable=true]").click()
    desk.keyboard.type("The city will run night buses on six routes.")
    assert "words" in desk.locator(".live-count").last.inner_text()
    assert [o for o in desk.locator("#id_status option").all_inner_texts()] == ["Draft", "In review"]
    desk.select_option("#id_status", "review")
    desk.click("input[name=_save]")
    desk.wait_for_selector(".messagelist .success")
    article = Article.objects.get(headline="Night buses start next month")
    assert article.status == "review"
    assert article.body == "<p>The city will run night buses on six routes.</p>"

    # An editor schedules it a few seconds ahead.
    chief = sign_in(open_page(), live_server, "chief")
    chief.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    assert "no section" in chief.locator(".field-publish_checklist").inner_text()
    city, reporter_author = make_section(name="City", slug="city"), make_author(name="Ana Reyes", slug="ana-reyes")
    choose(chief, "#id_section", city.pk, "City")
    choose(chief, "#id_authorships-0-author", reporter_author.pk, "Ana Reyes")
    when = timezone.localtime(timezone.now() + timedelta(seconds=8))
    chief.select_option("#id_status", "published")
    chief.fill("#id_published_at_0", when.strftime("%Y-%m-%d"))
    chief.fill("#id_published_at_1", when.strftime("%H:%M:%S"))
    chief.click("input[name=_continue]")
    chief.wait_for_selector(".messagelist .success")

    # The reader does not see it until its time comes, then does, untouched.
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="Night buses start next month").count() == 0
    for _ in range(40):
        page.wait_for_timeout(500)
        page.goto(live_server.url + "/")
        if page.get_by_role("link", name="Night buses start next month").count():
            break
    page.get_by_role("link", name="Night buses start next month").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Night buses start next month"

    # The editor adds a correction; the reader sees it at the foot of the story.
    chief.reload()
    chief.get_by_text("Add another Correction or update").click()
    chief.fill("#id_corrections-0-text", "An earlier version gave the wrong number of routes.")
    chief.click("input[name=_continue]")
    chief.wait_for_selector(".messagelist .success")
    page.reload()
    assert "An earlier version gave the wrong number of routes." in page.locator(".corrections").inner_text()


def test_wire_desk_previews_and_imports_the_tempo_story(live_server, open_page):
    from tests.wire import TEMPO

    make_user("chief", superuser=True)
    desk = sign_in(open_page(), live_server, "chief")
    desk.goto(live_server.url + "/admin/articles/article/")
    desk.get_by_role("link", name="Import wire copy").click()
    desk.set_input_files("#id_files", str(TEMPO))
    desk.click("input[name=_preview]")
    assert "Preview: nothing has been saved yet" in desk.content()
    assert desk.locator(".wire-dateline").inner_text() == "Jakarta"
    assert desk.locator(".wire-source").inner_text() == "Tempo"
    desk.get_by_text("Details").click()
    assert "24 paragraphs in all" in desk.locator(".wire-outcome").inner_text()
    assert (
        desk.locator(".wire-related li").inner_text() == "UK, Norway Establish Joint Fleet to Track Russian Submarines"
    )
    assert "Google News" in desk.locator(".wire-removed").inner_text()
    assert Article.objects.count() == 0

    desk.click("input[name=_import]")
    desk.wait_for_selector(".messagelist")
    assert "1 created" in desk.locator(".messagelist").inner_text()
    desk.get_by_role("link", name="edit the draft").click()
    assert desk.input_value("#id_dateline") == "Jakarta"
    assert Article.objects.get().source.name == "Tempo"


def test_policy_violations_are_caught(live_server, browser, site):
    """The guard every browser test relies on: an inline script on a public page is blocked and reported."""
    from tests.browser import watch_policies

    context, problems = browser.new_context(), []
    watch_policies(context, problems)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("document.body.append(Object.assign(document.createElement('script'), {text: 'window.ran = 1'}))")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    context.close()
    assert len(problems) == 1 and problems[0].startswith("script-src-elem blocked inline"), problems


def test_article_json_ld_survives_the_policy(live_server, page, site):
    page.goto(live_server.url + site.get_absolute_url())
    data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["headline"] == "NATO answers Putin's war talk"


def test_editor_rewrites_an_article_body_in_the_change_form(live_server, open_page, site):
    make_user("chief", superuser=True)
    desk = sign_in(open_page(), live_server, "chief")
    desk.goto(live_server.url + f"/admin/articles/article/{site.pk}/change/")
    editor = desk.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    desk.keyboard.press("Control+A")
    desk.keyboard.type("Rewritten in the editor.")
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".messagelist .success")
    site.refresh_from_db()
    assert site.body == "<p>Rewritten in the editor.</p>"


def test_desk_styles_come_from_the_stylesheet(live_server, open_page):
    make_user("chief", superuser=True)
    desk = sign_in(open_page(), live_server, "chief")
    assert desk.locator(".desk__lists").evaluate("element => getComputedStyle(element).display") == "grid"
    desk.goto(live_server.url + "/admin/articles/article/import/")
    assert desk.locator(".wire-intro").evaluate("element => getComputedStyle(element).paddingLeft") == "16px"


def test_admin_pages_keep_to_the_policy(live_server, open_page, site):
    """Django's own admin pages, the history and its revert form (the body editor again) under the policy."""
    make_user("chief", superuser=True)
    desk = sign_in(open_page(), live_server, "chief")
    history = site.history.first()
    for path in [
        "/admin/articles/article/?status__exact=published&q=nato",
        f"/admin/articles/article/{site.pk}/history/",
        f"/admin/articles/article/{site.pk}/history/{history.pk}/",
        f"/admin/articles/article/{site.pk}/delete/",
        "/admin/articles/author/add/",
        "/admin/articles/section/",
        "/admin/auth/user/",
        "/admin/password_change/",
    ]:
        desk.goto(live_server.url + path)
        assert desk.locator("#content").count() == 1, path
    desk.goto(live_server.url + f"/admin/articles/article/{site.pk}/history/{history.pk}/")
    assert desk.locator(".ProseMirror[contenteditable=true]").count() == 1
