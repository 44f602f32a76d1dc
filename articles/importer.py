"""The wire import service: ``WireStory`` objects in, draft articles out.

Both ``manage.py import_wire`` and the admin's import page call
``import_files``: new stories are saved many to a transaction, and any lot
that fails is saved again story by story, so a story is imported whole or
not at all and a bad file never stops a batch.
"""

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Substr, Upper
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from .caching import invalidate_pages
from .models import Article, Author, Authorship, ImportedFile, ImportRun, RelatedLink, Section, WireSource
from .models.content import unique_slugs
from .sanitize import strip_tags
from .wire import Agency, WireError, WireStory, parse_bytes

#: Stories from two agencies this close in time, with leads this alike, are
#: the same event reported twice.
NEAR_DUPLICATE_WINDOW = timedelta(hours=36)
NEAR_DUPLICATE_RATIO = 0.6
NEAR_DUPLICATE_CANDIDATES = 300
#: The newest stories of any agency read once per lot, to find each story's candidates in.
NEAR_DUPLICATE_POOL = 4 * NEAR_DUPLICATE_CANDIDATES
#: How much of a lead is compared.
NEAR_DUPLICATE_TEXT = 1000

#: New stories are written this many at a time, in one transaction.
CHUNK_SIZE = 100

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
    near-duplicate check meets them. Whatever a transaction added here is
    forgotten if it is rolled back, since the rows went with it.
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
        self._added_since_begin: list[tuple[dict, str]] = []

    def begin(self) -> None:
        """Stories are about to be saved in one transaction."""
        self._added_since_begin.clear()

    def rollback(self) -> None:
        """That transaction was rolled back: forget what it added."""
        for memo, key in self._added_since_begin:
            memo.pop(key, None)
        self._added_since_begin.clear()

    def _remember(self, memo: dict, key: str, value) -> None:
        memo[key] = value
        self._added_since_begin.append((memo, key))

    def source(self, name: str) -> WireSource:
        """The wire source called ``name`` (or so aliased), created when new."""
        key = name.strip().lower()
        if key not in self._sources:
            source, _ = WireSource.objects.get_or_create(name=name.strip()[:100], defaults={"aliases": name})
            self._remember(self._sources, key, source)
        return self._sources[key]

    def author_ids(self, names: list[str]) -> dict[str, int]:
        """Author ids by lower-cased name for these names; the missing authors are looked up, and
        created, together."""
        missing = self._look_up(Author, self._authors, names)
        if missing:
            new = {key: name[:150] for key, name in missing.items() if key not in self._authors}
            slugs = unique_slugs(Author, list(new.values()), max_length=150)
            created = Author.objects.bulk_create(
                Author(name=name, slug=slug) for name, slug in zip(new.values(), slugs, strict=True)
            )
            for key, author in zip(new, created, strict=True):
                self._remember(self._authors, key, author.pk)
        return self._authors

    def tag_ids(self, names: list[str]) -> dict[str, int]:
        """Tag ids by lower-cased name; missing tags are looked up together and created one by one
        (taggit makes their slugs)."""
        for key, name in self._look_up(Tag, self._tags, names).items():
            if key not in self._tags:
                self._remember(self._tags, key, Tag.objects.create(name=name).pk)
        return self._tags

    def _look_up(self, model, memo: dict[str, int], names: list[str]) -> dict[str, str]:
        """Remember the ids of the rows of ``model`` called any of ``names`` (ignoring case) that ``memo``
        lacks, in one query; returns the names it lacked, by lower-cased name."""
        missing = {name.lower(): name for name in names if name.lower() not in memo}
        if missing:
            for row in model.objects.filter(_named_any(missing.values())):
                if row.name.lower() in missing and row.name.lower() not in memo:
                    self._remember(memo, row.name.lower(), row.pk)
        return missing

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
            # Enough of the HTML to hold that much text.
            leads = Article.objects.filter(pk__in=missing).values_list("pk", Substr("body", 1, 3 * NEAR_DUPLICATE_TEXT))
            for pk, body in leads:
                self._texts[pk] = strip_tags(body)[:NEAR_DUPLICATE_TEXT]
        return {pk: self._texts[pk] for pk in pks if pk in self._texts}

    @staticmethod
    def _bound(memo: dict) -> None:
        """Keep a per-article memo to a few candidate pools, so memory stays flat over a long run."""
        if len(memo) >= 3 * NEAR_DUPLICATE_POOL:
            memo.clear()


def _named_any(names, *, field: str = "name") -> Q:
    """``field`` equal to any of ``names``, ignoring case."""
    return reduce(or_, (Q(**{f"{field}__iexact": name}) for name in names))


def resolve_source(story: WireStory, explicit: WireSource | None, batch: ImportBatch) -> WireSource | None:
    if explicit:
        return explicit
    return batch.source(story.source) if story.source.strip() else None


def _identity(story: WireStory, source: WireSource | None, fingerprint: str) -> tuple:
    if story.source_id:
        return ("story", source.pk if source else None, story.source_id[:255])
    return ("text", fingerprint)


def _article_identity(article: Article) -> tuple:
    if article.source_story_id:
        return ("story", article.source_id, article.source_story_id)
    return ("text", article.wire_fingerprint)


def _lock_existing(identities: list[tuple]) -> dict[tuple, Article]:
    """The articles these stories already are, locked until the transaction ends."""
    wanted = []
    for identity in identities:
        if identity[0] == "story":
            _, source_id, story_id = identity
            wanted.append(Q(source=source_id, source_story_id=story_id))
        else:
            wanted.append(Q(wire_fingerprint=identity[1]))
    found = Article.objects.select_for_update().filter(reduce(or_, wanted))
    return {_article_identity(article): article for article in found}


def _add_bylines(articles: list[Article], stories: list[WireStory], batch: ImportBatch) -> None:
    names = [[name.strip() for name in story.bylines if name.strip()] for story in stories]
    author_ids = batch.author_ids([name for story_names in names for name in story_names])
    Authorship.objects.bulk_create(
        Authorship(article=article, author_id=author_id, position=position)
        for article, story_names in zip(articles, names, strict=True)
        for position, author_id in enumerate(dict.fromkeys(author_ids[name.lower()] for name in story_names))
    )


def _add_tags(articles: list[Article], stories: list[WireStory], batch: ImportBatch) -> None:
    """The agency's keywords, plus existing tags whose names occur in the text."""
    names = [
        [keyword.strip()[:100] for keyword in story.keywords if keyword.strip()]
        + batch.vocabulary.find(" ".join([story.headline, *story.paragraphs]))
        for story in stories
    ]
    tag_ids = batch.tag_ids([name for story_names in names for name in story_names])
    through = Article.tags.through
    through.objects.bulk_create(
        through(content_object=article, tag_id=tag_id)
        for article, story_names in zip(articles, names, strict=True)
        for tag_id in dict.fromkeys(tag_ids[name.lower()] for name in story_names)
    )


def _add_related(articles: list[Article], stories: list[WireStory]) -> None:
    """Each story's related links, pointing at our article where one has that headline."""
    titles = {related.title.lower() for story in stories for related in story.related if related.title}
    targets: dict[str, list[Article]] = {}
    if titles:
        candidates = Article.objects.filter(_named_any(titles, field="headline"))
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
    RelatedLink.objects.bulk_create(links)
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


def _link_near_duplicates(articles: list[Article], stories: list[WireStory], batch: ImportBatch) -> None:
    """Link stories from other agencies that report the same event.

    Candidates are the newest stories of other agencies, this lot's earlier
    ones first; headlines that share fewer than two words are passed over
    cheaply, and only the few that do have their leads compared.  Words in
    many of the recent headlines ("the", "in", "says") do not count as shared.
    """
    pairs = []
    earlier: list[tuple[int, str, int]] = []
    pool = None
    for article, story in zip(articles, stories, strict=True):
        if article.source_id is None:
            continue
        if pool is None:
            pool = list(
                Article.objects.filter(created_at__gte=timezone.now() - NEAR_DUPLICATE_WINDOW, source__isnull=False)
                .exclude(pk__in=[a.pk for a in articles])
                .order_by("-created_at")
                .values_list("pk", "headline", "source_id")[:NEAR_DUPLICATE_POOL]
            )
            common = _common_words([batch.headline_words(pk, headline) for pk, headline, _ in pool])
        lead = " ".join(story.paragraphs[:1])[:NEAR_DUPLICATE_TEXT]
        mine = f"{story.headline} {lead}".lower().split()
        headline_words = set(WORD.findall(story.headline.lower())) - common
        candidates = [row for row in (*reversed(earlier), *pool) if row[2] != article.source_id]
        alike = {
            pk: headline
            for pk, headline, _ in candidates[:NEAR_DUPLICATE_CANDIDATES]
            if len(headline_words & batch.headline_words(pk, headline)) >= 2
        }
        for pk, text in batch.texts(list(alike)).items():
            theirs = f"{alike[pk]} {text[: len(lead) + 50]}".lower().split()
            if _alike(mine, theirs):
                pairs.append((article.pk, pk))
        earlier.append((article.pk, article.headline, article.source_id))
    through = Article.also_reported_by.through
    through.objects.bulk_create(
        [through(from_article_id=a, to_article_id=b) for pair in pairs for a, b in (pair, pair[::-1])],
        ignore_conflicts=True,
    )


def _common_words(headlines: list[set[str]]) -> set[str]:
    """Words in more than one in twenty of these headlines (and in more than ten)."""
    counts = Counter(word for words in headlines for word in words)
    floor = max(10, len(headlines) // 20)
    return {word for word, n in counts.items() if n > floor}


def _alike(mine: list[str], theirs: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, mine, theirs)
    # The quick upper bounds first: most candidates fail them.
    return (
        matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.ratio() >= NEAR_DUPLICATE_RATIO
    )


def _create(
    stories: list[WireStory],
    sources: list[WireSource | None],
    fingerprints: list[str],
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
        )
        _apply_story(article, story)
        if publish and not article.wire_canceled:
            article.status = Article.Status.PUBLISHED
            article.published_at = story.published_at or timezone.now()
        articles.append(article)
    for article, slug in zip(articles, unique_slugs(Article, [a.headline for a in articles]), strict=True):
        article.slug = slug
    for article in articles:
        article.fill_derived_fields()
        _validate(article)
    Article.objects.bulk_create(articles)
    Article.history.bulk_history_create(articles, default_user=user)
    _add_bylines(articles, stories, batch)
    _add_tags(articles, stories, batch)
    _add_related(articles, stories)
    _link_near_duplicates(articles, stories, batch)
    if any(article.status == Article.Status.PUBLISHED for article in articles):
        invalidate_pages(sender=Article)  # one INSERT sends no post_save signals
    return articles


def _update(article: Article, story: WireStory, batch: ImportBatch) -> str:
    """Apply a story to the article it already is, unless it is no newer or an editor changed it."""
    if story.canceled and not article.wire_canceled:
        article.wire_canceled = True
        article.save(update_fields=["wire_canceled", "updated_at", "version"])
        return "updated"
    if not _is_newer(story, article):
        return "duplicate"
    if article.edited_since_import:
        article.wire_update_available = True
        article.save(update_fields=["wire_update_available", "updated_at", "version"])
        return "updated"
    _apply_story(article, story)
    _validate(article)
    article.save()
    article.authorships.all().delete()
    _add_bylines([article], [story], batch)
    article.related_links.all().delete()
    _add_related([article], [story])
    return "updated"


@transaction.atomic(savepoint=False)
def save_stories(
    stories: list[WireStory],
    *,
    source: WireSource | None = None,
    section: Section | None = None,
    publish: bool = False,
    batch: ImportBatch | None = None,
    user=None,
) -> list[tuple[Article, str]]:
    """Create or update the article for each story; returns ``(article, status)`` for each, in order.

    Identity is the agency plus its story id (a unique constraint), or the
    fingerprint of the text when the agency gives no id.  An update never
    overwrites an article an editor has changed since the import: it only
    flags that a newer wire version exists.  Status, section and tags chosen
    by the desk are never overwritten either.  New articles are written
    together; a story met again (a later version in the same lot) updates
    the article its first version made.
    """
    batch = batch or ImportBatch()
    sources = [resolve_source(story, source, batch) for story in stories]
    fingerprints = [
        "" if story.source_id else story_fingerprint(story, source)
        for story, source in zip(stories, sources, strict=True)
    ]
    identities = [_identity(*item) for item in zip(stories, sources, fingerprints, strict=True)]
    articles = _lock_existing(identities)
    new, seen = [], set(articles)
    for i, identity in enumerate(identities):
        if identity not in seen:
            new.append(i)
            seen.add(identity)
    created = _create(
        [stories[i] for i in new],
        [sources[i] for i in new],
        [fingerprints[i] for i in new],
        section=section,
        publish=publish,
        batch=batch,
        user=user,
    )
    results: list[tuple[Article, str] | None] = [None] * len(stories)
    for i, article in zip(new, created, strict=True):
        articles[identities[i]] = article
        results[i] = (article, "created")
    for i, story in enumerate(stories):
        if results[i] is None:
            article = articles[identities[i]]
            results[i] = (article, _update(article, story, batch))
    return results


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
    imports whole or not at all and a bad one costs only itself.
    """
    batch = batch or ImportBatch()
    options = {"run": run, "source": source, "section": section, "publish": publish, "batch": batch}
    waiting: list[tuple[Outcome, bytes]] = []
    for filename, raw in files:
        for outcome in _parse(raw, filename, format=format, run=run, batch=batch):
            if outcome.status == "error" or dry_run:
                yield outcome
            else:
                waiting.append((outcome, raw))
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
        _record(run, outcome, raw=raw)
        return [outcome]
    return [
        Outcome(filename=filename, status="new", format=story.format, story=story, warnings=story.warnings)
        for story in stories
    ]


def _save(waiting: list[tuple[Outcome, bytes]], **options) -> list[Outcome]:
    """Save these parsed stories together, or, if that fails, each on its own."""
    outcomes = [outcome for outcome, _ in waiting]
    run, batch = options["run"], options["batch"]
    batch.begin()
    try:
        with transaction.atomic():
            results = save_stories(
                [outcome.story for outcome in outcomes],
                source=options["source"],
                section=options["section"],
                publish=options["publish"],
                batch=batch,
                user=run.user if run else None,
            )
            for outcome, (article, status) in zip(outcomes, results, strict=True):
                outcome.article, outcome.status = article, status
            if run is not None and not run.dry_run:
                ImportedFile.objects.bulk_create(_file_record(run, outcome) for outcome in outcomes)
    except Exception as exc:  # noqa: BLE001 - one story must not stop a batch
        batch.rollback()
        if len(waiting) > 1:
            return [outcome for item in waiting for outcome in _save([item], **options)]
        [(outcome, raw)] = waiting
        outcome.article = None
        outcome.status, outcome.error = "error", f"{outcome.filename}: could not save story: {_describe(exc)}"
        _record(run, outcome, raw=raw)
        return [outcome]
    for outcome in outcomes:
        _count(run, outcome)
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


def _file_record(run: ImportRun, outcome: Outcome, raw: bytes = b"") -> ImportedFile:
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


def _record(run: ImportRun | None, outcome: Outcome, *, raw: bytes) -> None:
    """Log and count one failed file or story (stories saved together are logged together)."""
    if run is not None and not run.dry_run:
        _file_record(run, outcome, raw).save()
    _count(run, outcome)


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
