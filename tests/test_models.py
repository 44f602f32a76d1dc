from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, RelatedLink, WireSource
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

NOW = timezone.now()
PAST, FUTURE = NOW - timedelta(hours=1), NOW + timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "published_at", "embargoed_until", "public"),
    [
        ("published", PAST, None, True),
        ("published", FUTURE, None, False),  # scheduled
        ("published", None, None, True),  # save() stamps now
        ("published", PAST, FUTURE, False),  # embargoed
        ("published", PAST, PAST, True),  # embargo passed
        ("draft", PAST, None, False),
        ("review", PAST, None, False),
        ("draft", None, None, False),
    ],
)
def test_published_matrix(status, published_at, embargoed_until, public):
    article = Article.objects.create(
        headline="Matrix", slug="matrix", body="<p>x</p>", status=status, published_at=published_at,
        embargoed_until=embargoed_until,
    )  # fmt: skip
    assert (article in Article.objects.published()) is public
    assert article.is_published() is public


def test_scheduled_article_goes_public_when_its_time_comes():
    article = make_article(published_at=timezone.now() + timedelta(seconds=1))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.is_scheduled()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_create_with_only_the_basic_fields():
    article = Article.objects.create(
        headline="Minimal", slug="minimal", body="<p>One two three</p>", status="draft", published_at=None
    )
    article.refresh_from_db()
    assert article.word_count == 3
    assert article.reading_time == 1
    assert article.language == "en"
    assert article.section is None


def test_body_is_sanitised_on_save():
    article = make_article(
        body='<p onclick="evil()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        "<style>p{}</style><img src=x onerror=alert(1)><strong>bold</strong></p>"
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "onerror" not in article.body
    assert "<style" not in article.body
    assert "<strong>bold</strong>" in article.body


def test_slug_is_derived_and_unique():
    first = Article.objects.create(headline="Same headline", body="", status="draft")
    second = Article.objects.create(headline="Same headline", body="", status="draft")
    assert first.slug == "same-headline"
    assert second.slug == "same-headline-2"


def test_absolute_url_is_dated_canonical_path():
    article = make_article(slug="a-story", published_at=datetime(2025, 3, 7, 12, tzinfo=UTC))
    assert article.get_absolute_url() == "/2025/03/07/a-story/"
    assert str(article) == article.headline


def test_str_and_urls_of_other_models():
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Lovelace", slug="ada-lovelace")
    assert str(section) == "World" and section.get_absolute_url() == "/section/world/"
    assert str(author) == "Ada Lovelace" and author.get_absolute_url() == "/author/ada-lovelace/"
    link = RelatedLink.objects.create(article=make_article(), url="https://example.org/x", title="Elsewhere")
    assert str(link) == "Elsewhere" and link.href == "https://example.org/x"
    assert str(WireSource.objects.create(name="Test Agency")) == "Test Agency"


def test_bylines_keep_their_order():
    first, second = make_author(name="Zed"), make_author(name="Abe")
    article = make_article(authors=[first, second])
    fetched = Article.objects.with_bylines().get(pk=article.pk)
    assert [a.name for a in fetched.byline_authors] == ["Zed", "Abe"]


def test_related_links_to_drafts_are_not_public():
    draft = make_article(status="draft")
    live = make_article()
    article = make_article(links=[draft, live])
    RelatedLink.objects.create(article=article, title="Unresolved wire title", position=5)
    assert [link.target for link in article.public_related_links()] == [live]


def test_one_article_per_agency_story_id_is_a_database_rule():
    source = WireSource.objects.create(name="Agency")
    make_article(source=source, source_story_id="abc")
    with pytest.raises(IntegrityError):
        make_article(source=source, source_story_id="abc")


def test_articles_without_story_id_do_not_collide():
    source = WireSource.objects.create(name="Agency")
    make_article(source=source)
    make_article(source=source)
    assert Article.objects.filter(source=source).count() == 2


def test_remembered_urls_follow_the_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    author = make_author(name="Dewi Lestari", slug="dewi-lestari")
    assert author.get_absolute_url() == "/author/dewi-lestari/"
    before = get_script_prefix()
    set_script_prefix("/news/")
    try:
        assert author.get_absolute_url() == "/news/author/dewi-lestari/"
    finally:
        set_script_prefix(before)
    assert author.get_absolute_url() == "/author/dewi-lestari/"


@pytest.mark.parametrize(
    ("names", "text"),
    [
        ([], ""),
        (["Ana Costa"], "By Ana Costa"),
        (["Ana Costa", "Ben <b>Weber</b>"], "By Ana Costa and Ben &lt;b&gt;Weber&lt;/b&gt;"),
        (["Ana Costa", "Ben Weber", "Chloe Ito"], "By Ana Costa, Ben Weber and Chloe Ito"),
    ],
)
def test_byline_names_every_author_with_a_link_to_their_page(names, text):
    import re

    from articles.markup import byline

    authors = [make_author(name=name, slug=f"author-{i}") for i, name in enumerate(names)]
    html = byline(authors)
    assert re.sub(r"<a [^>]*>|</a>|</?span[^>]*>", "", html) == text
    assert [f'href="/author/author-{i}/"' in html for i in range(len(names))] == [True] * len(names)
