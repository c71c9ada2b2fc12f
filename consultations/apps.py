from django.utils.translation import gettext_lazy as _

from ogp_portal import app_config


class ConsultationsConfig(app_config.ContentAppConfig):
    name = "consultations"
    verbose_name = _("Co-creation and participation")
    # Feedback, accounts, follows, notifications and abuse reports are private
    # working data: writing them leaves the public pages as they are.
    public_models = (
        "Meeting",
        "MeetingParticipation",
        "MeetingDocument",
        "Consultation",
        "ConsultationSection",
        "Proposal",
        "VoteOption",
        "Ballot",
        "BallotChoice",
        "Comment",
    )

    def ready(self):
        super().ready()
        from . import notifications, sms

        # An unknown SMS_BACKEND (or Twilio without credentials) stops the start.
        sms.check_backend()
        # Followers hear of changes to what they follow (consultations/notifications.py).
        notifications.connect()
