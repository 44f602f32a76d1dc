"""Front pages the editors make: pins on the home page and section fronts, the page cache, the admin."""

import re
import time
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import selectors
from articles.caching import local_pages
from articles.models import Article, FrontPagePin
from articles.roles import REPORTERS, WIRE_DESK
from tests.factories import make_article, make_author, make_section, make_user

pytestmark = pytest.mark.django_db

PIN_ADD = reverse("admin:articles_frontpagepin_add")
PIN_CHANGELIST = reverse("admin:articles_frontpagepin_changelist")


def pin(article, *, section=None, position=1, **fields) -> FrontPagePin:
    return FrontPagePin.objects.create(article=article, section=section, position=position, **fields)


def lead_headline(html: str) -> str:
    return re.search(r'card--lead">.*?class="card__headline"><a [^>]+>([^<]+)<', html, re.S).group(1)


def story_links(html: str) -> list[str]:
    """The article addresses the page links to, once per link."""
    return re.findall(r'href="(/\d{4}/\d\d/\d\d/[^"]+)"', html)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def jpeg(width=1600, height=1000) -> ContentFile:
    out = BytesIO()
    Image.new("RGB", (width, height), (120, 140, 160)).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="picture.jpg")


@pytest.fixture
def world():
    return make_section(name="World", slug="world")


@pytest.fixture
def stories(world):
    """Twenty public stories, newest first."""
    author = make_author(name="Dewi Lestari", slug="dewi-lestari")
    now = timezone.now()
    return [
        make_article(
            headline=f"World story {n}", section=world, authors=[author], published_at=now - timedelta(hours=n)
        )
        for n in range(1, 21)
    ]


# The model


def test_pin_str_url_and_times(stories, world):
    home, front = pin(stories[3]), pin(stories[3], section=world, position=2)
    assert str(home) == "World story 4 on Home page, position 1"
    assert str(front) == "World story 4 on World, position 2"
    assert home.get_absolute_url() == "/" and front.get_absolute_url() == "/section/world/"
    assert home.is_showing()
    ended = FrontPagePin(article=stories[0], starts_at=timezone.now(), ends_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="end after it starts"):
        ended.full_clean()


def test_a_story_is_pinned_once_per_page(stories, world):
    pin(stories[0])
    pin(stories[0], section=world)  # another page: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        pin(stories[0], position=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        pin(stories[0], section=world, position=2)


# The home page


def pks(stories) -> list[int]:
    return [story.pk for story in stories]


def test_the_pinned_lead_and_top_stories_come_first_in_the_editors_order(client, stories):
    pin(stories[9], position=1)
    pin(stories[5], position=3)
    pin(stories[12], position=2)
    page = selectors.home_page()
    assert page["lead"].pk == stories[9].pk
    assert pks(page["top_stories"][:2]) == pks([stories[12], stories[5]])
    # What is not pinned falls back to the newest.
    assert pks(page["top_stories"][2:]) == pks(stories[:2])
    assert pks(page["latest"]) == pks([s for s in stories if s not in (stories[9], stories[12], stories[5])][2:10])
    html = client.get("/").content.decode()
    assert lead_headline(html) == "World story 10"


def test_at_the_same_position_the_latest_pin_wins(stories):
    pin(stories[4], starts_at=timezone.now() - hours(2))
    pin(stories[8], starts_at=timezone.now() - hours(1))
    assert selectors.home_page()["lead"].pk == stories[8].pk


def test_without_pins_the_newest_story_leads(client, stories):
    assert lead_headline(client.get("/").content.decode()) == "World story 1"


@pytest.mark.parametrize(
    "unseen",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"published_at": timezone.now() + timedelta(hours=2)},  # scheduled
        {"embargoed_until": timezone.now() + timedelta(hours=2)},
    ],
    ids=["draft", "review", "scheduled", "embargoed"],
)
def test_a_pinned_story_that_is_not_public_never_shows(client, stories, world, unseen):
    hidden = make_article(**{"headline": "Pinned but not public", "section": world} | unseen)
    pin(hidden)
    pin(hidden, section=world)
    for url in ("/", "/section/world/"):
        html = client.get(url).content.decode()
        assert "Pinned but not public" not in html, url
    assert lead_headline(client.get("/").content.decode()) == "World story 1"


def test_expired_and_future_pins_do_not_show(client, stories):
    now = timezone.now()
    pin(stories[10], starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    pin(stories[11], position=2, starts_at=now + timedelta(hours=1))
    assert selectors.home_page()["lead"].pk == stories[0].pk


def test_every_story_appears_once_and_every_public_section_has_a_block(client, stories, world):
    quiet = make_section(name="Quiet", slug="quiet")
    old = make_article(
        headline="Quiet section's only story", section=quiet, published_at=timezone.now() - timedelta(days=400)
    )
    make_article(headline="Draft in an empty section", section=make_section(name="Empty", slug="empty"), status="draft")
    pin(stories[7])
    html = client.get("/").content.decode()
    links = story_links(html)
    assert len(links) == len(set(links)), "a story is linked twice"
    assert old.get_absolute_url() in links, "a quiet section keeps its block"
    assert 'id="section-quiet"' in html and 'id="section-world"' in html
    assert 'id="section-empty"' not in html and "Draft in an empty section" not in html


def test_cards_show_the_fitting_rendition_lazily_and_the_lead_its_standfirst(client, world):
    lead = make_article(headline="Lead story", dek="The standfirst of the lead.", section=world)
    lead.image.save("lead.jpg", jpeg(), save=False)
    lead.image_alt = "A river in flood."
    lead.save()
    other = make_article(headline="Second story", dek="Not shown on the front.", section=world)
    other.image.save("second.jpg", jpeg(1200, 800), save=False)
    other.image_alt = "A parliament."
    other.save()
    pin(lead)
    html = client.get("/").content.decode()
    lead_card = html[html.index("card--lead") : html.index("front__top")]
    assert "The standfirst of the lead." in lead_card
    assert re.search(r'<img [^>]*alt="A river in flood." width="1600" height="1000" fetchpriority="high"', lead_card)
    assert "loading=" not in lead_card, "the lead is the largest paint: never lazy"
    assert "renditions/articles/" in lead_card and "800w" in lead_card and 'type="image/webp"' in lead_card
    second = re.search(r'<img [^>]*alt="A parliament."[^>]*>', html).group(0)
    assert 'width="1200" height="800"' in second and 'loading="lazy"' in second and 'sizes="6rem"' in second
    assert "Not shown on the front." not in html
    # List pages show pictures too.
    section_page = client.get("/section/world/").content.decode()
    assert re.search(r'<img [^>]*alt="A parliament." width="1200" height="800" loading="lazy"', section_page)


def test_home_page_queries_stay_flat_with_3_or_30_stories_and_pins(client):
    counts = {"/": [], "front": []}
    for size in (3, 30):
        FrontPagePin.objects.all().delete()
        section, author = make_section(), make_author()
        articles = [make_article(section=section, authors=[author]) for _ in range(size + 6)]
        for position, article in enumerate(articles[:size], start=1):
            pin(article, position=position)
            pin(article, section=section, position=position)
        for name, url in (("/", "/"), ("front", section.get_absolute_url())):
            cache.clear()
            local_pages.clear()
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[name].append(len(ctx.captured_queries))
    assert counts["/"][0] == counts["/"][1] and counts["front"][0] == counts["front"][1], counts
    assert counts["/"][1] <= 7 and counts["front"][1] <= 8, counts


# Section fronts


def test_a_section_front_shows_its_pins_first_and_leaves_them_out_of_the_list(client, stories, world):
    pin(stories[15], section=world, position=1)
    pin(stories[16], section=world, position=2)
    pin(stories[2])  # the home page's pin is not this front's
    html = client.get("/section/world/").content.decode()
    assert lead_headline(html) == "World story 16"
    assert html.index("World story 17") < html.index("More from World") < html.index("World story 1<")
    links = story_links(html)
    assert len(links) == len(set(links))
    assert stories[15].get_absolute_url() not in story_links(client.get("/section/world/?page=2").content.decode())
    plain = client.get("/section/world/?page=2").content.decode()
    assert "card--lead" not in plain


# The page cache


def test_a_pin_reaches_the_cached_home_page_within_a_second(client, editor_client, stories):
    reader = client.__class__()
    assert lead_headline(reader.get("/").content.decode()) == "World story 1"  # cached now
    now = timezone.localtime()
    started = time.monotonic()
    response = editor_client.post(
        PIN_ADD,
        {"article": stories[6].pk, "section": "", "position": 1,
         "starts_at_0": now.strftime("%Y-%m-%d"), "starts_at_1": now.strftime("%H:%M:%S"),
         "ends_at_0": "", "ends_at_1": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert lead_headline(reader.get("/").content.decode()) == "World story 7"
    assert time.monotonic() - started < 1
    assert FrontPagePin.objects.get().created_by.username == "editor"

    FrontPagePin.objects.get().delete()  # unpinned
    assert lead_headline(reader.get("/").content.decode()) == "World story 1"


def test_a_pin_s_start_and_end_bound_the_cached_page_s_lifetime(client, stories):
    now = timezone.now()
    pin(stories[8], starts_at=now + timedelta(seconds=30))
    response = client.get("/")
    assert lead_headline(response.content.decode()) == "World story 1"
    assert 0 < int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 30
    FrontPagePin.objects.all().delete()
    pin(stories[8], starts_at=now - timedelta(minutes=1), ends_at=timezone.now() + timedelta(seconds=1.5))
    response = client.get("/")
    assert lead_headline(response.content.decode()) == "World story 9"
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 2
    time.sleep(1.6)
    assert lead_headline(client.get("/").content.decode()) == "World story 1", "the expired pin left the page"


class RecordingPurger:
    purged: list[list[str]] = []

    def purge(self, keys):
        RecordingPurger.purged.append(keys)


@pytest.mark.django_db(transaction=True)
def test_pinning_a_public_story_purges_the_fronts_from_the_cdn(settings, stories, world):
    settings.CDN_PURGER = "tests.test_fronts.RecordingPurger"
    RecordingPurger.purged = []
    pin(make_article(headline="Draft", status="draft"))
    assert RecordingPurger.purged == [], "a pinned draft shows nowhere"
    front = pin(stories[0], section=world)
    assert RecordingPurger.purged == [["list", f"section-{world.pk}"]]
    front.delete()
    pin(stories[0], position=2)
    assert RecordingPurger.purged[1:] == [["list", f"section-{world.pk}"], ["list"]]


# The admin


def test_editors_order_the_fronts_in_the_changelist(editor_client, stories, world):
    first, second = pin(stories[0], position=1), pin(stories[1], position=2)
    data = {
        "form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 2, "_save": "Save",
        "form-0-id": first.pk, "form-0-position": 2,
        "form-1-id": second.pk, "form-1-position": 1,
    }  # fmt: skip
    response = editor_client.post(PIN_CHANGELIST, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert selectors.home_page()["lead"].pk == stories[1].pk


def test_pin_changelist_queries_stay_flat(editor_client):
    counts = []
    for size in (3, 30):
        section = make_section()
        for position in range(size):
            article = make_article(section=section)
            pin(article, position=position)
            pin(article, section=section, position=position)
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(PIN_CHANGELIST)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("role", [REPORTERS, WIRE_DESK])
def test_only_those_who_may_publish_pin(client, stories, role):
    user = make_user("desk")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    assert client.get(PIN_ADD).status_code == 403
    assert client.get(PIN_CHANGELIST).status_code == 403


def test_pin_permissions_alone_are_not_enough(client, stories):
    """Someone given the pin permissions but not publishing may not place stories."""
    user = make_user("pinner", perms=["articles.add_frontpagepin", "articles.change_frontpagepin",
                                      "articles.view_frontpagepin"])  # fmt: skip
    client.force_login(user)
    assert client.get(PIN_ADD).status_code == 403
    response = client.post(PIN_ADD, {"article": stories[3].pk, "position": 1})
    assert response.status_code == 403 and not FrontPagePin.objects.exists()


def test_editors_may_pin(editor_client):
    assert editor_client.get(PIN_ADD).status_code == 200
    assert editor_client.get(PIN_CHANGELIST).status_code == 200


def test_the_navigation_s_sections_are_read_once_until_the_site_changes(client, settings):
    """Kept like cached pages (even with no page cache): a section's first public story shows it at
    once, and in between the sections are not read again."""
    settings.PAGE_CACHE_SECONDS = 0
    make_article(headline="World story", section=make_section(name="World", slug="world"))

    def reads_sections():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/").content.decode()
        return any('FROM "articles_section"' in query["sql"] for query in ctx.captured_queries), html

    assert reads_sections()[0]
    read, html = reads_sections()
    assert not read and 'href="/section/world/"' in html
    make_article(headline="Sport story", section=make_section(name="Sport", slug="sport"))
    read, html = reads_sections()
    assert read and 'href="/section/sport/"' in html
