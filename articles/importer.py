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

from django.conf import settings
from django.db import transaction
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


def resolve_source(story: WireStory, explicit: WireSource | None) -> WireSource | None:
    if explicit:
        return explicit
    if not story.source:
        return None
    wanted = story.source.strip().lower()
    for source in WireSource.objects.all():
        names = {source.name.lower(), *(alias.lower() for alias in source.as_agency().aliases)}
        if wanted in names:
            return source
    source, _ = WireSource.objects.get_or_create(name=story.source.strip()[:100], defaults={"aliases": story.source})
    return source


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


def _set_bylines(article: Article, names: list[str]) -> None:
    article.authorships.all().delete()
    for position, name in enumerate(dict.fromkeys(n.strip() for n in names if n.strip())):
        author = Author.objects.filter(name__iexact=name).first()
        if author is None:
            author = Author.objects.create(name=name[:150], slug=unique_slug(Author, name, max_length=150))
        Authorship.objects.create(article=article, author=author, position=position)


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

    @classmethod
    def load(cls) -> "TagVocabulary":
        return cls(Tag.objects.values_list("name", flat=True).iterator())

    def find(self, text: str) -> list[str]:
        words = WORD.findall(text.lower())
        found = {}
        for start in range(len(words)):
            for length in range(1, min(self.longest, len(words) - start) + 1):
                name = self.by_words.get(tuple(words[start : start + length]))
                if name:
                    found[name] = True
        return list(found)


def _set_tags(article: Article, story: WireStory, vocabulary: TagVocabulary) -> None:
    """The agency's keywords, plus existing tags whose names occur in the text."""
    names = [keyword.strip()[:100] for keyword in story.keywords if keyword.strip()]
    names += vocabulary.find(" ".join([story.headline, *story.paragraphs]))
    if names:
        article.tags.set(list(dict.fromkeys(names)))


def _set_related(article: Article, story: WireStory) -> None:
    article.related_links.all().delete()
    for position, related in enumerate(story.related):
        target = (
            Article.objects.filter(headline__iexact=related.title).exclude(pk=article.pk).first()
            if related.title
            else None
        )
        RelatedLink.objects.create(
            article=article, target=target, url=related.url[:500], title=related.title[:255], position=position
        )
    # Earlier stories that pointed at this headline can now link to it.
    RelatedLink.objects.filter(target__isnull=True, url="", title__iexact=article.headline).exclude(
        article=article
    ).update(target=article)


def _link_near_duplicates(article: Article, story: WireStory) -> None:
    """Link drafts from other agencies that report the same event.

    Headlines that share no words are passed over cheaply; only the few that
    do have their leads loaded and compared.
    """
    if article.source_id is None:
        return
    lead = " ".join(story.paragraphs[:1])
    mine = f"{story.headline} {lead}".lower().split()
    headline_words = set(WORD.findall(story.headline.lower()))
    recent = (
        Article.objects.filter(created_at__gte=timezone.now() - NEAR_DUPLICATE_WINDOW, source__isnull=False)
        .exclude(source=article.source_id)
        .exclude(pk=article.pk)
        .order_by("-created_at")
        .values_list("pk", "headline")[:NEAR_DUPLICATE_CANDIDATES]
    )
    alike = [pk for pk, headline in recent if len(headline_words & set(WORD.findall(headline.lower()))) >= 2]
    for other in Article.objects.filter(pk__in=alike).only("headline", "body"):
        theirs = f"{other.headline} {strip_tags(other.body)[: len(lead) + 50]}".lower().split()
        if difflib.SequenceMatcher(None, mine, theirs).ratio() >= NEAR_DUPLICATE_RATIO:
            article.also_reported_by.add(other)


@transaction.atomic
def story_import(
    *,
    story: WireStory,
    source: WireSource | None = None,
    section: Section | None = None,
    publish: bool = False,
    vocabulary: TagVocabulary | None = None,
) -> tuple[Article, str]:
    """Create or update the article for ``story``; returns ``(article, status)``.

    Identity is the agency plus its story id (a unique constraint), or the
    fingerprint of the text when the agency gives no id.  An update never
    overwrites an article an editor has changed since the import: it only
    flags that a newer wire version exists.  Status, section and tags chosen
    by the desk are never overwritten either.
    """
    source = resolve_source(story, source)
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
        article.full_clean(exclude=["slug"])
        article.save()
        _set_bylines(article, story.bylines)
        _set_related(article, story)
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
    article.full_clean(exclude=["slug"])
    article.save()
    _set_bylines(article, story.bylines)
    _set_tags(article, story, vocabulary or TagVocabulary.load())
    _set_related(article, story)
    _link_near_duplicates(article, story)
    return article, "created"


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
    agencies: list[Agency] | None = None,
    vocabulary: TagVocabulary | None = None,
) -> list[Outcome]:
    """Parse one file and import each story in it; never raises for bad input.

    A batch passes ``agencies`` and ``vocabulary`` loaded once for the run.
    """
    agencies = active_agencies() if agencies is None else agencies
    vocabulary = vocabulary or TagVocabulary.load()
    try:
        stories = parse_bytes(raw, filename, format=format, agencies=agencies, max_size=settings.WIRE_MAX_FILE_SIZE)
    except WireError as exc:
        outcome = Outcome(filename=filename, status="error", format=format, error=f"{filename}: {exc}")
        _record(run, outcome, raw=raw)
        return [outcome]

    outcomes = []
    for story in stories:
        outcome = Outcome(filename=filename, status="new", format=story.format, story=story, warnings=story.warnings)
        if not dry_run:
            try:
                outcome.article, outcome.status = story_import(
                    story=story, source=source, section=section, publish=publish, vocabulary=vocabulary
                )
            except Exception as exc:  # noqa: BLE001 - one story must not stop a batch
                outcome.status, outcome.error = "error", f"{filename}: could not save story: {_describe(exc)}"
        _record(run, outcome, raw=raw if outcome.status == "error" else b"")
        outcomes.append(outcome)
    return outcomes


def unreadable_file(filename: str, problem: str, *, run: ImportRun | None = None) -> Outcome:
    outcome = Outcome(filename=filename, status="error", error=f"{filename}: cannot read file: {problem}")
    _record(run, outcome, raw=b"")
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
    counter = {"created": "created", "updated": "updated", "duplicate": "duplicates", "error": "failed"}.get(
        outcome.status
    )
    if counter:
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
