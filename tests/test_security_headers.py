"""Content-Security-Policy and Permissions-Policy on public pages, cached pages and the admin."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_author, make_section
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


@pytest.fixture
def story():
    world = make_section(name="World", slug="world")
    return make_article(
        headline="Summit opens", section=world, authors=[make_author(name="Dewi Lestari", slug="dewi-lestari")],
        tags=["NATO"], published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip


@pytest.mark.parametrize("url", ["/", "{article}", "/section/world/", "/tag/nato/", "/search/?q=summit", "/nowhere/"])
def test_public_pages_allow_only_their_own_origin_and_no_inline_code(client, story, url):
    response = client.get(url.format(article=story.get_absolute_url()))
    assert policy(response) == PUBLIC_POLICY


def test_a_page_served_from_the_cache_carries_the_same_policy(client, story):
    first = client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(story.get_absolute_url())
    assert len(queries) == 0  # served from the page cache
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "nonce" not in second["Content-Security-Policy"]
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


def test_article_page_keeps_its_json_ld_without_any_inline_script(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [' type="application/ld+json"']  # data for search engines, which CSP does not block
    assert ' style="' not in html and "<style" not in html


def test_permissions_policy_refuses_powerful_features(client, story):
    header = client.get("/")["Permissions-Policy"]
    features = dict(item.split("=") for item in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"):
        assert features[feature] == "()"


def test_admin_change_form_gives_the_editor_import_map_this_requests_nonce(editor_client, story):
    first = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    second = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    nonce = re.search(r"'nonce-([^']+)'", policy(first)["script-src"]).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]
    # The editor injects its own <style> elements.
    assert policy(first)["style-src"] == "'self' 'unsafe-inline'"


def test_admin_pages_without_inline_script_get_no_nonce(editor_client):
    response = editor_client.get(reverse("admin:articles_article_import"))
    assert policy(response)["script-src"] == "'self'"
    assert ' style="' not in response.content.decode()


def test_media_host_and_report_uri_come_from_the_environment():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from csp.utils import build_policy; print(build_policy())",
        MEDIA_URL="https://media.example.com/newsroom/",
        CSP_REPORT_URI="https://reports.example.com/csp",
    )
    header = result.stdout.strip()
    assert "img-src 'self' data: https://media.example.com;" in header
    assert header.endswith("; report-uri https://reports.example.com/csp")


def test_server_error_page_is_styled_by_a_stylesheet_not_inline():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<style" not in html and 'href="/static/css/error.css"' in html
