"""Backup and restore: every model, history included, and every uploaded file
come back identical in an empty database and media folder; a backup that does
not match its manifest, or a restore over existing data, is refused.

The round trip restores into a second database of the suite's engine (an
SQLite file, or a throwaway PostgreSQL database) through `manage.py restore`
in its own process, as an operator would, and compares `dumpdata` of both.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from ogp_portal import backup
from tests.factories import (
    EDITORS,
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    MeetingFactory,
    MilestoneFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = {
    "evidence/2024/report.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 200,
    "ქუთაისი/შეხვედრის ოქმი.txt": "ოქმი: 12 მონაწილე\n".encode(),
    "budget.csv": b"\xef\xbb\xbfline,amount\n1,200\n",
}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload_files():
    for name, content in UPLOADS.items():
        assert default_storage.save(name, ContentFile(content)) == name


def files_in(folder: Path) -> dict:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def add_portal_data():
    plan = ActionPlanFactory(title="Kutaisi 2022-2025", title_ka="ქუთაისი 2022-2025")
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment, completed=True)
    IndicatorFactory(commitment=commitment)
    MeetingFactory(plan=plan)
    UserFactory(username="editor2", is_staff=True, groups=[EDITORS])
    # A second version in the history.
    commitment.title = "Publish the budget every month"
    commitment.save()


def dumpdata(**env) -> list:
    """Every row of every model (history, users, sessions... included)."""
    if not env:
        out = io.StringIO()
        call_command("dumpdata", "--all", stdout=out)
        return json.loads(out.getvalue())
    return json.loads(manage("dumpdata", "--all", env=env).stdout)


def manage(*args, env, check=True):
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_"))
    }
    return subprocess.run(  # noqa: S603 - our interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings_test", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the suite's engine."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    source = connection.settings_dict
    name = f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = quote(source["USER"] or "", safe="")
    password = f":{quote(source['PASSWORD'], safe='')}" if source["PASSWORD"] else ""
    address = f"{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}"
    try:
        yield f"postgres://{user}{password}@{address}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restored_into_an_empty_database_gives_identical_data_and_files(
    tmp_path, media_root, empty_database
):
    add_portal_data()
    upload_files()
    data = dumpdata()

    call_command("backup", "--output", str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    restored_media = tmp_path / "restored-media"
    target = {"DATABASE_URL": empty_database, "DJANGO_MEDIA_ROOT": str(restored_media)}
    restored = manage("restore", str(folder), env=target)

    assert f"{connection.vendor} database, 3 uploaded files" in restored.stdout
    assert dumpdata(**target) == data
    assert files_in(restored_media) == UPLOADS
    assert any(row["model"] == "commitments.historicalcommitment" for row in data)

    # Once restored, the database is not empty: a second restore is refused...
    again = manage("restore", str(folder), env=target, check=False)
    assert again.returncode != 0
    assert "Restore needs an empty database and media storage" in again.stderr
    # ...unless forced, which gives the same again.
    manage("restore", "--force", str(folder), env=target)
    assert dumpdata(**target) == data
    assert files_in(restored_media) == UPLOADS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_folder_is_private_and_its_manifest_checks_with_sha256sum(tmp_path, media_root):
    upload_files()

    folder = backup.backup(tmp_path)

    assert folder.name.startswith("ogp-backup-")
    assert folder.stat().st_mode & 0o777 == 0o700
    names = [
        line.split("  ", 1)[1] for line in (folder / "MANIFEST.sha256").read_text().split("\n")[:-1]
    ]
    assert names == sorted(
        ["backup.json", backup.DATABASE_FILE[connection.vendor]] + [f"media/{n}" for n in UPLOADS]
    )
    metadata = json.loads((folder / "backup.json").read_text())
    assert metadata["database"]["vendor"] == connection.vendor
    assert metadata["media_files"] == 3
    assert "0002_staff_groups" in metadata["migrations"]["plans"]
    if shutil.which("sha256sum"):
        subprocess.run(  # noqa: S603 - coreutils, fixed arguments
            ["sha256sum", "--check", "--quiet", "MANIFEST.sha256"],  # noqa: S607
            cwd=folder,
            check=True,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failed_backup_leaves_no_folder_behind(tmp_path, media_root):
    with (
        mock.patch.object(backup, "_copy_media_out", side_effect=OSError("disk full")),
        pytest.raises(OSError, match="disk full"),
    ):
        backup.backup(tmp_path / "backups")

    assert list((tmp_path / "backups").iterdir()) == []


# ---------------------------------------------------------------- refusals


@pytest.fixture
def valid_backup(tmp_path):
    """A backup folder for the suite's engine whose manifest matches (its
    database file is not a real dump: these restores stop before it)."""
    folder = tmp_path / "ogp-backup-20250101T000000Z"
    (folder / "media" / "evidence").mkdir(parents=True)
    (folder / "media" / "evidence" / "report.pdf").write_bytes(b"%PDF-1.7 report")
    database_file = backup.DATABASE_FILE[connection.vendor]
    (folder / database_file).write_bytes(b"a database")
    metadata = {
        "format": 1,
        "created_at": "2025-01-01T00:00:00Z",
        "database": {"vendor": connection.vendor, "file": database_file},
        "media_files": 1,
        "versions": {},
        "migrations": {},
    }
    (folder / "backup.json").write_text(json.dumps(metadata))
    backup.write_manifest(folder)
    return folder


def restore(folder, *args):
    call_command("restore", str(folder), *args, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (
            lambda folder: (folder / "media/evidence/report.pdf").write_bytes(b"%PDF-1.7 forged"),
            "changed since the backup: media/evidence/report.pdf",
        ),
        (
            lambda folder: (folder / "media/evidence/extra.js").write_text("alert(1)"),
            "not in the manifest (added?): media/evidence/extra.js",
        ),
        (
            lambda folder: (folder / "media/evidence/report.pdf").unlink(),
            "missing: media/evidence/report.pdf",
        ),
        (
            lambda folder: (
                (folder / "MANIFEST.sha256").open("a").write(f"{'0' * 64}  ../../etc/passwd\n")
            ),
            "line 4 of MANIFEST.sha256 is not a sha256 and a path inside",
        ),
    ],
    ids=["changed", "added", "missing", "outside"],
)
def test_restore_refuses_a_backup_that_does_not_match_its_manifest(
    db, valid_backup, media_root, tamper, problem
):
    tamper(valid_backup)

    with pytest.raises(CommandError, match="does not match its manifest") as refusal:
        restore(valid_backup, "--force")

    assert problem in str(refusal.value)
    assert not media_root.exists()


def test_restore_refuses_a_folder_without_manifest(db, tmp_path):
    with pytest.raises(CommandError, match="is not a backup"):
        restore(tmp_path)


def test_restore_refuses_a_database_and_media_that_are_not_empty(db, valid_backup, media_root):
    upload_files()

    with pytest.raises(CommandError) as refusal:
        restore(valid_backup)

    message = str(refusal.value)
    assert "Restore needs an empty database and media storage" in message
    assert "the database has" in message
    assert "the media storage has files" in message
    assert files_in(media_root) == UPLOADS


def test_restore_refuses_a_backup_of_the_other_database_engine(db, valid_backup):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    metadata = json.loads((valid_backup / "backup.json").read_text())
    metadata["database"]["vendor"] = other
    (valid_backup / "backup.json").write_text(json.dumps(metadata))
    backup.write_manifest(valid_backup)

    with pytest.raises(CommandError, match=f"backup of a {other} database"):
        restore(valid_backup, "--force")
