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
    result = channels.poll(channel, dispatch=lambda channel, path: import_channel_file.delay(channel.pk, str(path)))
    return "taken by another worker" if result is None else (result.error or f"{result.files} file(s)")


@shared_task(acks_late=True)
def import_channel_file(channel_id: int, path: str) -> str:
    """Import one claimed file; a worker killed midway leaves it to be returned and taken again."""
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None or not Path(path).exists():
        return "nothing to do"
    outcomes = channels.import_claimed_file(channel, Path(path))
    return ", ".join(outcome.status for outcome in outcomes)
