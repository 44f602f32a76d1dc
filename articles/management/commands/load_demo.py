"""Demo content for ``make run``: a newsroom's day, every story imported through the wire importer,
then placed, pictured, pinned and published as the desk would."""

import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import images, ingest, services
from articles.demo.pictures import paint
from articles.demo.stories import HEADLINELESS_AGENCY_COPY, STAFF, STORIES, DemoStory, nitf
from articles.models import Article, Author, Channel, FrontPagePin, LiveUpdate, Section

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

SECTIONS = [
    ("World", "world", "International news from our correspondents and the agencies."),
    ("Politics", "politics", "Governments, elections and policy."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Science", "science", "Research, health and the environment."),
    ("Sport", "sport", "Results, analysis and the stories behind them."),
]

#: Real agency copy as a newsroom received it (``articles/demo/SOURCES.md``). It has no headline; the
#: desk writes one, as it would.
TEMPO_FILE = "tempo-nato-putin-ready-for-war.txt"
TEMPO_HEADLINE = "NATO answers Putin's 'ready for war' threat as peace talks stall"
TEMPO_TAGS = ["NATO", "Russia", "Ukraine"]

#: The lead runs as a live page since it went out: (minutes ago, update, key point), oldest first.
LIVE_STORY = "flood-defences-hold"
LIVE_UPDATES = [
    (
        46,
        "<p>The river passes 11 metres at the Inn bridge. The crisis team asks residents of the lower old "
        "town to move cars away from the quays before midnight.</p>",
        True,
    ),
    (
        38,
        "<p>Volunteers are still needed at the sandbag station by the cathedral; the fire brigade says "
        "hands, not sand, are short.</p>",
        False,
    ),
    (
        27,
        "<p>Trains between the city and the border are suspended until the tracks have been inspected. "
        "Replacement buses leave from the main station every hour.</p>",
        False,
    ),
    (
        16,
        "<p>The level has stopped rising: 11.8 metres, half a metre below the record. The mobile walls are "
        "holding along the whole quay.</p>",
        True,
    ),
    (
        5,
        "<p>Forecasters expect the water to fall below the warning mark by Tuesday. Schools in the two "
        "evacuated villages stay closed on Monday.</p>",
        False,
    ),
]

#: The fronts as the editors left them: (story key, section slug or None for the home page, position).
PINS = [("flood-defences-hold", None, 1), ("budget-all-night", None, 2), ("rail-freight-high", "business", 1)]


class Command(BaseCommand):
    help = "Load a demo newsroom's day through the wire importer (safe to run again: nothing is made twice)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the site will be served.")

    def handle(self, *args, **options):
        with transaction.atomic():
            sections = {
                slug: Section.objects.update_or_create(
                    slug=slug, defaults={"name": name, "description": description, "order": order}
                )[0]
                for order, (name, slug, description) in enumerate(SECTIONS)
            }
            for name, role in STAFF:
                Author.objects.get_or_create(slug=slugify(name), defaults={"name": name, "role": role})

        now = timezone.now()
        run = ingest.start_run(origin="demo")
        batch = ingest.ImportBatch()

        def imported(raw: bytes, name: str, section: Section) -> list[Article]:
            """The articles this copy created (none when the demo was loaded before)."""
            created = []
            for outcome in ingest.import_file(raw, name, run=run, section=section, batch=batch):
                if outcome.status == "error":
                    self.stderr.write(outcome.error)
                elif outcome.status == "created":
                    created.append(outcome.article)
            return created

        for article in imported((DEMO_DIR / TEMPO_FILE).read_bytes(), TEMPO_FILE, sections["world"]):
            article.headline, article.needs_headline = TEMPO_HEADLINE, False
            article.tags.add(*TEMPO_TAGS)
            services.article_publish(article=article, at=now - timedelta(hours=6))
        for story in STORIES:
            issued = now - timedelta(hours=story.hours_ago)
            release = now + timedelta(hours=story.extra["embargo_hours"]) if story.state == "embargoed" else None
            raw = nitf(story, issued=issued, status="embargoed" if release else "", release=release)
            for article in imported(raw, f"{story.key}.xml", sections[story.section]):
                self._place(article, story, at=issued)
                if story.state == "killed":  # the agency withdraws it after it went out
                    imported(nitf(story, issued=now, version=2, status="canceled"), f"{story.key}-kill.xml", None)
        imported(HEADLINELESS_AGENCY_COPY.encode(), "antara-ferry-routes.txt", sections["world"])
        ingest.finish_run(run)
        self._pin(now)
        self._live(now)
        self.stdout.write(f"Demo content: {run.summary}.")
        self._drop_folder()
        self._admin_login(options["url"].rstrip("/") + "/admin/")

    def _place(self, article: Article, story: DemoStory, *, at) -> None:
        """Picture, then publish, schedule or send for review as the story's state says."""
        if story.picture:
            article.image.save(f"{story.key}.jpg", ContentFile(paint(story.picture)), save=False)
            article.image_alt, article.image_caption = story.alt, story.caption
            article.image_credit = "Illustration: Newsroom demo"
            article.save()
            images.make_renditions(article.image)
        if story.state == "review":
            article.status = Article.Status.REVIEW
            article.save(update_fields=["status", "updated_at", "version"])
            return
        services.article_publish(article=article, at=at)  # a future time schedules; an embargo holds it back
        if correction := story.extra.get("correction"):
            services.correction_add(article=article, text=correction)

    def _pin(self, now) -> None:
        """The home page's lead and first top story, and the Business front's lead."""
        for key, section_slug, position in PINS:
            article = Article.objects.filter(source_story_id=f"demo-{key}").first()
            if article is None:
                continue
            section = Section.objects.get(slug=section_slug) if section_slug else None
            FrontPagePin.objects.get_or_create(
                article=article, section=section, defaults={"position": position, "starts_at": now}
            )

    def _live(self, now) -> None:
        """The lead story as a live page with its timestamped updates, as the desk posted them overnight."""
        article = Article.objects.filter(source_story_id=f"demo-{LIVE_STORY}", is_live=False).first()
        if article is None:  # loaded before
            return
        article.is_live = True
        article.save(update_fields=["is_live", "updated_at", "version"])
        for minutes_ago, body, key_point in LIVE_UPDATES:
            update = services.live_update_add(article=article, body=body, key_point=key_point)
            LiveUpdate.objects.filter(pk=update.pk).update(posted_at=now - timedelta(minutes=minutes_ago))

    def _drop_folder(self) -> None:
        """A folder channel for the embedded set-up: files dropped there become drafts within seconds."""
        folder = Path(settings.DATA_DIR) / "wire-drop"
        folder.mkdir(parents=True, exist_ok=True)
        Channel.objects.get_or_create(
            name="Drop folder", defaults={"kind": Channel.Kind.FOLDER, "location": str(folder), "poll_interval": 10}
        )
        self.stdout.write(f"Drop wire files into {folder}/ and they become drafts (see Ingest channels in the admin).")

    def _admin_login(self, admin_url: str) -> None:
        """A local superuser for the SQLite demo; the password is shown once."""
        if connection.vendor != "sqlite" or not settings.DEBUG:
            return
        users = get_user_model()
        if users.objects.filter(username="admin").exists():
            self.stdout.write(f"Admin login: {admin_url} as 'admin' (password shown on first run).")
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser("admin", "admin@example.com", password)
        self.stdout.write(self.style.SUCCESS(f"Admin login: {admin_url}  user: admin  password: {password}"))
