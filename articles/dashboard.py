"""The desk's overview on the admin index: what needs attention now."""

from datetime import timedelta

from django.utils import timezone

from .models import Article, Channel, ImportRun

ROWS = 8


def desk_dashboard(request) -> dict | None:
    if not request.user.has_perm("articles.view_article"):
        return None
    now = timezone.now()
    articles = Article.objects.select_related("section").only(
        "headline", "slug", "status", "published_at", "embargoed_until", "created_at", "section__name"
    )
    return {
        "incoming": list(Article.objects.incoming().group_leads().for_queue().order_by("-created_at", "-pk")[:ROWS]),
        "in_review": list(articles.filter(status=Article.Status.REVIEW).order_by("-updated_at")[:ROWS]),
        "scheduled": list(
            articles.scheduled().filter(published_at__lte=now + timedelta(hours=24)).order_by("published_at")[:ROWS]
        ),
        "embargoed": list(
            articles.filter(embargoed_until__gt=now, wire_canceled=False).order_by("embargoed_until", "pk")[:ROWS]
        ),
        "needs_headline": list(articles.filter(needs_headline=True).exclude(status="published")[:ROWS]),
        "killed": list(articles.filter(wire_canceled=True, kill_acknowledged_at__isnull=True)[:ROWS]),
        "recent_imports": list(ImportRun.objects.select_related("user")[:5]),
        "channels": channel_states(now),
    }


def timesince_text(delta: timedelta) -> str:
    """ "47 min", "3 h 5 min", "2 days": how long a channel has been quiet, for a glance."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def channel_states(now) -> list[dict]:
    """Each channel's last poll and new story, its failures, and whether it has gone quiet."""
    states = []
    for channel in Channel.objects.filter(enabled=True).only(
        "name",
        "kind",
        "last_polled_at",
        "last_new_story_at",
        "failures",
        "last_error",
        "quiet_after",
        "created_at",
        "enabled",
    ):
        quiet = channel.quiet_for(now)
        states.append(
            {
                "channel": channel,
                "quiet": f"{channel.name}: nothing for {timesince_text(quiet)}" if quiet else "",
                "failing": channel.failures > 0,
            }
        )
    return states
