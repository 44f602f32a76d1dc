"""Background work on Celery: ingest channels polled on a beat schedule."""

from pathlib import Path

from celery import shared_task

from .ingest import channels
from .models import Channel


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
