"""A reproducible newsroom: sections, authors, tags and N articles, bulk-inserted.

``create_database`` gives the bench its own database (never the one named in
``DATABASE_URL``); ``build`` fills it after ``migrate``.  Bulk inserts skip
``Article.save()``, so the bodies generated here are already clean HTML and the
slug and word count are set by hand.
"""

from __future__ import annotations

import random
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
SEED = 20_240_501
SECTIONS = [
    "World",
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Sport",
    "Culture",
    "Opinion",
    "Climate",
]
FIRST = ("Ana Ben Chloe David Elena Farid Grace Hiro Ines Jonas Kemal Lena Marco Nadia Omar Priya Quentin Rosa Sami "
         "Tariq Uma Viktor Wen Ximena Yusuf Zoe").split()  # fmt: skip
LAST = ("Abbott Brandt Costa Dube Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Mendes Nakamura Okafor "
        "Petrov Quinn Rossi Schmidt Tanaka Usman Varga Weber Xu Yilmaz Zhang").split()  # fmt: skip
#: Body vocabulary; the first words are the common ones (drawn with Zipf-like weights).
WORDS = (
    "the of and to in a that said is for on was with as by it at from government year minister people would new "
    "has have been will after its more officials city country police president week two last told state first "
    "also election market bank could over about percent billion million national public report health water "
    "climate energy council court workers company prices inflation school hospital football season league team "
    "match players coach vote parliament party leader opposition budget tax border migrants refugees ceasefire "
    "talks agreement trade tariffs exports growth economy central rates investors shares record storm flood "
    "drought heat wildfire emissions carbon solar wind power grid transport rail airport strike union wages "
    "housing rent mayor regional local community festival museum film music artist book award prize research "
    "scientists study vaccine virus patients doctors nurses data technology software artificial intelligence "
    "chips phone internet privacy security cyber attack military troops defence navy missile drone protest "
    "crowd march capital streets village farmers harvest wheat rice coffee oil gas fuel mining copper lithium "
    "gold ocean coast island river mountain forest species wildlife conservation space launch satellite moon "
    "mission rocket university students teachers exams children families elderly pension reform law judge "
    "trial prosecutors investigation corruption scandal resignation coalition cabinet spokesperson statement "
    "interview analysis according expected despite while during since before under between against without"
).split()
TAG_HEADS = ("climate trade energy football health election housing migration technology education defence "
             "transport farming tourism banking crime science space culture water").split()  # fmt: skip
TAG_TAILS = ("policy crisis talks reform funding prices research season strike summit protest report market "
             "security investment law data court jobs industry").split()  # fmt: skip
PLACES = ["London", "Paris", "Berlin", "Jakarta", "Nairobi", "Lima", "Tokyo", "Ottawa", "Cairo", "Sydney", "Mumbai"]


@dataclass
class Dataset:
    articles: int
    seconds: float
    article_paths: list[str] = field(default_factory=list)
    section_slugs: list[str] = field(default_factory=list)
    tag_slugs: list[str] = field(default_factory=list)
    author_slugs: list[str] = field(default_factory=list)
    search_vector: str = "none"


# --- the database -------------------------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin_connect(url: str):
    import psycopg

    return psycopg.connect(with_dbname(url, "postgres").replace("postgresql://", "postgres://", 1), autocommit=True)


def sqlite_path(name: str) -> Path:
    return BENCH_DIR / f"{name}.sqlite3"


def create_database(server_url: str, name: str, *, template: str | None = None) -> str:
    """Drop and create database ``name`` (a copy of ``template`` if given); return its URL."""
    if is_postgres(server_url):
        with _admin_connect(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return with_dbname(server_url, name)
    path = sqlite_path(name)
    path.unlink(missing_ok=True)
    if template:
        shutil.copyfile(sqlite_path(template), path)
    return f"sqlite:///{path}"


def database_exists(server_url: str, name: str) -> bool:
    if is_postgres(server_url):
        with _admin_connect(server_url) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    return sqlite_path(name).exists()


def drop_database(server_url: str, name: str) -> None:
    if is_postgres(server_url):
        with _admin_connect(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        sqlite_path(name).unlink(missing_ok=True)


# --- text -----------------------------------------------------------------------------------------------------------


class Writer:
    """Deterministic newsy prose from a fixed vocabulary."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.cum_weights = list(accumulate(1 / (rank + 8) for rank in range(len(WORDS))))

    def words(self, n: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=self.cum_weights, k=n)

    def sentence(self, lo: int = 8, hi: int = 22) -> str:
        words = self.words(self.rng.randint(lo, hi))
        return " ".join(words).capitalize() + "."

    def paragraphs(self, total_words: int) -> list[str]:
        paras, written = [], 0
        while written < total_words:
            sentences = [self.sentence() for _ in range(self.rng.randint(2, 4))]
            paras.append(" ".join(sentences))
            written += sum(len(s.split()) for s in sentences)
        return paras

    def headline(self) -> str:
        rare = self.rng.sample(WORDS[40:], self.rng.randint(5, 9))
        return " ".join(rare).capitalize()


def name_pairs(rng: random.Random, n: int, heads, tails) -> list[str]:
    pairs = list(dict.fromkeys(f"{a} {b}" for a in heads for b in tails if a != b))
    rng.shuffle(pairs)
    return pairs[:n]


# --- the content ----------------------------------------------------------------------------------------------------


def build(n: int, *, seed: int = SEED, batch: int = 2000, log=print) -> Dataset:
    """Fill the (migrated, empty) configured database with ``n`` articles and their relations."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Author, Authorship, RelatedLink, Section

    started = time.perf_counter()
    rng = random.Random(seed)
    writer = Writer(rng)
    now = timezone.now().replace(microsecond=0)

    sections = Section.objects.bulk_create(
        Section(name=name, slug=slugify(name), order=i, description=f"News and analysis: {name.lower()}.")
        for i, name in enumerate(SECTIONS)
    )
    full_names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(full_names)
    authors = Author.objects.bulk_create(
        Author(name=name, slug=slugify(name), role=rng.choice(["Reporter", "Correspondent", "Editor", ""]))
        for name in full_names[:200]
    )
    tag_names = name_pairs(rng, 2000, TAG_HEADS + WORDS[60:160], TAG_TAILS + WORDS[160:200])
    tags = Tag.objects.bulk_create(Tag(name=name.title(), slug=slugify(name)) for name in tag_names)
    content_type = ContentType.objects.get_for_model(Article)
    # Popularity is skewed: a few prolific authors and big tags, a long tail.
    author_weights = list(accumulate(1 / (i + 5) for i in range(len(authors))))
    tag_weights = list(accumulate(1 / (i + 3) for i in range(len(tags))))
    section_weights = list(accumulate([10, 9, 8, 6, 4, 4, 8, 4, 3, 3]))

    # Publication times over five years, oldest first so ids follow time as in a real archive.
    span = int(timedelta(days=5 * 365).total_seconds())
    plan = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.05:
            status, published_at = Article.Status.DRAFT, None
        elif roll < 0.06:
            status, published_at = Article.Status.PUBLISHED, now + timedelta(hours=rng.randint(1, 24 * 30))
        else:
            status, published_at = Article.Status.PUBLISHED, now - timedelta(seconds=rng.randint(60, span))
        plan.append((published_at or now, status, published_at))
    plan.sort(key=lambda row: row[0])

    article_ids: list[int] = []
    for start in range(0, n, batch):
        rows = []
        for i, (_, status, published_at) in enumerate(plan[start : start + batch], start=start):
            headline = writer.headline()
            paras = writer.paragraphs(rng.randint(520, 680))
            body = "\n".join(f"<p>{p}</p>" for p in paras)
            rows.append(
                Article(
                    headline=headline,
                    slug=f"{slugify(headline)[:180]}-{i}",
                    kicker=rng.choice(["", "", "", "Analysis", "Exclusive", "Explainer"]),
                    dek=writer.sentence(14, 30),
                    body=body,
                    dateline=rng.choice(PLACES),
                    section=rng.choices(sections, cum_weights=section_weights)[0] if rng.random() > 0.02 else None,
                    status=status,
                    published_at=published_at,
                    word_count=sum(len(p.split()) for p in paras),
                    created_at=published_at or now,
                    updated_at=published_at or now,
                )
            )
        with transaction.atomic(), archive_timestamps():
            created = Article.objects.bulk_create(rows, batch_size=500)
            authorships, tagged, links = [], [], []
            for article in created:
                for position, author in enumerate(_distinct(rng, authors, author_weights, rng.randint(1, 3))):
                    authorships.append(Authorship(article=article, author=author, position=position))
                for tag in _distinct(rng, tags, tag_weights, rng.randint(3, 8)):
                    tagged.append(TaggedItem(content_type=content_type, object_id=article.pk, tag=tag))
                for position in range(rng.choice([0, 0, 1, 2, 3])):
                    if article_ids and rng.random() < 0.8:
                        links.append(RelatedLink(article=article, target_id=rng.choice(article_ids), position=position))
                    else:
                        links.append(
                            RelatedLink(
                                article=article,
                                url=f"https://example.org/report/{rng.randint(1, 10**6)}",
                                title=writer.headline(),
                                position=position,
                            )
                        )
                article_ids.append(article.pk)
            Authorship.objects.bulk_create(authorships, batch_size=2000)
            TaggedItem.objects.bulk_create(tagged, batch_size=2000)
            RelatedLink.objects.bulk_create(links, batch_size=2000)
        log(f"  dataset: {min(start + batch, n):,}/{n:,} articles")

    search_vector = fill_search_vector()
    with connection.cursor() as cursor:
        # What autovacuum does to a live database soon after a load: statistics, and (on PostgreSQL) the
        # visibility map that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    dataset = describe(n, seed=seed)
    dataset.search_vector = search_vector
    dataset.seconds = time.perf_counter() - started
    return dataset


def describe(n: int, *, seed: int = SEED) -> Dataset:
    """The pages to load from a built dataset: 20 recent stories, and the first (biggest) sections, tags, authors."""
    from taggit.models import Tag

    from articles.models import Article, Author, Section

    rng = random.Random(seed)
    public = list(Article.objects.published().order_by("-published_at").values_list("pk", flat=True)[:200])
    picks = rng.sample(public, min(20, len(public)))
    return Dataset(
        articles=n,
        seconds=0.0,
        article_paths=[a.get_absolute_url() for a in Article.objects.filter(pk__in=picks).order_by("pk")],
        section_slugs=list(Section.objects.order_by("pk").values_list("slug", flat=True)[:3]),
        # The first tags and authors are the most used: the heaviest pages.
        tag_slugs=list(Tag.objects.order_by("pk").values_list("slug", flat=True)[:3]),
        author_slugs=list(Author.objects.order_by("pk").values_list("slug", flat=True)[:3]),
    )


@contextmanager
def archive_timestamps():
    """Let bulk_create keep the given created/updated times (an archive was created when it was published)."""
    from articles.models import Article

    fields = [Article._meta.get_field("created_at"), Article._meta.get_field("updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _distinct(rng: random.Random, population: list, cum_weights: list[float], k: int) -> list:
    chosen: dict[int, object] = {}
    for _ in range(k * 10):
        if len(chosen) == k:
            break
        item = rng.choices(population, cum_weights=cum_weights)[0]
        chosen.setdefault(item.pk, item)
    return list(chosen.values())


def fill_search_vector() -> str:
    """Fill a search-vector column with one UPDATE, if the model has one that the database does not compute."""
    from django.db import connection

    from articles.models import Article

    try:
        from django.contrib.postgres.search import SearchVector, SearchVectorField
    except ImportError:  # pragma: no cover - contrib.postgres needs psycopg
        return "none"
    fields = [f for f in Article._meta.concrete_fields if isinstance(f, SearchVectorField)]
    generated = [f for f in Article._meta.get_fields() if type(f).__name__ == "GeneratedField"]
    if not fields:
        return "generated column" if generated else "none"
    if connection.vendor != "postgresql":
        return f"{fields[0].name} (not filled on {connection.vendor})"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'articles_article'::regclass AND NOT tgisinternal"
        )
        triggers = [row[0] for row in cursor.fetchall()]
    if triggers:
        return f"{fields[0].name} (filled on insert by trigger {', '.join(triggers)})"
    config = getattr(Article, "SEARCH_CONFIG", None) or "english"
    vector = (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("dek", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )
    Article.objects.update(**{fields[0].name: vector})
    return f"{fields[0].name} (one UPDATE, config {config})"
