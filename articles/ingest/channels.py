"""Polling ingest channels: drop folders, RSS/Atom feeds and ninjs endpoints.

One service for both ways of running it: Celery workers (a beat schedule
enqueues a poll per due channel, a folder poll enqueues an import per file)
and ``manage.py ingest --once``/``--watch`` in-process. A channel is claimed
for a poll by a conditional UPDATE and a file by an atomic rename, so any
number of workers on any number of machines never take the same work twice;
the import itself is idempotent besides. An error on one channel is recorded
on it, backs its next poll off, and never stops another.
"""

import logging
import os
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ..models import Channel
from ..wire.registry import looks_like_wire_copy
from . import log as import_log
from .service import import_files

logger = logging.getLogger(__name__)

#: Names of files still being written by the sender; they are left alone.
TEMPORARY_SUFFIXES = (".tmp", ".part", ".partial", ".filepart", ".crdownload", ".swp", "~")
PROCESSING, DONE, FAILED = ".processing", "done", "failed"
#: The longest a failing channel waits before its next try.
MAX_BACKOFF = timedelta(hours=1)


class ChannelError(Exception):
    """A channel cannot be read; the message names the channel's location and the problem."""


@dataclass
class PollResult:
    channel: str
    files: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    not_modified: bool = False
    error: str = ""

    def add(self, outcomes) -> None:
        for outcome in outcomes:
            self.statuses[outcome.status] = self.statuses.get(outcome.status, 0) + 1


def due(now=None):
    return Channel.objects.filter(enabled=True, next_poll_at__lte=now or timezone.now())


def claim(channel: Channel, now=None) -> bool:
    """Take this poll of ``channel``; False when another worker took it first."""
    now = now or timezone.now()
    claimed = Channel.objects.filter(pk=channel.pk, enabled=True, next_poll_at__lte=now).update(
        next_poll_at=now + timedelta(seconds=channel.poll_interval), last_polled_at=now
    )
    return bool(claimed)


def poll(channel: Channel, *, dispatch: Callable[[Channel, list[Path]], None] | None = None) -> PollResult | None:
    """Poll ``channel`` once if it is due and nobody else is polling it.

    Drop-folder files are claimed here and imported ``INGEST_FILES_PER_TASK``
    at a time by ``dispatch`` (a Celery task), or here by ``import_claimed_files``.
    """
    if not claim(channel):
        return None
    result = PollResult(channel=channel.name)
    try:
        if channel.kind == Channel.Kind.FOLDER:
            claimed = claim_files(channel)
            result.files = len(claimed)
            step = settings.INGEST_FILES_PER_TASK
            for lot in (claimed[i : i + step] for i in range(0, len(claimed), step)):
                if dispatch is None:
                    result.add(import_claimed_files(channel, lot))
                else:
                    dispatch(channel, lot)
        else:
            body = fetch(channel)
            if body is None:
                result.not_modified = True
            else:
                result.files = 1
                kind_format = {Channel.Kind.FEED: "rss", Channel.Kind.NINJS: "ninjs"}[channel.kind]
                result.add(_import(channel, lambda run, unreadable: [(channel.location, body)], format=kind_format))
    except ChannelError as exc:
        result.error = str(exc)
        _failed(channel, result.error)
        return result
    Channel.objects.filter(pk=channel.pk).update(failures=0)
    return result


def _failed(channel: Channel, error: str) -> None:
    """Record the error on the channel and back its next poll off: twice the wait for each failure in a row."""
    failures = channel.failures + 1
    wait = min(timedelta(seconds=channel.poll_interval * 2**failures), MAX_BACKOFF)
    now = timezone.now()
    Channel.objects.filter(pk=channel.pk).update(
        failures=F("failures") + 1, last_error=error, last_error_at=now, next_poll_at=now + wait
    )
    logger.warning("channel %s: %s (failure %d in a row; next try in %s)", channel.name, error, failures, wait)


def _import(channel: Channel, read_files, *, format: str) -> list:
    """One run of ``channel``: what ``read_files(run, unreadable)`` yields is imported; files it could not
    read are logged by it into ``unreadable`` and come back among the outcomes."""
    run = import_log.start_run(origin="channel", channel=channel)
    unreadable: list = []
    outcomes = list(
        import_files(
            read_files(run, unreadable),
            run=run,
            format=format,
            source=channel.source,
            section=channel.section,
            publish=channel.publish_on_arrival,
        )
    )
    import_log.finish_run(run)
    outcomes += unreadable
    if any(outcome.status == "created" for outcome in outcomes):
        Channel.objects.filter(pk=channel.pk).update(last_new_story_at=timezone.now())
    return outcomes


# --- drop folders ---------------------------------------------------------------------------------------------------


def claim_files(channel: Channel) -> list[Path]:
    """Move the folder's settled files into its processing folder (an atomic rename each) and return them.

    A file whose size or time still changes between two looks is still being
    written, and waits for the next poll; one claimed by a worker that died
    long ago goes back to the folder to be taken again.
    """
    root = Path(channel.location)
    if not root.is_dir():
        raise ChannelError(f"{root}: the drop folder does not exist (or is not a folder)")
    try:
        for name in (PROCESSING, DONE, FAILED):
            (root / name).mkdir(exist_ok=True)
        _return_abandoned(root / PROCESSING, root)
        candidates = [entry for entry in os.scandir(root) if _is_copy(entry)]
    except OSError as exc:
        raise ChannelError(f"{root}: {exc.strerror or exc}") from exc
    first_look = {entry.path: _signature(entry.path) for entry in candidates}
    if any(time.time() - sig[1] < settings.INGEST_SETTLE_SECONDS for sig in first_look.values() if sig):
        time.sleep(settings.INGEST_SETTLE_SECONDS)
    claimed = []
    for path, signature in sorted(first_look.items(), key=lambda item: item[1][1] if item[1] else 0):
        if signature is None or _signature(path) != signature:
            continue
        target = root / PROCESSING / f"{uuid.uuid4().hex[:12]}--{Path(path).name}"
        try:
            os.rename(path, target)
        except FileNotFoundError:
            continue  # another worker took it
        except OSError as exc:
            logger.warning("channel %s: cannot take %s: %s", channel.name, path, exc.strerror or exc)
            continue
        claimed.append(target)
    return claimed


def _is_copy(entry: os.DirEntry) -> bool:
    name = entry.name.lower()
    return (
        entry.is_file(follow_symlinks=False)
        and not name.endswith(TEMPORARY_SUFFIXES)
        and looks_like_wire_copy(name)  # a README or a picture is left where it is
    )


def _signature(path: str) -> tuple[int, float] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime


def _return_abandoned(processing: Path, root: Path) -> None:
    stale = time.time() - settings.INGEST_ABANDONED_AFTER
    for entry in os.scandir(processing):
        if entry.is_file() and entry.stat().st_mtime < stale:
            original = entry.name.split("--", 1)[-1]
            os.rename(entry.path, root / original)
            logger.warning("returned %s, claimed by a worker that did not finish, to %s", original, root)


def original_name(path: Path) -> str:
    return path.name.split("--", 1)[-1]


def import_claimed_files(channel: Channel, paths: list[Path]) -> list:
    """Import claimed files in one run, then move each to ``done/``, or to ``failed/`` with its errors beside it."""
    names = {str(path): original_name(path) for path in paths}
    outcomes = _import(channel, lambda run, unreadable: _read_claimed(paths, run, unreadable), format="auto")
    errors: dict[str, list[str]] = {}
    for outcome in outcomes:
        if outcome.status == "error":
            errors.setdefault(outcome.filename, []).append(outcome.error)
    for path in paths:
        if path.exists():
            _file_away(path, names[str(path)], errors.get(names[str(path)], []))
    return outcomes


def _read_claimed(paths: list[Path], run, unreadable: list):
    for path in paths:
        try:
            yield original_name(path), path.read_bytes()
        except OSError as exc:
            unreadable.append(import_log.unreadable_file(original_name(path), exc.strerror or str(exc), run=run))


def _file_away(path: Path, name: str, errors: list[str]) -> None:
    destination = path.parent.parent / (FAILED if errors else DONE) / name
    if destination.exists():
        destination = destination.with_name(f"{timezone.now():%Y%m%dT%H%M%S%f}-{name}")
    os.rename(path, destination)
    if errors:
        destination.with_name(destination.name + ".error.txt").write_text("\n".join(errors) + "\n", encoding="utf-8")


# --- feeds and endpoints --------------------------------------------------------------------------------------------


class _BoundedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 3


def fetch(channel: Channel) -> bytes | None:
    """The channel's document, or None when it has not changed since the last poll (a 304)."""
    headers = {"User-Agent": f"{settings.SITE_NAME} ingest", "Accept": "*/*"}
    if channel.etag:
        headers["If-None-Match"] = channel.etag
    if channel.last_modified:
        headers["If-Modified-Since"] = channel.last_modified
    request = urllib.request.Request(channel.location, headers=headers)
    opener = urllib.request.build_opener(_BoundedRedirects)
    url = channel.location
    try:
        with opener.open(request, timeout=settings.INGEST_TIMEOUT) as response:
            body = _read_bounded(response, url)
            content_type = response.headers.get("Content-Type", "")
            etag, last_modified = response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise ChannelError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChannelError(f"{url}: {reason}") from None
    if "html" in content_type.lower() or body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise ChannelError(f"{url}: answered with an HTML page, not a feed (has the address moved?)")
    Channel.objects.filter(pk=channel.pk).update(etag=etag[:500], last_modified=last_modified[:100])
    return body


def _read_bounded(response, url: str) -> bytes:
    """The body, refused when it grows past ``INGEST_MAX_BYTES`` or takes longer than ``INGEST_TIMEOUT`` in all."""
    deadline = time.monotonic() + settings.INGEST_TIMEOUT
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > settings.INGEST_MAX_BYTES:
            raise ChannelError(f"{url}: the response is larger than {settings.INGEST_MAX_BYTES:,} bytes")
        if time.monotonic() > deadline:
            raise ChannelError(f"{url}: the response took longer than {settings.INGEST_TIMEOUT} s")
        chunks.append(chunk)
    return b"".join(chunks)
