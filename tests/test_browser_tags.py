"""Tag suggestions in a real browser: one click adds an existing tag to the autocomplete field, saving
keeps it, nothing breaks the Content-Security-Policy, and a long list of suggestions still fits 1280 px."""

import re

import pytest
from taggit.models import Tag

from articles import ingest
from articles.sanitize import strip_tags
from tests.browser import overflow, sign_in
from tests.factories import make_user
from tests.wire import sample

FED = "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_one_click_adds_a_suggested_tag_and_saving_keeps_it(live_server, open_page):
    make_user("chief", superuser=True)
    [outcome] = ingest.import_file(sample(FED).read_bytes(), "fed.xml")
    article = outcome.article
    central_bank = Tag.objects.create(name="Central Bank")  # named by the agency's keywords
    words = list(dict.fromkeys(re.findall(r"\b[a-z]{6,}\b", strip_tags(article.body))))[:40]
    Tag.objects.bulk_create(Tag(name=word.title(), slug=word) for word in words)  # found in the text

    page = sign_in(open_page(), live_server, "chief", width=1280)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    assert page.locator(".tag-suggestion").count() == 1 + len(words)
    assert overflow(page) == 0
    assert "money and monetary policy" in page.inner_text(".field-agency_keywords")

    page.click(f'.tag-suggestion[data-tag-id="{central_bank.pk}"]')
    assert page.is_disabled(f'.tag-suggestion[data-tag-id="{central_bank.pk}"]')
    assert "Central Bank" in page.inner_text(".field-tag_choices .select2-selection")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    assert list(article.tags.all()) == [central_bank]
    assert page.locator(f'.tag-suggestion[data-tag-id="{central_bank.pk}"]').count() == 0
