"""Launching Debian's chromium for Playwright, or skipping with a reason."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    reason = f"no Chromium at {CHROMIUM}: apt-get install -y chromium"
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make around it are still synchronous and safe.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation to the test, whatever page or frame it happens in.
REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.reportPolicyViolation(
  `${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile || event.documentURI}` +
  `:${event.lineNumber} (${event.sample})`));
"""


def watch_policies(context, problems: list[str]) -> None:
    """Collect CSP violations, and the console's complaints about the Permissions-Policy header, into ``problems``."""
    context.expose_binding("reportPolicyViolation", lambda source, text: problems.append(text))
    context.add_init_script(REPORT_POLICY_VIOLATIONS)
    context.on("console", lambda message: "Permissions-Policy" in message.text and problems.append(message.text))


@pytest.fixture
def open_page(browser):
    """Opens pages, each in a fresh context; the test fails if any of them saw a policy violation."""
    contexts, problems = [], []

    def open_page():
        context = browser.new_context()
        watch_policies(context, problems)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "The browser reported policy problems:\n" + "\n".join(problems)


@pytest.fixture
def page(open_page):
    return open_page()


def serious_violations(page) -> list[str]:
    """axe-core violations of impact serious or critical on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page, live_server, username: str, *, width: int = 1280):
    """Sign ``username`` (the factories' password) into the admin on ``page``, ``width`` px wide."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
