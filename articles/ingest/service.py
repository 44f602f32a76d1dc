"""The wire import service: ``WireStory`` objects in, draft articles out.

Both ``manage.py import_wire`` and the admin's import page call
``import_files``: new stories are saved many to a transaction, and any lot
that fails is saved again story by story, so a story is imported whole or
not at all and a bad file never stops a batch.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone

from .. import policy, revisions
from ..caching import invalidate_pages
from ..models import Article, Authorship, ImportedFile, ImportRun, RelatedLink, Section, WireSource, WireVersion
from ..models.content import unique_slugs
from ..wire import WireError, WireStory, parse_bytes
from .batch import ImportBatch, named_any
from .duplicates import link_near_duplicates
from .identity import (
    article_identity,
    find_resent,
    is_newer,
    lock_existing,
    resolve_source,
    story_fingerprint,
    story_identity,
)
from .log import Outcome, count_outcomes, describe_error, file_record, record_failure, scrub
from .versions import Copy, apply_fields, is_waiting_for_editor, kill, new_version, story_fields

#: New stories are written this many at a time, in one transaction.
CHUNK_SIZE = 100


def _apply_story(article: Article, story: WireStory) -> None:
    """Copy the wire fields onto ``article`` (never status or placement)."""
    apply_fields(article, story_fields(story))
    article.wire_version = story.version
    article.wire_sent_at = story.published_at


def _store(model, rows: list, articles: list[Article], *, replace: bool, compared: tuple[str, ...]) -> None:
    """Insert these rows of ``model`` (bylines, related links) for ``articles``.

    With ``replace`` the articles had rows already: those of an article whose
    ``compared`` columns differ are deleted and its new rows go in; an update
    that changes no byline or link writes nothing.
    """
    if replace:
        current, wanted = defaultdict(list), defaultdict(list)
        existing = model.objects.filter(article__in=articles).order_by("article_id", "position", "pk")
        for article_id, *values in existing.values_list("article_id", *compared):
            current[article_id].append(tuple(values))
        for row in rows:
            wanted[row.article.pk].append(tuple(getattr(row, name) for name in compared))
        changed = {article.pk for article in articles if current[article.pk] != wanted[article.pk]}
        if changed:
            model.objects.filter(article__in=changed).delete()
        rows = [row for row in rows if row.article.pk in changed]
    model.objects.bulk_create(rows)


def _add_bylines(articles: list[Article], stories: list[WireStory], batch: ImportBatch, *, replace=False) -> None:
    names = [[name.strip() for name in story.bylines if name.strip()] for story in stories]
    author_ids = batch.author_ids([name for story_names in names for name in story_names])
    rows = [
        Authorship(article=article, author_id=author_id, position=position)
        for article, story_names in zip(articles, names, strict=True)
        for position, author_id in enumerate(dict.fromkeys(author_ids[name.lower()] for name in story_names))
    ]
    _store(Authorship, rows, articles, replace=replace, compared=("author_id", "position"))


def _add_tags(articles: list[Article], stories: list[WireStory], batch: ImportBatch) -> None:
    """Existing tags only: those the agency's keywords name and those whose names occur in the text.

    The keywords themselves are the article's ``wire_keywords``; they never become tags (``articles.tagging``).
    """
    through = Article.tags.through
    through.objects.bulk_create(
        through(content_object=article, tag_id=pk)
        for article, story in zip(articles, stories, strict=True)
        for _, pk in batch.vocabulary.matching(story.keywords, " ".join([story.headline, *story.paragraphs]))
    )


def _add_related(articles: list[Article], stories: list[WireStory], *, replace=False) -> None:
    """Each story's related links, pointing at our article where one has that headline."""
    titles = {related.title.lower() for story in stories for related in story.related if related.title}
    targets: dict[str, list[Article]] = {}
    if titles:
        candidates = named_any(Article.objects.all(), titles, field="headline")
        for target in candidates.only("pk", "headline"):
            targets.setdefault(target.headline.lower(), []).append(target)
    links = []
    for article, story in zip(articles, stories, strict=True):
        for position, related in enumerate(story.related):
            found = [t for t in targets.get(related.title.lower(), []) if t.pk != article.pk] if related.title else []
            links.append(
                RelatedLink(
                    article=article,
                    target=found[0] if found else None,
                    url=related.url[:500],
                    title=related.title[:255],
                    position=position,
                )
            )
    _store(RelatedLink, links, articles, replace=replace, compared=("target_id", "url", "title", "position"))
    _resolve_waiting_links(articles)


def _resolve_waiting_links(articles: list[Article]) -> None:
    """Earlier stories that pointed at these headlines ("Read: ...") can now link to them."""
    by_headline = {}
    for article in articles:
        by_headline.setdefault(article.headline.upper(), article)
    waiting = RelatedLink.objects.annotate(title_upper=Upper("title")).filter(
        target__isnull=True, url="", title_upper__in=list(by_headline)
    )
    resolved = []
    for link in waiting:
        target = by_headline.get(link.title_upper)
        if target is not None and target.pk != link.article_id:
            link.target = target
            resolved.append(link)
    RelatedLink.objects.bulk_update(resolved, ["target"])


def _create(
    stories: list[WireStory],
    sources: list[WireSource | None],
    fingerprints: list[str],
    copies: list[Copy],
    *,
    section: Section | None,
    publish: bool,
    batch: ImportBatch,
    user,
) -> list[Article]:
    """New articles for these stories, each table written with one INSERT for the lot."""
    articles = []
    for story, source, fingerprint in zip(stories, sources, fingerprints, strict=True):
        article = Article(
            source=source,
            source_story_id=story.source_id[:255],
            wire_fingerprint=fingerprint,
            section=section,
            status=Article.Status.DRAFT,
            wire_canceled=story.canceled,
        )
        _apply_story(article, story)
        article.credit = article.credit or (source.name[:100] if source else "")
        if publish and not _publish_blockers(article, story):
            article.status = Article.Status.PUBLISHED
            # Published now: the agency's own time (kept in ``wire_sent_at``) may be years back, which
            # would file a story just put online deep in the archive, out of Latest and the news sitemap.
            article.published_at = timezone.now()
        articles.append(article)
    for article, slug in zip(articles, unique_slugs(Article, [a.headline for a in articles]), strict=True):
        article.slug = slug
    for article in articles:
        article.fill_derived_fields()
        _validate(article)
    Article.objects.bulk_create(articles)
    WireVersion.objects.bulk_create(
        new_version(article, story, copy, WireVersion.State.APPLIED, fingerprint=fingerprint)
        for article, story, copy, fingerprint in zip(articles, stories, copies, fingerprints, strict=True)
    )
    _add_bylines(articles, stories, batch)
    _add_tags(articles, stories, batch)
    _add_related(articles, stories)
    revisions.keep_parts_of_bulk(Article.history.bulk_history_create(articles, default_user=user))
    link_near_duplicates(articles, stories, batch)
    if any(article.status == Article.Status.PUBLISHED for article in articles):
        invalidate_pages(sender=Article)  # one INSERT sends no post_save signals
    return articles


def _publish_blockers(article: Article, story: WireStory) -> list[str]:
    """The publishing checklist for a new article, whose bylines are still the story's."""
    return policy.publish_blockers(article, bylines=[name for name in story.bylines if name.strip()])


class _Applied:
    """Newer copies applied to untouched drafts in one lot, written together when the lot is done.

    Such drafts were never public, so their rows change no page and need no
    signals: an UPDATE each, one history INSERT, and the bylines, related
    links and versions of the lot each in one statement.
    """

    def __init__(self):
        self.stories: dict[int, tuple[Article, WireStory]] = {}
        self.versions: list[WireVersion] = []

    def seen(self, article: Article, fingerprint: str) -> bool:
        """This copy's text already came in this lot (its version is not written yet, so ``is_newer``
        cannot find it)."""
        return bool(fingerprint) and any(
            version.article.pk == article.pk and version.parsed["fingerprint"] == fingerprint
            for version in self.versions
        )

    def write(self, batch: ImportBatch, user) -> None:
        articles = [article for article, _ in self.stories.values()]
        if articles:
            now = timezone.now()
            # The whole row, as save() writes it (the slug follows a new headline: these drafts were never
            # public). An UPDATE each: Django's bulk_update builds a CASE per column per row, slower here.
            columns = [field.attname for field in Article._meta.concrete_fields if not field.primary_key]
            for article in articles:
                article.version += 1
                article.updated_at = now
                article.fill_derived_fields()
                Article.objects.filter(pk=article.pk).update(**{name: getattr(article, name) for name in columns})
            stories = [story for _, story in self.stories.values()]
            _add_bylines(articles, stories, batch, replace=True)
            _add_related(articles, stories, replace=True)
            revisions.keep_parts_of_bulk(Article.history.bulk_history_create(articles, update=True, default_user=user))
        WireVersion.objects.bulk_create(self.versions)


def _update(article: Article, story: WireStory, copy: Copy, fingerprint: str, applied: _Applied) -> str:
    """What a later copy of a story does to the article it already is.

    A kill is obeyed at once. A copy no newer than what the article holds is a
    duplicate. A newer copy updates a draft nobody has touched; once an editor
    changed the story or it was ever published, it waits for an editor. A
    killed story stays killed whatever comes after. Every copy is kept.
    """
    State = WireVersion.State
    if story.canceled and not article.wire_canceled:
        kill(article)
        state, outcome = State.KILL, "killed"
    elif article.wire_canceled or applied.seen(article, fingerprint) or not is_newer(story, article, fingerprint):
        state, outcome = State.DUPLICATE, "duplicate"
    elif is_waiting_for_editor(article):
        article.wire_update_available = True
        article.save(update_fields=["wire_update_available", "updated_at", "version"])
        state, outcome = State.WAITING, "waiting"
    else:
        _apply_story(article, story)
        if fingerprint:
            article.wire_fingerprint = fingerprint
        _validate(article)
        applied.stories[article.pk] = (article, story)
        state, outcome = State.APPLIED, "updated"
    applied.versions.append(new_version(article, story, copy, state, fingerprint=fingerprint))
    return outcome


@transaction.atomic(savepoint=False)
def save_stories(
    stories: list[WireStory],
    *,
    copies: list[Copy] | None = None,
    source: WireSource | None = None,
    section: Section | None = None,
    publish: bool = False,
    batch: ImportBatch | None = None,
    user=None,
) -> list[tuple[Article, str]]:
    """Create or update the article for each story; returns ``(article, status)`` for each, in order.

    Identity is the agency plus its story id (a unique constraint), or for
    copy without ids the fingerprint of the text, or the same agency's
    near-identical story received lately (a re-send with a fix). Status,
    section and tags chosen by the desk are never overwritten. New articles
    are written together; a story met again (a later version in the same
    lot) updates the article its first version made. ``copies`` are the files
    the stories came from, kept with each version.
    """
    batch = batch or ImportBatch()
    copies = copies or [Copy() for _ in stories]
    sources = [resolve_source(story, source, batch) for story in stories]
    fingerprints = [
        "" if story.source_id else story_fingerprint(story, source)
        for story, source in zip(stories, sources, strict=True)
    ]
    identities = [story_identity(*item) for item in zip(stories, sources, fingerprints, strict=True)]
    articles = lock_existing(identities)
    resent = find_resent(
        [(i, stories[i], sources[i]) for i, identity in enumerate(identities) if identity not in articles], batch
    )
    for i, article in resent.items():
        identities[i] = article_identity(article)
        articles[identities[i]] = article
    new, seen = [], set(articles)
    for i, identity in enumerate(identities):
        if identity not in seen:
            new.append(i)
            seen.add(identity)
    created = _create(
        [stories[i] for i in new],
        [sources[i] for i in new],
        [fingerprints[i] for i in new],
        [copies[i] for i in new],
        section=section,
        publish=publish,
        batch=batch,
        user=user,
    )
    results: list[tuple[Article, str] | None] = [None] * len(stories)
    for i, article in zip(new, created, strict=True):
        articles[identities[i]] = article
        results[i] = (article, "created")
    applied = _Applied()
    for i, story in enumerate(stories):
        if results[i] is None:
            article = articles[identities[i]]
            results[i] = (article, _update(article, story, copies[i], fingerprints[i], applied))
    applied.write(batch, user)
    return results


def _warn_not_published(outcome: Outcome, blockers: list[str]) -> None:
    warning = "left as a draft, not published: " + "; ".join(blockers)
    if warning not in outcome.warnings:  # a lot saved again story by story comes through here twice
        outcome.warnings.append(warning)


def _validate(article: Article) -> None:
    # Identity was looked up above under a row lock, the slug made unique and the
    # source and section read from the database; the database's constraints still
    # catch a race with another importer.
    article.full_clean(exclude=["slug", "source", "section"], validate_unique=False, validate_constraints=False)


def import_files(
    files: Iterable[tuple[str, bytes]],
    *,
    run: ImportRun | None = None,
    format: str = "auto",
    source: WireSource | None = None,
    section: Section | None = None,
    publish: bool = False,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
) -> Iterator[Outcome]:
    """Parse and import each ``(filename, raw)``; yields an ``Outcome`` per story or unreadable file.

    Never raises for bad input.  Stories are saved ``CHUNK_SIZE`` at a time,
    with their ``ImportedFile`` records, in one transaction; if anything in a
    chunk fails, its stories are saved again one per transaction, so a story
    imports whole or not at all and a bad one costs only itself.  A dry run
    does exactly that and rolls every transaction back, so it reports what a
    real run would do.
    """
    batch = batch or ImportBatch()
    options = {"run": run, "source": source, "section": section, "publish": publish, "batch": batch,
               "dry_run": dry_run}  # fmt: skip
    waiting: list[tuple[Outcome, Copy]] = []
    for filename, raw in files:
        outcomes = _parse(raw, filename, format=format, run=run, batch=batch)
        for outcome in outcomes:
            if outcome.status == "error":
                yield outcome
            else:
                waiting.append((outcome, Copy(filename, raw, len(outcomes))))
        if len(waiting) >= CHUNK_SIZE:
            yield from _save(waiting, **options)
            waiting = []
    if waiting:
        yield from _save(waiting, **options)


def import_file(raw: bytes, filename: str, **options) -> list[Outcome]:
    """``import_files`` for one file."""
    return list(import_files([(filename, raw)], **options))


def _parse(raw: bytes, filename: str, *, format: str, run: ImportRun | None, batch: ImportBatch) -> list[Outcome]:
    try:
        stories = parse_bytes(
            raw, filename, format=format, agencies=batch.agencies, max_size=settings.WIRE_MAX_FILE_SIZE
        )
    except WireError as exc:
        outcome = Outcome(filename=filename, status="error", format=format, error=f"{filename}: {exc}")
        record_failure(run, outcome, raw=raw)
        return [outcome]
    return [
        Outcome(filename=filename, status="new", format=story.format, story=scrub(story), warnings=story.warnings)
        for story in stories
    ]


class _DryRun(Exception):
    """Raised to roll a dry run's transaction back once its outcomes are known."""


def _save(waiting: list[tuple[Outcome, Copy]], **options) -> list[Outcome]:
    """Save these parsed stories together, or, if that fails, each on its own."""
    outcomes = [outcome for outcome, _ in waiting]
    run, batch, dry_run = options["run"], options["batch"], options["dry_run"]
    batch.begin()
    try:
        with transaction.atomic():
            results = save_stories(
                [outcome.story for outcome in outcomes],
                copies=[copy for _, copy in waiting],
                source=options["source"],
                section=options["section"],
                publish=options["publish"],
                batch=batch,
                user=run.user if run else None,
            )
            for outcome, (article, status) in zip(outcomes, results, strict=True):
                outcome.article, outcome.status = article, status
                if options["publish"] and status == "created" and article.status != Article.Status.PUBLISHED:
                    _warn_not_published(outcome, _publish_blockers(article, outcome.story))
            if dry_run:
                raise _DryRun
            if run is not None:
                ImportedFile.objects.bulk_create(file_record(run, outcome) for outcome in outcomes)
    except _DryRun:
        batch.rollback()
        for outcome in outcomes:
            if outcome.status == "created":
                outcome.status, outcome.article = "new", None
        return outcomes
    except Exception as exc:  # noqa: BLE001 - one story must not stop a batch
        batch.rollback()
        if len(waiting) > 1:
            return [outcome for item in waiting for outcome in _save([item], **options)]
        [(outcome, copy)] = waiting
        outcome.article = None
        outcome.status, outcome.error = "error", f"{outcome.filename}: could not save story: {describe_error(exc)}"
        record_failure(run, outcome, raw=copy.raw)
        return [outcome]
    count_outcomes(run, outcomes)
    return outcomes
