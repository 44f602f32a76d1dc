"""Poll the ingest channels in this process: ``--once``, or ``--watch`` until stopped.

Production runs the same service on Celery workers (see the README); this
command is for the embedded set-up and for operators checking a channel.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.ingest import channels
from articles.models import Channel


class Command(BaseCommand):
    help = "Poll due ingest channels once (--once) or keep polling them (--watch)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--once", action="store_true", help="Poll every due channel once and stop.")
        mode.add_argument("--watch", action="store_true", help="Keep polling channels as they fall due.")
        parser.add_argument("--channel", help="Only this channel (by name); polled now even if not due.")

    def handle(self, *args, **options):
        self.stopping, self.verbosity = False, options["verbosity"]
        if options["watch"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            for channel in self._channels(options["channel"]):
                self._report(channels.poll(channel))
            if not options["watch"] or self.stopping:
                return
            self._sleep_until_due()

    def _channels(self, name):
        if not name:
            return list(channels.due())
        Channel.objects.filter(name=name).update(next_poll_at=timezone.now())
        return list(Channel.objects.filter(name=name, enabled=True))

    def _report(self, result) -> None:
        if result is None:
            return
        if result.error:
            self.stderr.write(self.style.ERROR(f"{result.channel}: {result.error}"))
        elif result.not_modified:
            self.stdout.write(f"{result.channel}: not modified")
        elif not result.files and self.verbosity < 2:
            return  # an empty drop folder says nothing unless asked (-v 2)
        else:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(result.statuses.items())) or "nothing new"
            self.stdout.write(f"{result.channel}: {result.files} file(s); {summary}")

    def _sleep_until_due(self) -> None:
        next_poll = Channel.objects.filter(enabled=True).order_by("next_poll_at").values_list("next_poll_at", flat=True)
        wait = (next_poll[0] - timezone.now()).total_seconds() if next_poll else 5.0
        deadline = time.monotonic() + min(max(wait, 0.5), 5.0)
        while time.monotonic() < deadline and not self.stopping:
            time.sleep(0.2)

    def _stop(self, *args) -> None:
        self.stopping = True
