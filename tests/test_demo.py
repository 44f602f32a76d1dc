"""``load_demo``: what ``make run`` shows must look like a newspaper today, and give the desk something to do."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from articles.dashboard import desk_dashboard
from articles.models import Article, Correction, FrontPagePin, LiveUpdate
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_the_demo_is_today_s_news_without_placeholders_or_doubled_datelines(demo):
    public = list(Article.objects.published())
    assert len(public) >= 20
    day_ago = timezone.now() - timedelta(days=2)
    assert all(article.published_at > day_ago for article in public), "every story is recent"
    for article in Article.objects.all():
        text = f"{article.headline} {article.dek} {article.body}"
        assert not re.search(r"lorem|ipsum|luptat|feugait", text, re.I), article.headline
        first = re.sub(r"<[^>]+>", "", article.body)[:80]
        assert not first.upper().startswith(article.dateline.upper().split(",")[0]), article.headline
        assert not re.match(r"\(|[A-Z ,]{4,}\s*[-—(]", first), f"a dateline left in the body: {first}"


def test_the_home_page_has_a_pinned_lead_with_its_picture_and_standfirst(demo, client):
    lead = FrontPagePin.objects.get(section=None, position=1).article
    assert lead.is_published() and lead.image and lead.dek
    renditions = Path(settings.MEDIA_ROOT) / "renditions" / Path(lead.image.name).parent
    assert sorted(p.name for p in renditions.glob(Path(lead.image.name).stem + "-*")), "renditions were made"
    html = client.get("/").content.decode()
    lead_card = html[html.index("card--lead") : html.index("front__top")]
    assert lead.headline in lead_card and lead.dek in lead_card and "<img " in lead_card
    assert html.count("<img ") >= 5
    assert html.count('class="section-block"') == 5


def test_the_lead_is_a_running_live_page_with_key_points(demo, client):
    lead = FrontPagePin.objects.get(section=None, position=1).article
    updates = list(lead.live_updates.posted().newest_first())
    assert lead.is_live and lead.live_ended_at is None and len(updates) == 5
    assert [u.posted_at for u in updates] == sorted((u.posted_at for u in updates), reverse=True)
    assert all(lead.published_at <= u.posted_at < timezone.now() for u in updates), "posted since it went out"
    html = client.get(lead.get_absolute_url()).content.decode()
    assert "live-badge" in html and html.count('class="live-update') >= 5 and "key-points" in html
    home = client.get("/").content.decode()
    assert "live-badge__label" in home[home.index("card--lead") : home.index("front__top")], "the card says Live"


def test_the_desk_dashboard_has_something_in_every_panel(demo):
    request = RequestFactory().get("/admin/")
    request.user = make_user("chief", superuser=True)
    desk = desk_dashboard(request)
    for panel in ("in_review", "scheduled", "needs_headline", "killed"):
        assert desk[panel], panel
    assert Article.objects.filter(embargoed_until__gt=timezone.now(), status="published").exists()
    correction = Correction.objects.get()
    assert correction.article.is_published()


def test_loading_the_demo_again_makes_nothing_twice(demo):
    def counts():
        return [model.objects.count() for model in (Article, FrontPagePin, Correction, LiveUpdate)]

    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before
