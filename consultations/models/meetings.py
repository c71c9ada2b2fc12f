"""The co-creation record: meetings held to write the plan with the public."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan, Sector, headcount_field


class Meeting(models.Model):
    class Format(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        DELIBERATIVE_COUNCIL = "deliberative_council", _("Deliberative council")
        WORKING_GROUP = "working_group", _("Working group")
        FORUM_SESSION = "forum_session", _("Forum session")
        PUBLIC_MEETING = "public_meeting", _("Public meeting")
        ONLINE_CONSULTATION = "online_consultation", _("Online consultation")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    format = models.CharField(_("format"), max_length=25, choices=Format.choices)
    is_online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    groups_count = headcount_field(_("number of groups"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["plan", "-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class MeetingParticipation(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participation"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    count = headcount_field(_("number of participants"))

    class Meta:
        verbose_name = _("participants by sector")
        verbose_name_plural = _("participants by sector")
        ordering = ["meeting", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sector"], name="meeting_participation_unique_sector"
            )
        ]

    def __str__(self):
        return f"{self.get_sector_display()}: {self.count}"


class MeetingDocument(models.Model):
    """Minutes, slides or a report of a meeting: an uploaded file or a link."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to="meeting-documents/",
        blank=True,
        help_text=_("PDF, image, or office document; or give a link instead."),
    )
    url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="meeting_document_file_xor_link",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link, not both."))

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url

    @property
    def file_type(self) -> str:
        """An uploaded file's type as people name it (PDF, DOCX...), from the
        extension it was stored under after its content was checked."""
        return PurePath(self.file.name).suffix.lstrip(".").upper() if self.file else ""
