import difflib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import WireSource
from articles.models.content import non_blank_lines
from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.base import Agency

#: ``WireSource`` field and the ``Agency`` attribute it stores.
FIELDS = {"aliases": "aliases", "boilerplate": "boilerplate", "credit_patterns": "credits"}


def changes(source: WireSource | None, agency: Agency) -> dict[str, list[str]]:
    """What writing ``agency`` over ``source`` would change: ``"+ line"``/``"- line"`` by field."""
    found = {}
    for field, attribute in FIELDS.items():
        stored = list(non_blank_lines(getattr(source, field))) if source else []
        wanted = list(getattr(agency, attribute))
        if stored != wanted:
            found[field] = [line for line in difflib.ndiff(stored, wanted) if line[:1] in "+-"]
    return found


class Command(BaseCommand):
    help = (
        "Show how the wire sources differ from the built-in agency definitions (articles/wire/agencies.py); "
        "with --apply, write the definitions. Agencies the desk added are left alone, and so is 'active'."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Only these built-in agencies (default: all).")
        parser.add_argument("--apply", action="store_true", help="Write the changes (default: only show them).")

    def handle(self, *args, **options):
        agencies = [agency for agency in DEFAULT_AGENCIES if not options["names"] or agency.name in options["names"]]
        unknown = set(options["names"]) - {agency.name for agency in agencies}
        if unknown:
            raise CommandError(f"not a built-in agency: {', '.join(sorted(unknown))}")
        sources = {source.name: source for source in WireSource.objects.filter(name__in=[a.name for a in agencies])}
        differing = 0
        with transaction.atomic():
            for agency in agencies:
                source = sources.get(agency.name)
                found = changes(source, agency)
                if not found:
                    continue
                differing += 1
                self.stdout.write(agency.name + ("" if source else " (new)"))
                for field, lines in found.items():
                    self.stdout.write(f"  {field}:")
                    for line in lines:
                        self.stdout.write(f"    {line}")
                if options["apply"]:
                    self._write(source or WireSource(name=agency.name), agency)
        if not differing:
            self.stdout.write("The wire sources match the built-in agencies.")
        elif options["apply"]:
            self.stdout.write(self.style.SUCCESS(f"{differing} agencies written."))
        else:
            self.stdout.write(f"{differing} agencies differ. Nothing written: run again with --apply to write.")

    @staticmethod
    def _write(source: WireSource, agency: Agency) -> None:
        for field, attribute in FIELDS.items():
            setattr(source, field, "\n".join(getattr(agency, attribute)))
        source.full_clean()
        source.save()
