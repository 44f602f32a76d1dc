"""Tag hygiene (issue #13, item 4): agency keywords are wire metadata, tags come from editors and the
existing vocabulary, and no new tag is in capitals or a case/accent twin of a tag or section."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles import ingest, services, tagging
from articles.models import Article
from articles.roles import create_roles
from articles.tagging import TagVocabulary, is_shouting
from tests.factories import make_article, make_section, make_user
from tests.test_admin import ADD, article_form
from tests.wire import sample

pytestmark = pytest.mark.django_db

EFE = "nitf/efe_nitf.xml"  # <keyword key="HONDURAS GOVERNMENT"/>
FED = "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml"  # IPTC subjects: "economy, business and finance", ...
TT = "newsml-g2/TT_newsmlg2_sample.xml"  # keywords with accents: "Konst, kultur och nöje"


@pytest.fixture(autouse=True)
def _roles(db):
    create_roles(Group, Permission)  # gone after a transactional test's flush on PostgreSQL


def import_sample(relative: str) -> Article:
    run = ingest.start_run()
    [outcome] = ingest.import_file(sample(relative).read_bytes(), relative, run=run)
    ingest.finish_run(run)
    assert outcome.status == "created", outcome.error
    return outcome.article


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


# --- the importer ------------------------------------------------------------------------------


def test_agency_keywords_in_capitals_are_kept_on_the_article_not_made_tags():
    article = import_sample(EFE)
    assert article.wire_keywords == ["HONDURAS GOVERNMENT"]
    assert not article.tags.exists()
    assert not Tag.objects.exists()


def test_iptc_subject_names_are_wire_metadata_too():
    article = import_sample(FED)
    assert article.wire_keywords == ["economy, business and finance", "central bank", "money and monetary policy"]
    assert not Tag.objects.exists()


def test_keywords_attach_existing_tags_whatever_their_case_and_accents():
    central_bank = Tag.objects.create(name="Central Bank")
    culture = Tag.objects.create(name="Konst, kultur och noje")
    assert list(import_sample(FED).tags.all()) == [central_bank]
    assert culture in import_sample(TT).tags.all()
    assert Tag.objects.count() == 2


def test_the_vocabulary_finds_tags_in_text_ignoring_case_and_accents_but_not_for_acronyms():
    vocabulary = TagVocabulary([("US", 1), ("Zürich", 2), ("Federal Reserve", 3), ("May", 4)])
    text = "Tell us about ZURICH, said the federal reserve; the US agreed in may."
    assert vocabulary.find(text) == [("Zürich", 2), ("Federal Reserve", 3), ("US", 1), ("May", 4)]
    assert vocabulary.find("Tell us more.") == []
    assert vocabulary.get("zurich") == ("Zürich", 2)
    assert vocabulary.matching(["FEDERAL RESERVE", "Honduras"], "In Zurich.") == [("Federal Reserve", 3), ("Zürich", 2)]


def test_a_newer_version_replaces_the_wire_keywords_of_an_untouched_draft():
    def ninjs(version: int, keywords: list[str]) -> bytes:
        import json

        return json.dumps(
            {"uri": "urn:test:keywords", "version": str(version), "headline": "Port strike", "type": "text",
             "body_text": "Dock workers walked out.", "keywords": keywords}
        ).encode()  # fmt: skip

    first = ingest.import_file(ninjs(1, ["PORTS"]), "v1.json")[0].article
    ingest.import_file(ninjs(2, ["PORTS", "LABOUR"]), "v2.json")
    first.refresh_from_db()
    assert first.wire_keywords == ["PORTS", "LABOUR"]


def test_importing_costs_no_query_per_tag_in_the_vocabulary(django_assert_max_num_queries):
    Tag.objects.bulk_create(Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(500))
    batch = ingest.ImportBatch()
    raw = sample(FED).read_bytes()
    with CaptureQueriesContext(connection) as ctx:
        ingest.import_file(raw, "fed.xml", batch=batch)
    assert not any('FROM "taggit_tag"' in query["sql"] for query in ctx.captured_queries)


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, shouting",
    [
        ("HONDURAS GOVERNMENT", True),
        ("HONDURAS", True),
        ("NATO SUMMIT", True),
        ("NATO", False),
        ("UNESCO", False),
        ("COVID-19", False),
        ("G7", False),
        ("S&P 500", False),
        ("Honduras government", False),
        ("2024", False),
    ],
)
def test_capitals_are_shouting_unless_an_acronym(name, shouting):
    assert is_shouting(name) is shouting


def test_typed_names_map_to_the_existing_tag_or_section_and_capitals_are_refused():
    Tag.objects.create(name="Zürich")
    make_section(name="Economy", slug="economy")
    assert tagging.tag_names(["zurich", "  ECONOMY ", "Port strike", "ZÜRICH"]) == ["Zürich", "Economy", "Port strike"]
    with pytest.raises(ValidationError) as refused:
        tagging.tag_names(["Port strike", "HONDURAS GOVERNMENT"])
    assert "Honduras Government" in refused.value.messages[0]


# --- the change form ---------------------------------------------------------------------------


def test_new_tags_in_capitals_are_refused_by_the_form(editor_client):
    response = editor_client.post(ADD, article_form(new_tags="Elections, HONDURAS GOVERNMENT"))
    assert response.status_code == 200
    assert "is in capitals" in response.content.decode()
    assert not Article.objects.exists() and not Tag.objects.exists()


def test_new_tags_that_twin_a_tag_or_section_become_that_tag(editor_client):
    zurich = Tag.objects.create(name="Zürich")
    make_section(name="Economy", slug="economy")
    response = editor_client.post(ADD, article_form(new_tags="zurich, economy, Port strike"))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["Economy", "Port strike", "Zürich"]
    assert zurich in article.tags.all()
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Economy", "Port strike", "Zürich"]


def test_the_change_form_shows_wire_keywords_and_suggests_existing_tags(editor_client):
    article = import_sample(FED)
    central_bank = Tag.objects.create(name="Central Bank")  # made after the import: a suggestion, not a tag yet
    html = editor_client.get(change_url(article)).content.decode()
    assert "economy, business and finance, central bank, money and monetary policy" in html
    assert f'data-tag-id="{central_bank.pk}" data-tag-name="Central Bank"' in html
    assert "admin/js/tag_suggestions" in html

    article.tags.add(central_bank)
    html = editor_client.get(change_url(article)).content.decode()
    assert f'data-tag-id="{central_bank.pk}"' not in html  # already on it


def test_the_change_form_costs_the_same_queries_however_large_the_vocabulary(editor_client):
    article = import_sample(FED)
    editor_client.get(change_url(article))  # the session and content types, once
    counts = []
    for size in (5, 500):
        Tag.objects.bulk_create(Tag(name=f"Topic {size}-{i}", slug=f"topic-{size}-{i}") for i in range(size))
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(change_url(article)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_readers_never_see_the_wire_keywords():
    article = import_sample(FED)
    article.section = make_section()
    article.save()
    services.article_publish(article=article)
    article.refresh_from_db()
    assert article.is_published()
    reader = Client()
    for url in [article.get_absolute_url(), "/feeds/rss/", "/api/ninjs/", f"/api/ninjs/{article.pk}/"]:
        response = reader.get(url)
        assert response.status_code == 200 and "Fed to halt QE" in response.content.decode(), url
        assert "money and monetary policy" not in response.content.decode(), url
    assert reader.get("/tag/central-bank/").status_code == 404


# --- the tag admin ------------------------------------------------------------------------------


def test_the_tag_admin_refuses_capitals_and_twins_but_lets_a_tag_fix_its_own_case(client):
    client.force_login(make_user("chief", superuser=True))
    add = reverse("admin:taggit_tag_add")
    shouting = Tag.objects.create(name="HONDURAS GOVERNMENT", slug="honduras-government")  # from an old import
    make_section(name="Economy", slug="economy")

    for name, problem in [
        ("HONDURAS", "is in capitals"),
        ("honduras government", "There is already a tag"),
        ("economy", "Spell it as the section is"),
    ]:
        response = client.post(add, {"name": name, "slug": "x", "taggit_taggeditem_items-TOTAL_FORMS": "0",
                                     "taggit_taggeditem_items-INITIAL_FORMS": "0"})  # fmt: skip
        assert response.status_code == 200 and problem in response.content.decode(), name
    assert Tag.objects.count() == 1

    change = reverse("admin:taggit_tag_change", args=[shouting.pk])
    response = client.post(change, {"name": "Honduras government", "slug": shouting.slug,
                                    "taggit_taggeditem_items-TOTAL_FORMS": "0",
                                    "taggit_taggeditem_items-INITIAL_FORMS": "0"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    shouting.refresh_from_db()
    assert shouting.name == "Honduras government"


def test_merging_tags_into_a_name_in_capitals_is_refused(client):
    client.force_login(make_user("chief", superuser=True))
    story = make_article(tags=["HONDURAS GOVERNMENT", "Honduran government"])
    old = list(Tag.objects.all())
    session = client.session
    session["selected_tag_ids"] = ",".join(str(tag.pk) for tag in old)
    session.save()
    merge = reverse("admin:taggit_tag_merge_tags")

    response = client.post(merge, {"new_tag_name": "HONDURAN GOVERNMENT"}, follow=True)
    assert "is in capitals" in response.content.decode()
    assert not Tag.objects.filter(name="HONDURAN GOVERNMENT").exists()

    response = client.post(merge, {"new_tag_name": "Government of Honduras"})
    assert response.status_code == 302
    assert list(story.tags.names()) == ["Government of Honduras"]
