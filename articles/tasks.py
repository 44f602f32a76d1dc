"""Background work: image renditions, wire imports and ingest channel polls, so no request waits on them.

Each task is sent with ``delay_on_commit``: the worker only ever sees rows that
were committed.  Without a broker the tasks run in the sending process.
"""

from pathlib import Path

from celery import shared_task
from django.apps import apps
from django.contrib.auth import get_user_model

from . import images, ingest
from .ingest import channels
from .models import Channel, ImportedFile, ImportRun, Section, WireSource


def runs_in_background() -> bool:
    """Whether tasks go to a worker (a broker is configured) rather than run on the spot."""
    return not make_renditions.app.conf.task_always_eager


@shared_task(autoretry_for=images.STORAGE_ERRORS, retry_backoff=5, retry_backoff_max=600, max_retries=8)
def make_renditions(app_label: str, model: str, pk: int, field: str) -> int:
    """Write the renditions of one stored image; each run rewrites them all, so retries and repeats are harmless."""
    instance = apps.get_model(app_label, model)._default_manager.filter(pk=pk).first()
    if instance is None:  # deleted before the worker got to it
        return 0
    return len(images.make_renditions(getattr(instance, field)))


def enqueue_renditions(instance, field: str) -> None:
    make_renditions.delay_on_commit(instance._meta.app_label, instance._meta.model_name, instance.pk, field)


@shared_task
def import_upload(
    upload: str, *, run_id: int, format: str = "auto", source_id: int | None = None, section_id: int | None = None
) -> str:
    """Import the files the admin's import page kept (``PendingUpload`` rows of token ``upload``) into its run."""
    from .admin_import import discard_upload, stored_files  # the page imports this module

    run = ImportRun.objects.get(pk=run_id)
    source = WireSource.objects.filter(pk=source_id).first() if source_id else None
    section = Section.objects.filter(pk=section_id).first() if section_id else None
    list(ingest.import_files(stored_files(upload), run=run, format=format, source=source, section=section))
    discard_upload(upload)
    return ingest.finish_run(run).summary


@shared_task
def rerun_failed_files(ids: list[int], user_id: int | None) -> str:
    """Import the failed files of the import log again, as a new run by ``user_id``."""
    run = ingest.start_run(user=get_user_model()._default_manager.filter(pk=user_id).first(), origin="admin re-run")
    failed = ImportedFile.objects.filter(pk__in=ids, result=ImportedFile.Result.ERROR).exclude(raw=b"")
    list(ingest.import_files(((f.filename, bytes(f.raw)) for f in failed), run=run))
    return ingest.finish_run(run).summary


@shared_task
def poll_due_channels() -> int:
    """On the beat schedule: a poll task for every channel that is due."""
    due = list(channels.due().values_list("pk", flat=True))
    for pk in due:
        poll_channel.delay(pk)
    return len(due)


@shared_task
def poll_channel(channel_id: int) -> str:
    """Poll one channel; each file a drop folder yields is imported by a task of its own."""
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return "gone"
    result = channels.poll(
        channel, dispatch=lambda channel, paths: import_channel_files.delay(channel.pk, [str(p) for p in paths])
    )
    return "taken by another worker" if result is None else (result.error or f"{result.files} file(s)")


@shared_task(acks_late=True)
def import_channel_files(channel_id: int, paths: list[str]) -> str:
    """Import claimed files; a worker killed midway leaves them to be returned to the folder and taken again."""
    channel = Channel.objects.filter(pk=channel_id).first()
    claimed = [Path(path) for path in paths if Path(path).exists()]
    if channel is None or not claimed:
        return "nothing to do"
    outcomes = channels.import_claimed_files(channel, claimed)
    return f"{len(claimed)} file(s), {len(outcomes)} stories"
