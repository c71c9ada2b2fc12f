"""`manage.py restore DIR [--force]`: put a backup back, after checking it.

The work is done by ogp_portal.backup; this command prints what it did and
what the restored database needs before this version of the portal can use it.
"""

from django.core.management.base import BaseCommand, CommandError

from ogp_portal import backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup`. Checks every file against "
        "MANIFEST.sha256 first and refuses a backup that does not match. The database and the "
        "media storage must be empty, unless --force: then the backup replaces their content."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (ogp-backup-<UTC time>).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over a database and media storage that are not empty, replacing "
            "their content (every uploaded file present is deleted).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, folder, force, database, **options):
        try:
            metadata = backup.restore(folder, using=database, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {metadata['created_at']}: "
                f"{metadata['database']['vendor']} database, "
                f"{metadata['media_restored']} uploaded files."
            )
        )
        unknown, pending = backup.migration_differences(metadata)
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    "The backup comes from a newer version of the portal: these migrations are "
                    f"unknown to this code: {', '.join(unknown)}. Run that version or a later one."
                )
            )
        elif pending:
            self.stdout.write(
                f"The backup predates {len(pending)} migrations of this version: "
                "run `manage.py migrate`."
            )
