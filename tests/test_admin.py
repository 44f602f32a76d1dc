import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author, make_ready_article, make_rich_archive, make_section, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def inline_management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(**fields) -> dict:
    data = {
        "headline": "Written in the admin",
        "slug": "written-in-the-admin",
        "body": "<p>Fresh copy from the desk.</p>",
        "status": "draft",
        "language": "en",
        "new_tags": "Elections, Budget",
    }
    data |= inline_management("authorships") | inline_management("related_links") | inline_management("corrections")
    return data | fields


def test_changelist_query_count_does_not_grow(editor_client):
    counts = []
    for size in (5, 50):
        make_rich_archive(size)
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(CHANGELIST)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 14


def test_changelist_shows_bylines_status_and_source(editor_client):
    author = make_author(name="Hannah Weber")
    make_article(headline="Listed story", authors=[author], section=make_section(name="Europe"))
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Listed story" in html and "Hannah Weber" in html and "Europe" in html
    assert "Import wire copy" in html


def test_editor_creates_and_publishes_through_the_form(editor_client):
    author = make_author(name="Kenji Sato")
    target = make_article(headline="Background piece")
    data = article_form(status="published", published_at_0="2025-01-02", published_at_1="10:00:00")
    data |= {"section": make_section().pk}
    data |= inline_management("authorships", 1) | {"authorships-0-author": author.pk, "authorships-0-position": 0}
    data |= inline_management("related_links", 1) | {
        "related_links-0-target": target.pk,
        "related_links-0-position": 0,
    }
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="written-in-the-admin")
    assert article.is_published()
    assert article.byline_authors == [author]
    assert sorted(t.name for t in article.tags.all()) == ["Budget", "Elections"]
    assert article.related_links.get().target == target


def test_publish_and_unpublish_actions(editor_client):
    draft = make_ready_article(status="draft")
    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published()
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.is_published()


def test_killed_wire_story_cannot_be_published(editor_client):
    killed = make_article(status="draft", wire_canceled=True)
    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [killed.pk]})
    killed.refresh_from_db()
    assert killed.status == "draft"


def test_user_without_publish_permission_cannot_publish(client):
    reporter = make_user(
        "reporter",
        perms=["articles.view_article", "articles.add_article", "articles.change_article"],
    )
    client.force_login(reporter)
    draft = make_article(status="draft")
    response = client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert response.status_code in (200, 302)
    # "Published" is not among their status choices: the form refuses it.
    response = client.post(ADD, article_form(status="published"))
    assert response.status_code == 200
    assert not Article.objects.filter(slug="written-in-the-admin").exists()


def test_view_on_site_works_for_drafts(editor_client):
    draft = make_article(status="draft")
    change = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert "View on site" in change.content.decode()
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Not published." in response.content.decode()


def test_admin_index_has_a_desk_dashboard(editor_client):
    make_article(headline="Waiting for review", status="review")
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Write an article" in html
    assert "In review" in html and "Waiting for review" in html


def test_tag_autocomplete_answers(editor_client):
    make_article(tags=["Elections"])
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Elec", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Elections"]


def test_import_page_needs_its_own_permission(client):
    client.force_login(make_user("viewer", perms=["articles.view_article"]))
    assert client.get(reverse("admin:articles_article_import")).status_code == 403
