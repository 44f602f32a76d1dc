import json
import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from newsroom.management.backups import (
    MANIFEST,
    MEDIA_ARCHIVE,
    local_media_root,
    postgres_environment,
    run_tool,
)


class Command(BaseCommand):
    help = (
        "Restore a folder made by `backup` into DATABASE_URL's database, which should be new and empty "
        "(createdb), and its media into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A folder made by `backup` (BACKUP_DIR/<timestamp>/).")
        parser.add_argument(
            "--replace", action="store_true", help="Drop and replace the tables of a database that is not empty."
        )

    def handle(self, *args, **options):
        folder = Path(options["backup"])
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"{folder} is not a backup made by `backup`: {error}") from None
        env = postgres_environment()
        tables = connection.introspection.table_names()
        connection.close()  # pg_restore works on its own connection
        if tables and not options["replace"]:
            raise CommandError(
                f"Database {env['PGDATABASE']} already has {len(tables)} tables. Restore into a new, empty "
                "database (createdb, then point DATABASE_URL at it), or pass --replace to overwrite this one."
            )
        replace = ["--clean", "--if-exists"] if tables else []
        run_tool(
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            *replace,
            f"--dbname={env['PGDATABASE']}",
            str(folder / manifest["database"]),
            env=env,
        )
        self.stdout.write(f"Database restored into {env['PGDATABASE']}.")
        self._media(folder, manifest["media"])

    def _media(self, folder: Path, media: str) -> None:
        if media != MEDIA_ARCHIVE:
            self.stdout.write(f"Media: uploads live in remote storage; {media} lists what the backup saw.")
            return
        root = local_media_root()
        if root is None:
            raise CommandError("The backup has a media archive but MEDIA_ROOT is not a local folder here.")
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / media) as archive:
            archive.extractall(root, filter="data")
        self.stdout.write(f"Media restored into {root}.")
