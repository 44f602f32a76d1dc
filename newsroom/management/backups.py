"""What ``newsroom backup`` and ``newsroom restore`` share: where a backup's parts live and
how PostgreSQL's own tools reach the configured database."""

import os
import shutil
import subprocess
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import CommandError
from django.db import connections

DATABASE_FILE = "database.dump"  # pg_dump's custom format, for pg_restore
MEDIA_ARCHIVE = "media.tar.gz"  # uploads on the local disk
MEDIA_LISTING = "media-listing.txt"  # uploads in a bucket: the bucket keeps its own versions
MANIFEST = "manifest.json"


def postgres_environment(alias: str = "default") -> dict[str, str]:
    """libpq's environment variables for the database Django uses, so no password is on a command line."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise CommandError(
            f"Backups need PostgreSQL; DATABASE_URL points to {connection.vendor}. "
            "(A SQLite site is backed up by copying its database file while it is stopped.)"
        )
    params = connection.get_connection_params()
    variables = {
        "PGDATABASE": params.get("dbname"),
        "PGHOST": params.get("host"),
        "PGPORT": params.get("port"),
        "PGUSER": params.get("user"),
        "PGPASSWORD": params.get("password"),
        "PGSSLMODE": params.get("sslmode"),
    }
    return os.environ | {name: str(value) for name, value in variables.items() if value}


def run_tool(tool: str, *args: str, env: dict[str, str]) -> None:
    if shutil.which(tool) is None:
        raise CommandError(f"{tool} not found: install PostgreSQL's client tools (Debian: postgresql-client).")
    result = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{tool} failed: {result.stderr.strip() or f'exit status {result.returncode}'}")


def local_media_root() -> Path | None:
    """The media folder, or None when uploads live in remote storage (S3 and the like)."""
    try:
        storage = storages["default"]
    except ImproperlyConfigured:
        return None
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def list_storage(storage, folder: str = ""):
    """Every file name in a storage, walking its folders."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from list_storage(storage, f"{folder}/{name}" if folder else name)
