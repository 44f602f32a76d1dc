"""Agency data in one place (issue #13, item 5): one table of agencies, migrations with frozen seed
values, rule changes shown by ``sync_agencies`` before they are written, unknown agencies inactive."""

import ast
import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import ingest
from articles.models import WireSource
from articles.wire import parse_bytes
from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.meta import agency_name
from tests.wire import sample

MIGRATIONS = Path(apps.get_app_config("articles").path) / "migrations"


@pytest.mark.parametrize(
    "agency, spelling",
    [(agency.name, spelling) for agency in DEFAULT_AGENCIES for spelling in (agency.name, *agency.aliases)],
)
def test_every_spelling_in_the_agency_definitions_is_recognised_in_metadata(agency, spelling):
    assert agency_name(spelling) == agency
    assert agency_name(f"{spelling.upper()} GmbH. All rights reserved.") == agency


@pytest.mark.parametrize(
    "relative, agency",
    [("rss-atom/wenn.xml", "WENN"), ("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml", "AP"),
     ("newsml-g2/dpa.xml", "dpa"), ("nitf/efe_nitf.xml", "EFE")],
)  # fmt: skip
def test_agency_files_are_credited_to_the_defined_agency(relative, agency):
    [story, *_] = parse_bytes(sample(relative).read_bytes(), relative)
    assert story.source == agency


def test_migrations_import_no_live_project_code():
    """Seed data is copied into the migration; the imports left are a field's default callable,
    which Django's serializer writes as a reference and which must stay importable, and the
    migrations' own helpers (``articles.migrations._concurrently``), which are history as they are."""
    allowed = {"articles.models.content", "articles.migrations._concurrently"}
    for path in sorted(MIGRATIONS.glob("0*.py")):
        tree = ast.parse(path.read_text())
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        project = {m for m in modules if m and m.split(".")[0] in ("articles", "newsroom")}
        assert project <= allowed, (path.name, project)


def migration(name: str):
    return importlib.import_module(f"articles.migrations.{name}")


@pytest.mark.django_db
def test_the_seed_migrations_bring_the_rows_to_the_agency_definitions():
    WireSource.objects.all().delete()
    migration("0002_default_wire_sources").create_default_sources(apps, None)
    migration("0016_wire_keywords").add_spellings(apps, None)
    out = StringIO()
    call_command("sync_agencies", stdout=out)
    assert out.getvalue().strip() == "The wire sources match the built-in agencies."


@pytest.mark.django_db
def test_sync_agencies_shows_the_difference_and_writes_only_with_apply():
    WireSource.objects.all().delete()
    for agency in DEFAULT_AGENCIES:
        if agency.name != "Reuters":
            call_command("sync_agencies", agency.name, "--apply", stdout=StringIO())
    ap = WireSource.objects.get(name="AP")
    ap.aliases = "AP\nAPTN\nAssociated Press"
    ap.active = False  # the desk's choice, not a rule
    ap.save()
    acme = WireSource.objects.create(name="Acme News", aliases="ACME")  # the desk's own agency

    out = StringIO()
    call_command("sync_agencies", stdout=out)
    report = out.getvalue()
    assert "AP\n  aliases:\n    - APTN\n    + The Associated Press\n" in report
    assert "Reuters (new)\n  aliases:\n    + Reuters\n" in report
    assert "2 agencies differ. Nothing written" in report
    assert "Acme" not in report
    assert WireSource.objects.get(name="AP").aliases == "AP\nAPTN\nAssociated Press"
    assert not WireSource.objects.filter(name="Reuters").exists()

    call_command("sync_agencies", "--apply", stdout=StringIO())
    ap.refresh_from_db()
    assert ap.aliases == "AP\nAssociated Press\nThe Associated Press" and not ap.active
    assert WireSource.objects.get(name="Reuters").as_agency() == next(
        a for a in DEFAULT_AGENCIES if a.name == "Reuters"
    )
    acme.refresh_from_db()
    assert acme.aliases == "ACME"
    out = StringIO()
    call_command("sync_agencies", stdout=out)
    assert "match" in out.getvalue()


@pytest.mark.django_db
def test_sync_agencies_refuses_a_name_it_does_not_define():
    with pytest.raises(CommandError, match="Acme"):
        call_command("sync_agencies", "Acme", stdout=StringIO())


@pytest.mark.django_db
def test_an_agency_first_met_in_metadata_is_added_inactive():
    relative = "nitf/nitf-fishing.xml"  # sent by "XML Team Solutions, Inc.", no agency we define
    raw = sample(relative).read_bytes()
    [first] = ingest.import_file(raw, relative)
    source = first.article.source
    assert source.name == "XML Team Solutions, Inc."
    assert not source.active
    assert source not in WireSource.objects.filter(active=True)

    [again] = ingest.import_file(raw.replace(b"fishing", b"angling"), "again.xml")
    assert again.article.source == source
    assert WireSource.objects.filter(name__startswith="XML Team").count() == 1


@pytest.mark.django_db
def test_a_defined_agency_keeps_its_row_and_rules():
    efe, _ = WireSource.objects.get_or_create(name="EFE", defaults={"aliases": "EFE\nAgencia EFE"})
    [outcome] = ingest.import_file(sample("nitf/efe_nitf.xml").read_bytes(), "efe.xml")
    assert outcome.article.source == efe and efe.active
