"""Demo content for ``make run``: real wire samples plus generated agency copy,
all of it imported through the wire importer, then placed and published."""

import random
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from articles import ingest, services
from articles.models import Article, Author, Channel, Section

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

SECTIONS = [
    ("World", "world", "International news from our correspondents and the agencies."),
    ("Politics", "politics", "Governments, elections and policy."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Science", "science", "Research, health and the environment."),
    ("Sport", "sport", "Results, analysis and the stories behind them."),
]

#: Where each real sample goes: file name → (section slug, tags).
SAMPLE_PLACEMENT = {
    "tempo-nato-putin-ready-for-war.txt": ("world", ["NATO", "Russia", "Ukraine"]),
    "005_complex_text_article.json": ("world", ["Italy", "Shipping"]),
    "LISTING_2_NewsML-G2_Text_Document.xml": ("business", ["Economy", "Federal Reserve"]),
}
#: The Tempo copy has no headline; the desk writes one, as it would.
DESK_HEADLINES = {
    "tempo-nato-putin-ready-for-war.txt": "NATO answers Putin's 'ready for war' threat as peace talks stall",
}

PLACES = [
    ("JAKARTA", "Antara", "Jakarta ({agency}) - "),
    ("NAIROBI", "Reuters", "NAIROBI, {date} ({agency}) - "),
    ("BERLIN", "dpa", "Berlin ({agency}) - "),
    ("TOKYO", "Kyodo", "TOKYO ({agency}) -- "),
    ("OTTAWA", "Canadian Press", "OTTAWA - "),
    ("SEOUL", "Yonhap", "SEOUL, {date} ({agency}) -- "),
    ("NEW YORK", "AP", "NEW YORK ({agency}) — "),
]
TOPICS = [
    ("politics", "Parliament passes budget after all-night session", ["Budget", "Parliament"]),
    ("business", "Central bank holds rates as inflation cools", ["Economy", "Interest rates"]),
    ("science", "Researchers map coral recovery after marine heatwave", ["Climate", "Oceans"]),
    ("sport", "Underdogs reach the final after extra-time winner", ["Football"]),
    ("world", "Flood defences hold as river peaks below record", ["Climate", "Floods"]),
    ("business", "Port strike ends with agreement on shift pay", ["Labour", "Trade"]),
    ("science", "Space agency confirms date for lunar lander test", ["Space"]),
    ("politics", "Mayor unveils plan for night buses across the city", ["Transport"]),
    ("sport", "Veteran keeper signs one-year extension", ["Football", "Transfers"]),
    ("world", "Aid convoy reaches cut-off valley after landslide", ["Humanitarian aid"]),
    ("science", "Hospital trial cuts waiting times for hip surgery", ["Health"]),
    ("business", "Rail freight volumes hit a ten-year high", ["Trade", "Transport"]),
]
SENTENCES = [
    "Officials said the decision followed weeks of negotiation.",
    "Critics argued that the measures did not go far enough.",
    "The announcement was welcomed by business groups and unions alike.",
    "Analysts expect the effects to be felt within months.",
    "Residents told reporters they had been waiting for news for days.",
    "A spokesperson declined to comment on the details.",
    "The figures were higher than most forecasts had suggested.",
    "Further talks are scheduled for next week.",
]
STAFF = [
    ("Dewi Lestari", "Jakarta correspondent"),
    ("Samuel Otieno", "Africa editor"),
    ("Hannah Weber", "Europe correspondent"),
    ("Kenji Sato", "Asia-Pacific reporter"),
    ("Claire Tremblay", "Politics reporter"),
]


def generated_story(index: int, rng: random.Random) -> tuple[str, str, list[str], str]:
    """A plain-text agency story in the shape real wires send."""
    section, headline, tags = TOPICS[index % len(TOPICS)]
    place, agency, dateline = PLACES[index % len(PLACES)]
    author, _role = STAFF[index % len(STAFF)]
    date = (timezone.now() - timedelta(days=index)).strftime("%b %-d")
    paragraphs = [" ".join(rng.sample(SENTENCES, 3)) for _ in range(rng.randint(4, 7))]
    paragraphs[0] = dateline.format(agency=agency, date=date) + paragraphs[0]
    lines = [headline, "", f"By {author}", "", *paragraphs]
    if index:
        lines += ["", f"Read also: {TOPICS[(index - 1) % len(TOPICS)][1]}"]
    return f"demo-{index:02d}-{place.lower().replace(' ', '-')}.txt", "\n\n".join(lines), tags, section


class Command(BaseCommand):
    help = "Load demo sections, authors and stories through the wire importer (safe to run again)."

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
                Author.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name, "role": role})

        run = ingest.start_run(origin="demo")
        now = timezone.now()
        rng = random.Random(2026)
        inputs = [
            (path.name, path.read_bytes(), *SAMPLE_PLACEMENT[path.name])
            for path in sorted(DEMO_DIR.iterdir())
            if path.name in SAMPLE_PLACEMENT
        ]
        for index in range(len(TOPICS)):
            name, text, tags, section = generated_story(index, rng)
            inputs.append((name, text.encode(), section, tags))

        batch = ingest.ImportBatch()
        for age, (name, raw, section_slug, tags) in enumerate(inputs):
            for outcome in ingest.import_file(raw, name, run=run, section=sections[section_slug], batch=batch):
                if outcome.status == "error":
                    self.stderr.write(outcome.error)
                elif outcome.status == "created":
                    article = outcome.article
                    if name in DESK_HEADLINES:
                        article.headline, article.needs_headline = DESK_HEADLINES[name], False
                    self._place(article, tags, published_at=now - timedelta(hours=3 * age + 1))
        ingest.finish_run(run)
        self.stdout.write(f"Demo content: {run.summary}.")
        self._drop_folder()
        self._admin_login(options["url"].rstrip("/") + "/admin/")

    def _drop_folder(self) -> None:
        """A folder channel for the embedded set-up: files dropped there become drafts within seconds."""
        folder = Path(settings.DATA_DIR) / "wire-drop"
        folder.mkdir(parents=True, exist_ok=True)
        Channel.objects.get_or_create(
            name="Drop folder", defaults={"kind": Channel.Kind.FOLDER, "location": str(folder), "poll_interval": 10}
        )
        self.stdout.write(f"Drop wire files into {folder}/ and they become drafts (see Ingest channels in the admin).")

    def _place(self, article: Article, tags: list[str], *, published_at) -> None:
        article.tags.add(*tags)
        services.article_publish(article=article, at=published_at)

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
