"""Backup and restore of the portal: the database and the uploaded files.

A backup is one folder, `ogp-backup-<UTC time>/`, readable by its owner only:

    database.dump     PostgreSQL: pg_dump's custom format
    database.sqlite3  SQLite: a copy made with SQLite's online backup API
    media/...         every file of the media storage, under its own name
    backup.json       when, from which database and versions, applied migrations
    MANIFEST.sha256   the SHA-256 of every other file, in `sha256sum` format

The folder is written under a hidden name and renamed when complete, so a
backup that failed half-way never looks like one. A restore checks the
manifest first and refuses a backup with a changed, missing or extra file;
then it refuses a database or media storage that is not empty, unless
forced. Neither command puts a password on a command line: pg_dump and
pg_restore get it in PGPASSWORD, as Django's own dbshell does.
"""

import hashlib
import json
import os
import platform
import posixpath
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "MANIFEST.sha256"
METADATA = "backup.json"
MEDIA = "media"
DATABASE_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MANIFEST_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


class BackupError(Exception):
    pass


# ---------------------------------------------------------------- backup


def backup(output: Path, *, using: str = "default") -> Path:
    """Write a backup folder into `output`; return its path."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    created = datetime.now(UTC)
    final = Path(output) / f"ogp-backup-{created:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} already exists.")
    partial = final.with_name(f".{final.name}.partial")
    final.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)
    try:
        database = _dump_database(connection, partial / DATABASE_FILE[connection.vendor])
        media_files = _copy_media_out(partial / MEDIA)
        metadata = {
            "format": FORMAT,
            "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "database": database,
            "media_files": media_files,
            "versions": {"django": django.get_version(), "python": platform.python_version()},
            "migrations": _applied_migrations(connection),
        }
        (partial / METADATA).write_text(json.dumps(metadata, indent=2) + "\n")
        write_manifest(partial)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _dump_database(connection, path: Path) -> dict:
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup API waits forever for a write transaction of its own connection.
            raise BackupError("Back up outside a transaction: the backup reads committed data.")
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return {"vendor": "sqlite", "file": path.name, "sqlite": sqlite3.sqlite_version}
    _run_pg(connection, "pg_dump", ["--format=custom", f"--file={path}"])
    tool = _run_pg(connection, "pg_dump", ["--version"], connect=False).strip()
    return {
        "vendor": "postgresql",
        "file": path.name,
        "server_version": connection.pg_version,
        "pg_dump": tool,
    }


def _run_pg(connection, program, options, *, connect=True, after=()) -> str:
    """Run pg_dump or pg_restore on this connection's database.

    The arguments and environment are those Django's dbshell builds for psql
    (host, port, user and database as options; the password, SSL files and
    service in PG* variables), with the program and options swapped in.
    """
    if connect:
        args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, options)
        args = [program, *args[1:], *after]
    else:
        args, env = [program, *options], {}
    try:
        result = subprocess.run(  # noqa: S603 - no shell; arguments from settings
            args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{program} not found: install the PostgreSQL client programs "
            "(postgresql-client), of the server's version or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{program} failed:\n{result.stderr.strip()}")
    return result.stdout


def _storage_files(storage, folder=""):
    """Every file name in the storage, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder not created yet
        return
    for name in files:
        yield posixpath.join(folder, name)
    for name in folders:
        yield from _storage_files(storage, posixpath.join(folder, name))


def _copy_media_out(target: Path) -> int:
    target.mkdir()
    count = 0
    for name in sorted(_storage_files(default_storage)):
        if "\n" in name or "\r" in name:
            raise BackupError(f"Cannot back up a file whose name has a line break: {name!r}")
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        count += 1
    return count


def _applied_migrations(connection) -> dict:
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file in the folder except the manifest, as relative POSIX paths."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if (path.is_file() or path.is_symlink()) and path != folder / MANIFEST
    )


def write_manifest(folder: Path) -> None:
    """Write MANIFEST.sha256 for every file in the folder."""
    lines = [f"{_sha256(folder / name)}  {name}\n" for name in _files(folder)]
    (folder / MANIFEST).write_text("".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- restore


def verify(folder: Path) -> dict:
    """Check the backup against its manifest; return its metadata.

    Refuses a file that changed, a file missing, a file the manifest does not
    list (added later), a link, and a manifest line naming a path outside
    the folder.
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.")
    problems, listed = [], {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        match = MANIFEST_LINE.fullmatch(line)
        name = match and match[2]
        parts = PurePosixPath(name).parts if name else ()
        if not match or name.startswith("/") or ".." in parts or name != posixpath.normpath(name):
            problems.append(f"line {number} of {MANIFEST} is not a sha256 and a path inside")
            continue
        listed[name] = match[1]
    present = set(_files(folder))
    problems += [f"not in the manifest (added?): {name}" for name in sorted(present - set(listed))]
    problems += [f"missing: {name}" for name in sorted(set(listed) - present)]
    for name in sorted(present & set(listed)):
        if (folder / name).is_symlink():
            problems.append(f"a link, not a file: {name}")
        elif _sha256(folder / name) != listed[name]:
            problems.append(f"changed since the backup: {name}")
    if problems:
        raise BackupError("The backup does not match its manifest:\n  " + "\n  ".join(problems))
    if METADATA not in listed:
        raise BackupError(f"The backup has no {METADATA}.")
    metadata = json.loads((folder / METADATA).read_text())
    if metadata.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {metadata.get('format')!r}.")
    return metadata


def restore(folder: Path, *, using: str = "default", force: bool = False) -> dict:
    """Restore a verified backup into this database and media storage.

    Both must be empty unless `force`: then the database objects the backup
    holds are replaced, and every file in the media storage is deleted first.
    Returns the metadata, plus `media_restored`.
    """
    folder = Path(folder)
    metadata = verify(folder)
    connection = connections[using]
    vendor = metadata["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This is a backup of a {vendor} database; the portal's database is "
            f"{connection.vendor}."
        )
    if not force:
        not_empty = []
        if tables := connection.introspection.table_names():
            not_empty.append(f"the database has {len(tables)} tables")
        if next(_storage_files(default_storage), None) is not None:
            not_empty.append("the media storage has files")
        if not_empty:
            raise BackupError(
                f"Restore needs an empty database and media storage, but {' and '.join(not_empty)}."
                " Use --force to replace their content."
            )
    _restore_database(connection, folder / metadata["database"]["file"], force=force)
    metadata["media_restored"] = _copy_media_in(folder / MEDIA, force=force)
    return metadata


def _restore_database(connection, path: Path, *, force: bool) -> None:
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup API waits forever for a write transaction of its own connection.
            raise BackupError("Back up outside a transaction: the backup reads committed data.")
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)  # replaces the whole database
        finally:
            source.close()
        connection.close()
        return
    connection.close()
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        options += ["--clean", "--if-exists"]
    # Django puts the database name last: after --dbname, it is its value.
    _run_pg(connection, "pg_restore", [*options, "--dbname"], after=[str(path)])


def _copy_media_in(source: Path, *, force: bool) -> int:
    if force:
        for name in list(_storage_files(default_storage)):
            default_storage.delete(name)
    count = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(source).as_posix()
        with path.open("rb") as file:
            saved = default_storage.save(name, File(file))
        if saved != name:
            raise BackupError(f"The media storage saved {name} as {saved}.")
        count += 1
    return count


def migration_differences(metadata: dict) -> tuple[list[str], list[str]]:
    """(applied in the backup but unknown to this code, known here but not applied)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    applied = {f"{app}.{name}" for app, names in metadata["migrations"].items() for name in names}
    return sorted(applied - on_disk), sorted(on_disk - applied)
