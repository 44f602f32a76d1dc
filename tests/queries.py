"""Query ceilings: a page must cost the same for 5 articles as for 50."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.caching import local_pages
from tests.factories import make_rich_archive, make_section


def queries_for(client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries)


def archive_query_counts(client, url_for) -> list[int]:
    """Queries for ``url_for(articles)`` over a 5- and a 50-article rich archive (fresh section, authors, tags),
    each measured with an empty cache."""
    counts = []
    for size in (5, 50):
        articles = make_rich_archive(size, section=make_section())
        cache.clear()
        local_pages.clear()
        counts.append(queries_for(client, url_for(articles)))
    return counts
