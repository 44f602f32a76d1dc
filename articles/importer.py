"""The wire import service: ``WireStory`` objects in, draft articles out.

Both ``manage.py import_wire`` and the admin's import page call
``import_file``; each story is saved in its own transaction, so a story is
imported whole or not at all and a bad file never stops a batch.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from .models import Article, Author, Authorship, ImportedFile, ImportRun, RelatedLink, Section, WireSource
from .models.content import unique_slug
from .sanitize import strip_tags
from .wire import Agency, WireError, WireStory, parse_bytes

#: Stories from two agencies this close in time, with leads this alike, are
#: the same event reported twice.
NEAR_DUPLICATE_WINDOW = timedelta(hours=36)
NEAR_DUPLICATE_RATIO = 0.6
NEAR_DUPLICATE_CANDIDATES = 300
#: How much of a lead is compared.
NEAR_DUPLICATE_TEXT = 1000

BLOCK_TAGS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "table", "pre"}


@dataclass
class Outcome:
    """What happened to one story (or one unreadable file)."""

    filename: str
    status: str  # created, updated, duplicate, error; "new" on a dry run
    format: str = ""
    story: WireStory | None = None
    article: Article | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        story = self.story
        return {
            "file": self.filename,
            "format": self.format or None,
            "status": self.status,
            "headline": story.headline if story else None,
            "headline_derived": story.headline_derived if story else False,
            "dateline": (story.dateline or None) if story else None,
            "source": (story.source or None) if story else None,
            "source_id": (story.source_id or None) if story else None,
            "bylines": list(story.bylines) if story else [],
            "paragraphs": story.paragraphs if story else [],
            "related": [{"title": r.title, "url": r.url or None} for r in story.related] if story else [],
            "removed": list(story.removed) if story else [],
            "warnings": list(self.warnings),
            "error": self.error,
            "article": self.article.pk if self.article and self.article.pk else None,
        }


def active_agencies() -> list[Agency]:
    return [source.as_agency() for source in WireSource.objects.filter(active=True)]


def story_body_html(story: WireStory) -> str:
    parts = []
    for block in story.blocks:
        tag = block.kind if block.kind in BLOCK_TAGS else "p"
        inner = block.html or escape(block.text)
        if inner.strip():
            parts.append(f"<{tag}>{inner}</{tag}>")
    return "\n".join(parts)


def story_fingerprint(story: WireStory, source: WireSource | None) -> str:
    """Identity of a story that has no agency id: its agency, normalised headline and text."""
    text = " ".join([story.headline, *story.paragraphs])
    normalised = " ".join(re.sub(r"\W+", " ", text).lower().split())
    agency = str(source.pk) if source else ""
    return hashlib.sha256(f"{agency}:{normalised}".encode()).hexdigest()


def _is_newer(story: WireStory, article: Article) -> bool:
    if story.version is not None and article.wire_version is not None:
        return story.version > article.wire_version
    if story.published_at and article.published_at:
        return story.published_at > article.published_at
    return False


def _apply_story(article: Article, story: WireStory) -> None:
    """Copy the wire fields onto ``article`` (never status or placement)."""
    article.headline = story.headline[:255]
    article.dek = story.subheadline
    article.body = story_body_html(story)
    article.dateline = story.dateline[:100]
    article.credits = "\n".join(story.credits)
    article.needs_headline = story.headline_derived
    article.wire_version = story.version
    if story.language:
        article.language = story.language[:10]
    if story.embargoed_until:
        article.embargoed_until = story.embargoed_until
    if story.canceled:
        article.wire_canceled = True


WORD = re.compile(r"\w+")


class TagVocabulary:
    """The existing tag names, to find in a story's text.

    Loaded once per import run: matching word sequences against a dict costs
    the same however many tags the newsroom has (one regular expression per
    tag per story did not).
    """

    def __init__(self, names):
        self.by_words: dict[tuple[str, ...], str] = {}
        for name in names:
            words = tuple(WORD.findall(name.lower()))
            if words:
                self.by_words.setdefault(words, name)
        self.longest = max((len(words) for words in self.by_words), default=0)

    def find(self, text: str) -> list[str]:
        words = WORD.findall(text.lower())
        found = {}
        for start in range(len(words)):
            for length in range(1, min(self.longest, len(words) - start) + 1):
                name = self.by_words.get(tuple(words[start : start + length]))
                if name:
                    found[name] = True
        return list(found)


class ImportBatch:
    """What a run of imports looks up once rather than once per story.

    Agencies, wire sources and tags are read when the batch starts; authors
    are remembered as stories name them, and recent headlines as the
    near-duplicate check meets them. Whatever a story added here is
    forgotten if that story is rolled back, since the rows went with it.
    """

    def __init__(self):
        self.agencies = active_agencies()
        tags = list(Tag.objects.values_list("name", "pk"))
        self.vocabulary = TagVocabulary(name for name, _ in tags)
        self._tags = {name.lower(): pk for name, pk in tags}
        self._sources: dict[str, WireSource] = {}
        for source in WireSource.objects.all():
            for name in (source.name, *source.as_agency().aliases):
                self._sources.setdefault(name.lower(), source)
        self._authors: dict[str, int] = {}
        self._headline_words: dict[int, set[str]] = {}
        self._texts: dict[int, str] = {}
        self._added_by_story: list[tuple[dict, str]] = []

    def start_story(self) -> None:
        self._added_by_story.clear()

    def forget_story(self) -> None:
        for memo, key in self._added_by_story:
            memo.pop(key, None)
        self._added_by_story.clear()

    def _remember(self, memo: dict, key: str, value) -> None:
        memo[key] = value
        self._added_by_story.append((memo, key))

    def source(self, name: str) -> WireSource:
        """The wire source called ``name`` (or so aliased), created when new."""
        key = name.strip().lower()
        if key not in self._sources:
            source, _ = WireSource.objects.get_or_create(name=name.strip()[:100], defaults={"aliases": name})
            self._remember(self._sources, key, source)
        return self._sources[key]

    def author_id(self, name: str) -> int:
        key = name.lower()
        if key not in self._authors:
            author = Author.objects.filter(name__iexact=name).first()
            if author is None:
                author = Author.objects.create(name=name[:150], slug=unique_slug(Author, name, max_length=150))
            self._remember(self._authors, key, author.pk)
        return self._authors[key]

    def tag_id(self, name: str) -> int:
        key = name.lower()
        if key not in self._tags:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self._remember(self._tags, key, tag.pk)
        return self._tags[key]

    def headline_words(self, pk: int, headline: str) -> set[str]:
        if pk not in self._headline_words:
            self._bound(self._headline_words)
            self._headline_words[pk] = set(WORD.findall(headline.lower()))
        return self._headline_words[pk]

    def texts(self, pks: list[int]) -> dict[int, str]:
        """The plain text of these articles' bodies, up to ``NEAR_DUPLICATE_TEXT`` characters."""
        missing = [pk for pk in pks if pk not in self._texts]
        if missing:
            self._bound(self._texts)
            for pk, body in Article.objects.filter(pk__in=missing).values_list("pk", "body"):
                self._texts[pk] = strip_tags(body)[:NEAR_DUPLICATE_TEXT]
        return {pk: self._texts[pk] for pk in pks if pk in self._texts}

    @staticmethod
    def _bound(memo: dict) -> None:
        """Keep a per-article memo to a few candidate lists, so memory stays flat over a long run."""
        if len(memo) >= 4 * NEAR_DUPLICATE_CANDIDATES:
            memo.clear()


def resolve_source(story: WireStory, explicit: WireSource | None, batch: ImportBatch) -> WireSource | None:
    if explicit:
        return explicit
    return batch.source(story.source) if story.source.strip() else None


def _set_bylines(article: Article, names: list[str], batch: ImportBatch, *, replace: bool) -> None:
    if replace:
        article.authorships.all().delete()
    author_ids = dict.fromkeys(batch.author_id(name) for name in (n.strip() for n in names) if name)
    Authorship.objects.bulk_create(
        Authorship(article=article, author_id=author_id, position=position)
        for position, author_id in enumerate(author_ids)
    )


def _set_tags(article: Article, story: WireStory, batch: ImportBatch) -> None:
    """The agency's keywords, plus existing tags whose names occur in the text (a new article has none)."""
    names = [keyword.strip()[:100] for keyword in story.keywords if keyword.strip()]
    names += batch.vocabulary.find(" ".join([story.headline, *story.paragraphs]))
    tag_ids = dict.fromkeys(batch.tag_id(name) for name in names)
    through = Article.tags.through
    through.objects.bulk_create(through(content_object=article, tag_id=tag_id) for tag_id in tag_ids)


def _set_related(article: Article, story: WireStory, *, replace: bool) -> None:
    if replace:
        article.related_links.all().delete()
    titles = {related.title.lower() for related in story.related if related.title}
    targets: dict[str, Article] = {}
    if titles:
        candidates = Article.objects.filter(reduce(or_, (Q(headline__iexact=title) for title in titles)))
        for target in candidates.exclude(pk=article.pk).only("pk", "headline"):
            targets.setdefault(target.headline.lower(), target)
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=article,
            target=targets.get(related.title.lower()),
            url=related.url[:500],
            title=related.title[:255],
            position=position,
        )
        for position, related in enumerate(story.related)
    )
    # Earlier stories that pointed at this headline can now link to it.
    RelatedLink.objects.filter(target__isnull=True, url="", title__iexact=article.headline).exclude(
        article=article
    ).update(target=article)


def _link_near_duplicates(article: Article, story: WireStory, batch: ImportBatch) -> None:
    """Link drafts from other agencies that report the same event.

    Headlines that share no words are passed over cheaply; only the few that
    do have their leads compared.
    """
    if article.source_id is None:
        return
    lead = " ".join(story.paragraphs[:1])[:NEAR_DUPLICATE_TEXT]
    mine = f"{story.headline} {lead}".lower().split()
    headline_words = set(WORD.findall(story.headline.lower()))
    recent = (
        Article.objects.filter(created_at__gte=timezone.now() - NEAR_DUPLICATE_WINDOW, source__isnull=False)
        .exclude(source=article.source_id)
        .exclude(pk=article.pk)
        .order_by("-created_at")
        .values_list("pk", "headline")[:NEAR_DUPLICATE_CANDIDATES]
    )
    alike = {pk: headline for pk, headline in recent if len(headline_words & batch.headline_words(pk, headline)) >= 2}
    for pk, text in batch.texts(list(alike)).items():
        theirs = f"{alike[pk]} {text[: len(lead) + 50]}".lower().split()
        if difflib.SequenceMatcher(None, mine, theirs).ratio() >= NEAR_DUPLICATE_RATIO:
            article.also_reported_by.add(pk)


@transaction.atomic(savepoint=False)
def story_import(
    *,
    story: WireStory,
    source: WireSource | None = None,
    section: Section | None = None,
    publish: bool = False,
    batch: ImportBatch | None = None,
) -> tuple[Article, str]:
    """Create or update the article for ``story``; returns ``(article, status)``.

    Identity is the agency plus its story id (a unique constraint), or the
    fingerprint of the text when the agency gives no id.  An update never
    overwrites an article an editor has changed since the import: it only
    flags that a newer wire version exists.  Status, section and tags chosen
    by the desk are never overwritten either.
    """
    batch = batch or ImportBatch()
    source = resolve_source(story, source, batch)
    fingerprint = "" if story.source_id else story_fingerprint(story, source)
    existing = Article.objects.select_for_update()
    if story.source_id:
        existing = existing.filter(source=source, source_story_id=story.source_id[:255])
    else:
        existing = existing.filter(wire_fingerprint=fingerprint)
    article = existing.first()

    if article is not None:
        if story.canceled and not article.wire_canceled:
            article.wire_canceled = True
            article.save(update_fields=["wire_canceled", "updated_at", "version"])
            return article, "updated"
        if not _is_newer(story, article):
            return article, "duplicate"
        if article.edited_since_import:
            article.wire_update_available = True
            article.save(update_fields=["wire_update_available", "updated_at", "version"])
            return article, "updated"
        _apply_story(article, story)
        _validate(article)
        article.save()
        _set_bylines(article, story.bylines, batch, replace=True)
        _set_related(article, story, replace=True)
        return article, "updated"

    article = Article(
        source=source,
        source_story_id=story.source_id[:255],
        wire_fingerprint=fingerprint,
        section=section,
        status=Article.Status.DRAFT,
    )
    _apply_story(article, story)
    if publish and not article.wire_canceled:
        article.status = Article.Status.PUBLISHED
        article.published_at = story.published_at or timezone.now()
    article.slug = unique_slug(Article, article.headline)
    _validate(article)
    article.save()
    _set_bylines(article, story.bylines, batch, replace=False)
    _set_tags(article, story, batch)
    _set_related(article, story, replace=False)
    _link_near_duplicates(article, story, batch)
    return article, "created"


def _validate(article: Article) -> None:
    # Identity was looked up above under a row lock, the slug made unique and the
    # source and section read from the database; the database's constraints still
    # catch a race with another importer.
    article.full_clean(exclude=["slug", "source", "section"], validate_unique=False, validate_constraints=False)


def import_file(
    raw: bytes,
    filename: str,
    *,
    run: ImportRun | None = None,
    format: str = "auto",
    source: WireSource | None = None,
    section: Section | None = None,
    publish: bool = False,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
) -> list[Outcome]:
    """Parse one file and import each story in it; never raises for bad input.

    Each story and its ``ImportedFile`` record are saved in one transaction.
    A run of several files passes one ``batch``.
    """
    batch = batch or ImportBatch()
    try:
        stories = parse_bytes(
            raw, filename, format=format, agencies=batch.agencies, max_size=settings.WIRE_MAX_FILE_SIZE
        )
    except WireError as exc:
        outcome = Outcome(filename=filename, status="error", format=format, error=f"{filename}: {exc}")
        _record(run, outcome, raw=raw)
        _count(run, outcome)
        return [outcome]

    outcomes = []
    for story in stories:
        outcome = Outcome(filename=filename, status="new", format=story.format, story=story, warnings=story.warnings)
        outcomes.append(outcome)
        if dry_run:
            continue
        batch.start_story()
        try:
            with transaction.atomic():
                outcome.article, outcome.status = story_import(
                    story=story, source=source, section=section, publish=publish, batch=batch
                )
                _record(run, outcome, raw=b"")
        except Exception as exc:  # noqa: BLE001 - one story must not stop a batch
            batch.forget_story()
            outcome.article = None
            outcome.status, outcome.error = "error", f"{filename}: could not save story: {_describe(exc)}"
            _record(run, outcome, raw=raw)
        _count(run, outcome)
    return outcomes


def unreadable_file(filename: str, problem: str, *, run: ImportRun | None = None) -> Outcome:
    outcome = Outcome(filename=filename, status="error", error=f"{filename}: cannot read file: {problem}")
    _record(run, outcome, raw=b"")
    _count(run, outcome)
    return outcome


def _describe(exc: Exception) -> str:
    message_dict = getattr(exc, "message_dict", None)
    if message_dict:
        return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in message_dict.items())
    return str(exc) or type(exc).__name__


def _record(run: ImportRun | None, outcome: Outcome, *, raw: bytes) -> None:
    if run is None or run.dry_run:
        return
    ImportedFile.objects.create(
        run=run,
        filename=outcome.filename[:500],
        format=outcome.format[:20],
        source=outcome.article.source if outcome.article else None,
        result=outcome.status,
        article=outcome.article,
        headline=(outcome.story.headline if outcome.story else "")[:255],
        error=outcome.error or "",
        warnings="\n".join(outcome.warnings),
        raw=raw,
    )


def _count(run: ImportRun | None, outcome: Outcome) -> None:
    counter = {"created": "created", "updated": "updated", "duplicate": "duplicates", "error": "failed"}.get(
        outcome.status
    )
    if run is not None and counter:
        setattr(run, counter, getattr(run, counter) + 1)


def finish_run(run: ImportRun) -> ImportRun:
    run.finished_at = timezone.now()
    if not run.dry_run:
        run.save()
    return run


def start_run(*, user=None, origin: str = "command", dry_run: bool = False) -> ImportRun:
    run = ImportRun(user=user, origin=origin, dry_run=dry_run)
    if not dry_run:
        run.save()
    return run
