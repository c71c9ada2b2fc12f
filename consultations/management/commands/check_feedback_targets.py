"""Tell the staff who answer feedback about items newly past their due time.

Run it from cron every 15 minutes (or hourly); each overdue item is notified
once, however often it runs:

    */15 * * * *  .venv/bin/python manage.py check_feedback_targets
"""

from django.core.management.base import BaseCommand

from consultations.models import Feedback
from consultations.services.feedback import feedback_notify_overdue


class Command(BaseCommand):
    help = "Email the answering staff once about each feedback item newly past its due time."

    def handle(self, *args, **options):
        notified = feedback_notify_overdue()
        overdue = Feedback.objects.overdue().count()
        self.stdout.write(
            f"{notified} newly overdue feedback item(s) notified; "
            f"{overdue} overdue and unanswered in all."
        )
