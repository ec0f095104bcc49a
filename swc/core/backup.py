"""Backups that restore: the database and every uploaded document, in one archive.

An archive (a gzipped tar) holds ``manifest.json``, the database, and the
documents under ``documents/``. The database is copied with SQLite's online
backup API (a consistent snapshot while the service runs) or ``pg_dump -Fc``
on PostgreSQL; documents are read through the documents storage, so the same
code backs up a local folder or an S3 bucket. The manifest names the engine,
each table's row count and each document's SHA-256, so a restore checks the
archive before it changes anything.

A restore refuses to overwrite a database that holds data unless forced:
restoring over live records by mistake would lose everything since the backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection

from swc.core.errors import ServiceError

FORMAT = 1
DOCUMENTS_ALIAS = "documents"
# Tables that a freshly migrated, never-used database already fills.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "swc_cache"}


class BackupError(ServiceError):
    """The backup or restore could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    engine: str
    tables: int
    rows: int
    documents: int


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def table_row_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # The table names come from the database's own catalogue, quoted: no input reaches here.
            query = "SELECT COUNT(*) FROM " + connection.ops.quote_name(table)  # noqa: S608 # nosec B608
            cursor.execute(query)
            counts[table] = int(cursor.fetchone()[0])
    return counts


def database_holds_data() -> bool:
    """True when any table other than Django's bookkeeping has a row."""
    return any(n for table, n in table_row_counts().items() if table not in BOOKKEEPING)


def postgres_program(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest Debian PostgreSQL installed."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return str(candidates[-1])


def _postgres_arguments() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"], "--no-owner"]
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return arguments, env


def _storage_files(storage: Storage, folder: str = "") -> list[str]:
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{f}" if folder else f for f in files]
    for sub in folders:
        names += _storage_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def backup_write(path: Path, *, now: dt.datetime) -> BackupSummary:
    """Write the database and every document to the archive at ``path``."""
    engine = _engine()
    storage = storages[DOCUMENTS_ALIAS]
    with tempfile.TemporaryDirectory(prefix="swc-backup-") as folder:
        database_file = Path(folder) / (
            "database.pgdump" if engine == "postgresql" else "database.sqlite3"
        )
        counts = table_row_counts()
        if engine == "postgresql":
            arguments, env = _postgres_arguments()
            result = subprocess.run(  # noqa: S603 - pg_dump with our own arguments
                [
                    postgres_program("pg_dump"),
                    "--format=custom",
                    "--file",
                    str(database_file),
                    *arguments,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            target = sqlite3.connect(database_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        documents = []
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database_file, arcname=database_file.name)
            for name in _storage_files(storage):
                with storage.open(name, "rb") as handle:
                    content = handle.read()
                documents.append(
                    {
                        "name": name,
                        "size": len(content),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
                )
                _add_bytes(archive, f"documents/{name}", content)
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "engine": engine,
                "database": database_file.name,
                "database_sha256": hashlib.sha256(database_file.read_bytes()).hexdigest(),
                "tables": counts,
                "documents": documents,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        # Only a complete archive gets the name asked for: a crash leaves a .partial file.
        partial.replace(path)
    return BackupSummary(engine, len(counts), sum(counts.values()), len(documents))


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        handle = archive.extractfile(name)
        if handle is not None:
            return handle.read()
    except KeyError:
        pass
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"the backup is damaged ({error})") from error
    raise BackupError(f"the backup has no {name}: it is not a backup of this service")


def backup_restore(path: Path, *, force: bool) -> BackupSummary:
    """Replace the database and documents with the archive's, after checking all of it."""
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is not a backup archive ({error})") from error
    with archive, tempfile.TemporaryDirectory(prefix="swc-restore-") as folder:
        manifest: dict[str, Any] = json.loads(_member(archive, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"the backup's format {manifest.get('format')} is not {FORMAT}")
        if manifest["engine"] != _engine():
            raise BackupError(
                f"the backup is of a {manifest['engine']} database; this service uses {_engine()}"
            )
        database_bytes = _member(archive, manifest["database"])
        if hashlib.sha256(database_bytes).hexdigest() != manifest["database_sha256"]:
            raise BackupError("the backup's database does not match its checksum: it is damaged")
        documents = {}
        for document in manifest["documents"]:
            content = _member(archive, f"documents/{document['name']}")
            if hashlib.sha256(content).hexdigest() != document["sha256"]:
                raise BackupError(f"the document {document['name']} in the backup is damaged")
            documents[document["name"]] = content
        if not force and database_holds_data():
            raise BackupError(
                "the database already holds data: restoring would replace it "
                "(use --force if that is what you want)"
            )
        database_file = Path(folder) / manifest["database"]
        database_file.write_bytes(database_bytes)
        if manifest["engine"] == "postgresql":
            arguments, env = _postgres_arguments()
            connection.close()
            result = subprocess.run(  # noqa: S603 - pg_restore with our own arguments
                [
                    postgres_program("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--exit-on-error",
                    *arguments,
                    str(database_file),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(
                    f"pg_restore failed, nothing was changed: {result.stderr.strip()}"
                )
        else:
            connection.ensure_connection()
            source = sqlite3.connect(database_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        storage = storages[DOCUMENTS_ALIAS]
        for name, content in documents.items():
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(content))
            if saved != name:
                raise BackupError(f"the document {name} was restored as {saved}")
    counts = manifest["tables"]
    return BackupSummary(manifest["engine"], len(counts), sum(counts.values()), len(documents))
