"""`manage.py backup --output DIR`: the database and the uploaded files, with a manifest.

The work is done by ogp_portal.backup; this command prints where it went.
"""

from django.core.management.base import BaseCommand, CommandError

from ogp_portal import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's backup API) and every uploaded file into "
        "a new folder DIR/ogp-backup-<UTC time>/, with a SHA-256 manifest (MANIFEST.sha256) "
        "and backup.json (versions, applied migrations). Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Folder to write the backup in.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, output, database, **options):
        try:
            folder = backup.backup(output, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        metadata = backup.verify(folder)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {folder}: {metadata['database']['vendor']} database, "
                f"{metadata['media_files']} uploaded files."
            )
        )
