import json
import os
import shutil
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.recorder import MigrationRecorder

from newsroom.management.backups import (
    DATABASE_FILE,
    MANIFEST,
    MEDIA_ARCHIVE,
    MEDIA_LISTING,
    list_storage,
    local_media_root,
    postgres_environment,
    run_tool,
)


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded media into a new folder "
        "BACKUP_DIR/<timestamp>/ (BACKUP_DIR defaults to ./backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Parent folder for the backup (default: $BACKUP_DIR or ./backups).")

    def handle(self, *args, **options):
        env = postgres_environment()
        parent = Path(options["dir"] or os.environ.get("BACKUP_DIR") or "backups")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = parent / stamp
        try:
            target.mkdir(parents=True, exist_ok=False)
        except OSError as error:
            raise CommandError(f"Cannot create the backup folder {target}: {error}") from None

        try:
            dump = f"--file={target / DATABASE_FILE}"
            run_tool("pg_dump", "--format=custom", "--no-owner", "--no-acl", dump, env=env)
            manifest = {
                "created": stamp,
                "database": DATABASE_FILE,
                "media": self._media(target),
                "migrations": MigrationRecorder.Migration.objects.count(),
            }
        except BaseException:
            shutil.rmtree(target)  # half a backup must not pass for one
            raise
        # Written last: restore takes a folder with a manifest for a complete backup.
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(target.resolve().as_posix())

    def _media(self, target: Path) -> str:
        root = local_media_root()
        if root is None:
            storage = storages["default"]
            (target / MEDIA_LISTING).write_text("".join(f"{name}\n" for name in sorted(list_storage(storage))))
            return MEDIA_LISTING
        with tarfile.open(target / MEDIA_ARCHIVE, "w:gz") as archive:
            if root.is_dir():
                for child in sorted(root.iterdir()):
                    archive.add(child, arcname=child.name)
        return MEDIA_ARCHIVE
