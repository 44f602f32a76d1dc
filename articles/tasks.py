"""Background work: image renditions and wire imports, so no request waits on them.

Each task is sent with ``delay_on_commit``: the worker only ever sees rows that
were committed.  Without a broker the tasks run in the sending process.
"""

from celery import shared_task
from django.apps import apps
from django.contrib.auth import get_user_model

from . import images, importer
from .models import ImportedFile, ImportRun, Section, WireSource


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
    payload: str, *, run_id: int, format: str = "auto", source_id: int | None = None, section_id: int | None = None
) -> str:
    """Import what the admin's import page received (``admin_import.encode_payload``) into its run."""
    from .admin_import import decode_payload  # the page imports this module

    run = ImportRun.objects.get(pk=run_id)
    source = WireSource.objects.filter(pk=source_id).first() if source_id else None
    section = Section.objects.filter(pk=section_id).first() if section_id else None
    list(importer.import_files(decode_payload(payload), run=run, format=format, source=source, section=section))
    return importer.finish_run(run).summary


@shared_task
def rerun_failed_files(ids: list[int], user_id: int | None) -> str:
    """Import the failed files of the import log again, as a new run by ``user_id``."""
    run = importer.start_run(user=get_user_model()._default_manager.filter(pk=user_id).first(), origin="admin re-run")
    failed = ImportedFile.objects.filter(pk__in=ids, result=ImportedFile.Result.ERROR).exclude(raw=b"")
    list(importer.import_files(((f.filename, bytes(f.raw)) for f in failed), run=run))
    return importer.finish_run(run).summary
