import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from tests.factories import make_article, make_author
from tests.queries import archive_query_counts
from tests.test_feeds import GIF

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"


def _validator() -> Draft202012Validator:
    ninjs = json.loads((SCHEMAS / "ninjs-schema_2.1.json").read_text())
    geojson = json.loads((SCHEMAS / "GeoJSON-schema.json").read_text())
    # Every $ref resolves locally: nothing is fetched.
    registry = Registry().with_resources(
        [(geojson["$id"], Resource.from_contents(geojson)), (ninjs["$id"], Resource.from_contents(ninjs))]
    )
    return Draft202012Validator(ninjs, registry=registry, format_checker=FormatChecker())


VALIDATOR = _validator()


def assert_valid_ninjs(document: dict) -> None:
    errors = [f"{list(error.path)}: {error.message}" for error in VALIDATOR.iter_errors(document)]
    assert errors == []


@pytest.fixture
def story(world):
    dewi = make_author(name="Dewi Lestari", slug="dewi-lestari")
    return make_article(
        headline="NATO answers Putin",
        kicker="Analysis",
        dek="The alliance says it is ready.",
        body="<p>The exchange of rhetoric intensified.</p>",
        dateline="Jakarta",
        section=world,
        authors=[dewi, make_author(name="Kenji Sato", slug="kenji-sato")],
        tags=["NATO"],
        image=SimpleUploadedFile("summit.gif", GIF, content_type="image/gif"),
        image_caption="At the summit.",
        image_alt="Leaders at a table",
        image_credit="Photo: Agency",
        published_at=timezone.now() - timedelta(hours=1),
    )


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response, response.json()


def test_document_is_valid_ninjs_with_the_article(client, story):
    response, doc = get_json(client, f"/api/ninjs/{story.pk}/")
    assert_valid_ninjs(doc)
    assert doc["uri"] == f"http://127.0.0.1:8000/api/ninjs/{story.pk}/"
    assert doc["standard"] == {
        "name": "ninjs", "version": "2.1", "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
    }  # fmt: skip
    assert doc["headlines"] == [{"role": "main", "value": "NATO answers Putin"}]
    assert doc["descriptions"][0]["value"] == "The alliance says it is ready."
    assert doc["bodies"][0] == {
        "role": "main", "contenttype": "text/html", "value": story.body, "wordcount": story.word_count,
    }  # fmt: skip
    assert doc["by"] == "Dewi Lestari, Kenji Sato"
    assert doc["located"] == "Jakarta"
    assert doc["versioncreated"] == story.updated_at.isoformat()
    assert [(s["name"], s["rel"]) for s in doc["subjects"]] == [("World", "section"), ("NATO", "about")]
    assert doc["associations"][0]["renditions"][0]["href"] == f"http://127.0.0.1:8000{story.image.url}"
    assert doc["renditions"][0]["href"] == f"http://127.0.0.1:8000{story.get_absolute_url()}"
    assert response["Last-Modified"]


def test_minimal_article_is_valid_ninjs_too(client):
    bare = make_article(headline="Bare", body="")
    _, doc = get_json(client, f"/api/ninjs/{bare.pk}/")
    assert_valid_ninjs(doc)


@pytest.mark.parametrize(
    "fields",
    [{"status": "draft"}, {"status": "review"}, {"published_at": timezone.now() + timedelta(days=1)},
     {"embargoed_until": timezone.now() + timedelta(days=1)}],
)  # fmt: skip
def test_unpublished_articles_are_not_served(client, world, fields):
    hidden = make_article(headline="Hidden", section=world, **fields)
    get_json(client, f"/api/ninjs/{hidden.pk}/", status=404)
    _, listing = get_json(client, "/api/ninjs/")
    assert listing["items"] == []


def test_list_is_ordered_filtered_and_paginated(client, world, story):
    now = timezone.now()
    make_article(headline="Older", published_at=now - timedelta(days=2), tags=["NATO"])
    make_article(headline="Newer", published_at=now - timedelta(minutes=5), section=world)
    _, listing = get_json(client, "/api/ninjs/")
    for doc in listing["items"]:
        assert_valid_ninjs(doc)
    assert [d["headlines"][0]["value"] for d in listing["items"]] == ["Older", "NATO answers Putin", "Newer"]
    since = (now - timedelta(days=1)).isoformat()

    def headlines(query):
        return [d["headlines"][0]["value"] for d in client.get("/api/ninjs/", query).json()["items"]]

    assert headlines({"since": since}) == ["NATO answers Putin", "Newer"]
    assert headlines({"section": "world"}) == ["NATO answers Putin", "Newer"]
    assert headlines({"tag": "nato"}) == ["Older", "NATO answers Putin"]
    assert headlines({"author": "dewi-lestari"}) == ["NATO answers Putin"]
    assert headlines({"since": (timezone.localdate() + timedelta(days=1)).isoformat()}) == []  # a bare date
    assert client.get("/api/ninjs/", {"since": "yesterday"}).status_code == 400


def test_pages_follow_each_other_with_next_links(client, world):
    for i in range(45):
        make_article(headline=f"Story {i:02d}", published_at=timezone.now() - timedelta(minutes=100 - i))
    response, first = get_json(client, "/api/ninjs/?section=")
    assert len(first["items"]) == 20 and first["previous"] is None
    assert first["next"] == "http://127.0.0.1:8000/api/ninjs/?section=&page=2"
    assert response["Link"] == f'<{first["next"]}>; rel="next"'
    third = client.get("/api/ninjs/?page=3").json()
    assert [d["headlines"][0]["value"] for d in third["items"]] == [f"Story {i:02d}" for i in range(40, 45)]
    assert third["next"] is None
    get_json(client, "/api/ninjs/?page=9", status=404)


def test_cors_preflight_and_read_only(client, story):
    preflight = client.options("/api/ninjs/")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.post("/api/ninjs/").status_code == 405


def test_conditional_get(client, story):
    url = f"/api/ninjs/{story.pk}/"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("url", ["/api/ninjs/", "/api/ninjs/?tag=topic-1", "/api/ninjs/{pk}/"])
def test_query_count_does_not_grow_with_the_archive(client, url):
    counts = archive_query_counts(client, lambda articles: url.format(pk=articles[-1].pk))
    # The page, bylines, tags, and the other agencies' published copies (associations).
    assert counts[0] == counts[1] and counts[1] <= 5, counts
