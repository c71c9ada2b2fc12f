"""`manage.py send_report_reminders`: run daily from cron or a systemd timer.

Reminds monitors of reports due within MONITORING_REMINDER_DAYS, and tells
monitors and the city once when a period's report is overdue. Emails are
queued for the worker (manage.py db_worker).
"""

from django.core.management.base import BaseCommand

from monitoring import services


class Command(BaseCommand):
    help = "Email reminders of monitoring reports due soon, and notices of overdue ones."

    def handle(self, *args, **options):
        sent = services.reminders_send()
        self.stdout.write(
            f"{sent['reminders']} reminders and {sent['overdue']} overdue notices queued."
        )
