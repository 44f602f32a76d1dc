"""Small helpers that make test data (no factory library needed)."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article, Author, Authorship, RelatedLink, Section

_counter = itertools.count(1)


def make_section(**fields) -> Section:
    n = next(_counter)
    return Section.objects.create(**{"name": f"Section {n}", "slug": f"section-{n}"} | fields)


def make_author(**fields) -> Author:
    n = next(_counter)
    return Author.objects.create(**{"name": f"Author {n}", "slug": f"author-{n}"} | fields)


def make_article(*, authors=(), tags=(), links=(), **fields) -> Article:
    n = next(_counter)
    defaults = {
        "headline": f"Story number {n}",
        "body": f"<p>Body of story {n} with several words.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=n),
    }
    article = Article.objects.create(**defaults | fields)
    for position, author in enumerate(authors):
        Authorship.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    for position, target in enumerate(links):
        RelatedLink.objects.create(article=article, target=target, position=position)
    return article


def make_ready_article(**fields) -> Article:
    """An article that passes the publishing checklist: a section and a credit besides its headline."""
    return make_article(**{"section": make_section(), "credit": "Newsroom staff"} | fields)


def make_rich_archive(count: int, *, section=None) -> list[Article]:
    """``count`` published articles, each with 3 authors, 4 tags and 2 related links."""
    section = section or make_section()
    authors = [make_author() for _ in range(6)]
    articles = []
    for i in range(count):
        links = articles[-2:] if len(articles) >= 2 else []
        articles.append(
            make_article(
                section=section,
                authors=authors[i % 3 : i % 3 + 3],
                tags=[f"topic-{(i + k) % 7}" for k in range(4)],
                links=links,
            )
        )
    return articles


def make_user(username: str, *, staff=True, perms=(), superuser=False):
    users = get_user_model()
    if superuser:
        return users.objects.create_superuser(username, f"{username}@example.com", "pw-for-tests-1")
    user = users.objects.create_user(username, f"{username}@example.com", "pw-for-tests-1", is_staff=staff)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def make_summit_story(*, age: timedelta) -> Article:
    """The caching tests' story: public for ``age``, in World, by Dewi Lestari, tagged NATO."""
    world = make_section(name="World", slug="world")
    dewi = make_author(name="Dewi Lestari", slug="dewi-lestari")
    return make_article(
        headline="Summit opens", section=world, authors=[dewi], tags=["NATO"], published_at=timezone.now() - age
    )
