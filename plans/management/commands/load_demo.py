"""`manage.py load_demo [--reset-passwords]`: the demo data and the demo accounts.

The work is done by plans.demo; this command only prints what it did. Running
it again changes nothing; --reset-passwords gives the demo accounts new ones.
"""

from django.core.management.base import BaseCommand, CommandError

from plans import demo


class Command(BaseCommand):
    help = (
        "Load the demo data from plans/demo_data/ (Kutaisi, Regueb, Gjakova, Cartagena de "
        "Indias, Georgia) and one demo account per role. Running it again changes nothing; "
        "passwords are printed when an account is created or with --reset-passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo accounts new random passwords and print them.",
        )

    def handle(self, *args, reset_passwords=False, **options):
        try:
            result = demo.demo_load(reset_passwords=reset_passwords)
        except demo.DemoDataError as error:
            raise CommandError(str(error)) from error

        if result.created or result.updated or result.relinked:
            summary = (
                f"Demo data loaded: {result.created} rows created, {result.updated} updated, "
                f"links set on {result.relinked}."
            )
        else:
            summary = "Demo data already up to date: nothing changed."
        self.stdout.write(self.style.SUCCESS(summary))
        self.write_plans(result.plans)
        self.write_logins(result.logins)

    def write_plans(self, plans):
        columns = ("plan", "commitments", "milestones", "indicators", "endorsements",
                   "participants", "meetings", "monitoring body")  # fmt: skip
        rows = [
            (
                plan.slug,
                plan.commitments,
                plan.milestones,
                plan.indicators,
                plan.endorsements,
                "-" if plan.participants is None else plan.participants,
                plan.meetings,
                plan.monitoring_body or "-",
            )
            for plan in plans
        ]
        self.stdout.write("")
        self.write_table(columns, rows)

    def write_logins(self, logins):
        rows = []
        for login in logins:
            account = login.account
            access = ["staff" if account.is_staff else "not staff"]
            if account.group:
                access.append(f"group {account.group}")
            rows.append(
                (
                    account.username,
                    account.role,
                    ", ".join(access),
                    login.password
                    if login.password is not None
                    else "(unchanged; --reset-passwords gives new ones)",
                )
            )
        self.stdout.write("")
        self.stdout.write("Demo logins (for demonstration only; never keep them on a real site):")
        self.write_table(("username", "role", "access", "password"), rows)

    def write_table(self, columns, rows):
        rows = [tuple(str(value) for value in row) for row in rows]
        widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns))]
        for row in [columns, *rows]:
            cells = (value.ljust(width) for value, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
