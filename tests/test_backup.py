"""`newsroom backup` and `newsroom restore`: a restore drill into a new PostgreSQL database."""

import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles import ingest
from articles.models import Article, ImportedFile, ImportRun
from tests.factories import make_article, make_section

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "wire-samples" / "nitf" / "aap.xml"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups use pg_dump: set DATABASE_URL=postgres://… to run the drill"
)


def database_url(name: str) -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def new_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(database_url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def rows(query_or_cursor, sql: str) -> set[tuple]:
    return {tuple(row) for row in query_or_cursor.execute(sql).fetchall()}


def snapshot(execute) -> dict[str, set[tuple]]:
    """What must survive a restore, read through ``execute(sql)``."""
    articles, history = Article._meta.db_table, Article.history.model._meta.db_table
    runs, files = ImportRun._meta.db_table, ImportedFile._meta.db_table
    return {
        "articles": execute(f"SELECT id, headline, slug, status FROM {articles}"),
        "revisions": execute(f"SELECT history_id, id, headline, history_type FROM {history}"),
        "runs": execute(f"SELECT id, origin, created, failed FROM {runs}"),
        "files": execute(f"SELECT id, run_id, filename, result, article_id FROM {files}"),
    }


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_drill_brings_back_articles_revisions_import_log_and_media(tmp_path, settings, new_database):
    article = make_article(section=make_section(), headline="First headline")
    article.headline = "Second headline"
    article.save()
    run = ingest.start_run(origin="command")
    [imported] = ingest.import_file(SAMPLE.read_bytes(), SAMPLE.name, run=run)
    ingest.finish_run(run)
    assert imported.status == "created"
    photo = settings.MEDIA_ROOT / "images" / "2026" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 not really a jpeg")

    out = io.StringIO()
    call_command("backup", dir=str(tmp_path / "backups"), stdout=out)
    backup = Path(out.getvalue().strip())
    assert {path.name for path in backup.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    with connection.cursor() as cursor:
        before = snapshot(lambda sql: rows(cursor, sql))
    assert len(before["revisions"]) >= 3 and len(before["files"]) == 1

    restored_media = tmp_path / "restored-media"
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup)],
        cwd=ROOT,
        env=environment | {"DATABASE_URL": database_url(new_database), "MEDIA_ROOT": str(restored_media)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    with psycopg.connect(database_url(new_database)) as restored:
        after = snapshot(lambda sql: rows(restored, sql))
    assert after == before
    assert (restored_media / "images" / "2026" / "photo.jpg").read_bytes() == photo.read_bytes()

    # The live database is never overwritten by accident.
    with pytest.raises(CommandError, match="already has .* tables. Restore into a new, empty database"):
        call_command("restore", str(backup))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the message a SQLite site gets")
def test_backup_says_it_needs_postgresql(tmp_path):
    with pytest.raises(CommandError, match="Backups need PostgreSQL; DATABASE_URL points to sqlite"):
        call_command("backup", dir=str(tmp_path))


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a backup made by `backup`"):
        call_command("restore", str(tmp_path))
