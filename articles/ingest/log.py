"""The import log: a run, and what happened to each file and story in it."""

from collections import Counter
from dataclasses import dataclass, field, is_dataclass

from django.db.models import F
from django.utils import timezone

from ..models import Article, ImportedFile, ImportRun
from ..wire import WireStory


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
            "urgency": story.urgency if story else None,
            "slugline": (story.slugline or None) if story else None,
            "bylines": list(story.bylines) if story else [],
            "paragraphs": story.paragraphs if story else [],
            "related": [{"title": r.title, "url": r.url or None} for r in story.related] if story else [],
            "removed": list(story.removed) if story else [],
            "warnings": list(self.warnings),
            "error": self.error,
            "article": self.article.pk if self.article and self.article.pk else None,
        }


def unreadable_file(filename: str, problem: str, *, run: ImportRun | None = None) -> Outcome:
    outcome = Outcome(filename=filename, status="error", error=f"{filename}: cannot read file: {problem}")
    record_failure(run, outcome, raw=b"")
    return outcome


def describe_error(exc: Exception) -> str:
    message_dict = getattr(exc, "message_dict", None)
    if message_dict:
        return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in message_dict.items())
    return str(exc) or type(exc).__name__


def file_record(run: ImportRun, outcome: Outcome, raw: bytes = b"") -> ImportedFile:
    return ImportedFile(
        run=run,
        filename=clean_text(outcome.filename)[:500],
        format=outcome.format[:20],
        source=outcome.article.source if outcome.article else None,
        result=outcome.status,
        article=outcome.article,
        headline=clean_text(outcome.story.headline if outcome.story else "")[:255],
        error=clean_text(outcome.error or ""),
        warnings=clean_text("\n".join(outcome.warnings)),
        raw=raw,
    )


def record_failure(run: ImportRun | None, outcome: Outcome, *, raw: bytes) -> None:
    """Log and count one failed file or story (stories saved together are logged together)."""
    if run is not None and not run.dry_run:
        file_record(run, outcome, raw).save()
    count_outcomes(run, [outcome])


#: The run's counter each outcome adds to: a waiting version and a kill are updates of a story.
COUNTERS = {"created": "created", "updated": "updated", "waiting": "updated", "killed": "updated",
            "duplicate": "duplicates", "error": "failed"}  # fmt: skip


def count_outcomes(run: ImportRun | None, outcomes: list[Outcome]) -> None:
    """Add these outcomes to the run's counters, in the database too, so a run killed midway shows what it did."""
    if run is None:
        return
    counts = Counter(COUNTERS[o.status] for o in outcomes if o.status in COUNTERS)
    for counter, n in counts.items():
        setattr(run, counter, getattr(run, counter) + n)
    if counts and run.pk and not run.dry_run:
        ImportRun.objects.filter(pk=run.pk).update(**{counter: F(counter) + n for counter, n in counts.items()})


def scrub(story: WireStory) -> WireStory:
    """``story`` with every text cleaned of what PostgreSQL refuses (NUL, lone surrogates), in place."""
    for name, value in vars(story).items():
        setattr(story, name, _scrubbed(value))
    return story


def _scrubbed(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if is_dataclass(value):
        return type(value)(**{name: _scrubbed(item) for name, item in vars(value).items()})
    return value


def clean_text(text: str) -> str:
    """``text`` without NUL characters and with lone surrogates replaced, as PostgreSQL and UTF-8 need."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def finish_run(run: ImportRun) -> ImportRun:
    run.finished_at = timezone.now()
    if not run.dry_run:
        run.save()
    return run


def start_run(*, user=None, origin: str = "command", dry_run: bool = False, channel=None) -> ImportRun:
    run = ImportRun(user=user, origin=origin, dry_run=dry_run, channel=channel)
    if not dry_run:
        run.save()
    return run
