"""The desk's overview on the admin index: what needs attention now."""

from datetime import timedelta

from django.utils import timezone

from .models import Article, ImportRun

ROWS = 8


def desk_dashboard(request) -> dict | None:
    if not request.user.has_perm("articles.view_article"):
        return None
    now = timezone.now()
    articles = Article.objects.select_related("section").only(
        "headline", "slug", "status", "published_at", "created_at", "section__name"
    )
    return {
        "in_review": list(articles.filter(status=Article.Status.REVIEW).order_by("-updated_at")[:ROWS]),
        "scheduled": list(
            articles.scheduled().filter(published_at__lte=now + timedelta(hours=24)).order_by("published_at")[:ROWS]
        ),
        "needs_headline": list(articles.filter(needs_headline=True).exclude(status="published")[:ROWS]),
        "killed": list(articles.filter(wire_canceled=True, kill_acknowledged_at__isnull=True)[:ROWS]),
        "recent_imports": list(ImportRun.objects.select_related("user")[:5]),
    }
