"""Fill the Wagtail peer's database: ``python -m bench.wagtail_peer.loader N`` inside bench/.wagtail-venv.

Migrates, builds a news index with N news pages from bench/dataset.py's Writer (same seed, same sizes
and the same mix of drafts, scheduled and published stories, authors and tags as our dataset), counts the SQL queries of
each page, and prints one ``PEERJSON {...}`` line for ``peer.run()``.

``add_child`` per page costs a treebeard lookup and parent update per page, so the pages are written
the way treebeard would write them, in bulk: each child's ``path`` is the parent's plus its position,
``depth`` is one more and the parent's ``numchild`` is set once.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import timedelta
from itertools import accumulate


def build(n: int, *, batch: int = 1000) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag
    from wagtail.models import Page, Site

    from bench import dataset
    from bench.wagtail_peer.news.models import Author, NewsIndexPage, NewsPage, NewsPageAuthor, NewsPageTag

    started = time.perf_counter()
    rng = random.Random(dataset.SEED)
    writer = dataset.Writer(rng)
    now = timezone.now()

    # The welcome page of a fresh install makes way for the news index, the site's root page.
    Page.objects.filter(depth=2).delete()
    home = Page.get_first_root_node().add_child(instance=NewsIndexPage(title="News", slug="news"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Wagtail peer")

    names = [f"{first} {last}" for first in dataset.FIRST for last in dataset.LAST]
    rng.shuffle(names)
    authors = Author.objects.bulk_create(Author(name=name) for name in names[:200])
    tag_names = dataset.name_pairs(
        rng, 2000, dataset.TAG_HEADS + dataset.WORDS[60:160], dataset.TAG_TAILS + dataset.WORDS[160:200]
    )
    tags = Tag.objects.bulk_create(Tag(name=name.title(), slug=slugify(name)) for name in tag_names)
    author_weights = list(accumulate(1 / (i + 5) for i in range(len(authors))))
    tag_weights = list(accumulate(1 / (i + 3) for i in range(len(tags))))

    span = int(timedelta(days=5 * 365).total_seconds())
    plan = []  # (sort key, live, date, go_live_at), the same draws as dataset.build()
    for _ in range(n):
        roll = rng.random()
        if roll < 0.05:
            plan.append((now, False, now, None))
        elif roll < 0.06:
            when = now + timedelta(hours=rng.randint(1, 24 * 30))
            plan.append((when, False, when, when))
        else:
            when = now - timedelta(seconds=rng.randint(60, span))
            plan.append((when, True, when, None))
    plan.sort(key=lambda row: row[0])

    content_type = ContentType.objects.get_for_model(NewsPage)
    for start in range(0, n, batch):
        parents, children = [], []
        for i, (_, live, date, go_live_at) in enumerate(plan[start : start + batch], start=start):
            title = writer.headline()
            paras = writer.paragraphs(rng.randint(520, 680))
            slug = f"{slugify(title)[:180]}-{i}"
            parents.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    locale_id=home.locale_id,
                    path=Page._get_path(home.path, home.depth + 1, i + 1),
                    depth=home.depth + 1,
                    numchild=0,
                    url_path=f"{home.url_path}{slug}/",
                    live=live,
                    has_unpublished_changes=not live,
                    first_published_at=date if live else None,
                    last_published_at=date if live else None,
                    go_live_at=go_live_at,
                )
            )
            children.append((date, writer.sentence(14, 30), "\n".join(f"<p>{p}</p>" for p in paras)))
        with transaction.atomic():
            parents = Page.objects.bulk_create(parents)
            rows = [
                NewsPage(page_ptr_id=parent.pk, date=date, intro=intro, body=body)
                for parent, (date, intro, body) in zip(parents, children, strict=True)
            ]
            # bulk_create refuses multi-table models; this is the INSERT it would run for the child table.
            NewsPage.objects._insert(rows, fields=NewsPage._meta.local_concrete_fields)
            credits, tagged = [], []
            for parent in parents:
                for position, author in enumerate(dataset._distinct(rng, authors, author_weights, rng.randint(1, 3))):
                    credits.append(NewsPageAuthor(page_id=parent.pk, author=author, sort_order=position))
                for tag in dataset._distinct(rng, tags, tag_weights, rng.randint(3, 8)):
                    tagged.append(NewsPageTag(content_object_id=parent.pk, tag=tag))
            NewsPageAuthor.objects.bulk_create(credits, batch_size=2000)
            NewsPageTag.objects.bulk_create(tagged, batch_size=2000)
    Page.objects.filter(pk=home.pk).update(numchild=n)
    # Page.find_problems() asks two queries per page (minutes at 10,000); the paths are unique (an index),
    # so the tree holds if every one of them is found as a child of the index, where numchild says.
    children = Page.objects.get(pk=home.pk).get_children().count()
    if children != n:
        raise RuntimeError(f"the page tree is broken: {children:,} children under the index, {n:,} written")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    newest = list(NewsPage.objects.live().order_by("-date")[:200])
    picks = sorted(rng.sample(newest, min(20, len(newest))), key=lambda page: page.pk)
    return {
        "pages": n,
        "seconds": time.perf_counter() - started,
        "news_paths": [page.get_url() for page in picks],
        "index_paths": [home.get_url()],
    }


def queries(pages: dict[str, list[str]]) -> dict[str, dict]:
    """Status, SQL queries and size of each page's first path, asked twice (the second, warm, is counted), as ours."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    report = {}
    for name, paths in pages.items():
        client.get(paths[0])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(paths[0])
        report[name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "bytes": len(response.content),
        }
    return report


def main() -> None:
    import django

    django.setup()
    import wagtail
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - started
    result = build(int(sys.argv[1]))
    pages = {"bare": ["/_bench/bare/"], "news page": result["news_paths"], "news index": result["index_paths"]}
    result |= {
        "migrate_seconds": migrated,
        "queries": queries(pages),
        "versions": f"Wagtail {wagtail.__version__}, Django {django.get_version()}",
    }
    print("PEERJSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
