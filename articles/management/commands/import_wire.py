import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import ingest
from articles.models import Section, WireSource
from articles.wire import FORMATS
from articles.wire.registry import looks_like_wire_copy


def iter_inputs(paths: list[str], skipped: list[str] | None = None) -> Iterator[tuple[str, Path | None]]:
    """Yield ``(name, path)`` for each file, walking folders; ``-`` is stdin.

    A folder's files that are not wire copy (a README, pictures) go to ``skipped`` instead;
    a file named on the command line is always read.
    """
    for name in paths:
        if name == "-":
            yield "<stdin>", None
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if looks_like_wire_copy(child.name):
                    yield str(child), child
                elif skipped is not None:
                    skipped.append(str(child))
        else:
            yield name, path


class Command(BaseCommand):
    help = "Import agency wire copy (plain text, IPTC 7901, ANPA, NITF, NewsML, ninjs, RSS/Atom) as draft articles."

    #: Outcomes the summary names only when they happened.
    SOMETIMES = [("waiting", "waiting for an editor"), ("killed", "killed by the agency")]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders (read recursively); - reads stdin.")
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument("--source", help="Agency name (a wire source) to credit every story to.")
        parser.add_argument("--section", help="Section slug for the new drafts.")
        parser.add_argument("--publish", action="store_true", help="Publish the stories instead of saving drafts.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="One JSON object per story per line.")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        source = self._lookup(WireSource, "name__iexact", options["source"], "wire source")
        section = self._lookup(Section, "slug", options["section"], "section")
        skipped = []
        inputs = list(iter_inputs(options["paths"], skipped))
        for name in skipped:
            self._report_skipped(name, as_json=options["json"])
        run = ingest.start_run(origin="command", dry_run=options["dry_run"])
        totals = Counter()
        show_progress = not options["json"] and len(inputs) > 1 and sys.stderr.isatty()

        files = self._read(inputs, run, totals, as_json=options["json"], show_progress=show_progress)
        for outcome in ingest.import_files(
            files,
            run=run,
            format=options["format"],
            source=source,
            section=section,
            publish=options["publish"],
            dry_run=options["dry_run"],
        ):
            totals[outcome.status] += 1
            self._report(outcome, as_json=options["json"])
        ingest.finish_run(run)

        if show_progress:
            self.stderr.write("")
        new_label = "new" if options["dry_run"] else "created"
        summary = (
            f"{totals[new_label]} {new_label}, {totals['updated']} updated, "
            + "".join(f"{totals[s]} {label}, " for s, label in self.SOMETIMES if totals[s])
            + f"{totals['duplicate']} duplicates, {totals['error']} failed"
            + (f", {len(skipped)} skipped" if skipped else "")
        )
        self.stderr.write(summary) if options["json"] else self.stdout.write(summary)
        if totals["error"]:
            sys.exit(1)

    def _read(self, inputs, run, totals, *, as_json: bool, show_progress: bool) -> Iterator[tuple[str, bytes]]:
        """Each file's bytes, one at a time; a file that cannot be read is reported here."""
        for index, (name, path) in enumerate(inputs, start=1):
            try:
                yield name, sys.stdin.buffer.read() if path is None else path.read_bytes()
            except OSError as exc:
                outcome = ingest.unreadable_file(name, exc.strerror or str(exc), run=run)
                totals[outcome.status] += 1
                self._report(outcome, as_json=as_json)
            if show_progress:
                self._progress(index, len(inputs))

    def _lookup(self, model, field, value, label):
        if not value:
            return None
        found = model.objects.filter(**{field: value}).first()
        if found is None:
            raise CommandError(f"No {label} named {value!r}.")
        return found

    def _report(self, outcome, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        elif outcome.status == "error":
            self.stderr.write(self.style.ERROR(outcome.error))
        elif self.verbosity >= 2 or outcome.warnings:
            headline = outcome.story.headline if outcome.story else ""
            self.stdout.write(f"{outcome.status:9} {outcome.filename}: {headline}")
            for warning in outcome.warnings:
                self.stdout.write(self.style.WARNING(f"          warning: {warning}"))

    def _report_skipped(self, name: str, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"file": name, "status": "skipped"}, ensure_ascii=False))
        elif self.verbosity >= 2:
            self.stdout.write(f"{'skipped':9} {name}: not wire copy")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
