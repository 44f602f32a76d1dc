"""The import log: a run, and what happened to each file and story in it."""

from dataclasses import dataclass, field

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


def record_failure(run: ImportRun | None, outcome: Outcome, *, raw: bytes) -> None:
    """Log and count one failed file or story (stories saved together are logged together)."""
    if run is not None and not run.dry_run:
        file_record(run, outcome, raw).save()
    count_outcome(run, outcome)


def count_outcome(run: ImportRun | None, outcome: Outcome) -> None:
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
