"""The independent monitoring body of an action plan, its members, and its reports.

A report moves draft -> submitted -> responded -> published (services.py);
who may see or do what at each step is decided in selectors.py.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models import Commitment, Milestone
from plans.models import ActionPlan, Sector

from .evidence import ACCEPTED_TYPES


class MonitoringBody(models.Model):
    plan = models.OneToOneField(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="monitoring_body",
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(
        _("public contact email"), blank=True, help_text=_("Shown on the public pages.")
    )
    contact_phone = models.CharField(
        _("public contact phone"),
        max_length=50,
        blank=True,
        help_text=_("Shown on the public pages."),
    )
    contact_address = models.CharField(_("public contact address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("monitor accounts"),
        related_name="monitoring_bodies",
        blank=True,
        help_text=_("People who log in to file this body's reports."),
    )

    class Meta:
        verbose_name = _("monitoring body")
        verbose_name_plural = _("monitoring bodies")
        ordering = ["plan", "name"]

    def __str__(self):
        return self.name


class MonitoringBodyMember(models.Model):
    """A member of the body's public composition (not necessarily a login)."""

    body = models.ForeignKey(
        MonitoringBody,
        verbose_name=_("monitoring body"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    email = models.EmailField(_("contact email"), blank=True)
    email_is_public = models.BooleanField(
        _("show the email publicly"),
        default=False,
        help_text=_("Only with the member's consent; otherwise the email stays internal."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("monitoring body member")
        verbose_name_plural = _("monitoring body members")
        ordering = ["body", "order", "pk"]

    def __str__(self):
        return self.name

    @property
    def public_email(self):
        return self.email if self.email_is_public else ""


class ReportingPeriodQuerySet(models.QuerySet):
    def without_submitted_report(self):
        """Periods for which no report has been handed to the city yet."""
        return self.exclude(reports__status__in=Report.HANDED_IN)


class ReportingPeriod(models.Model):
    """A stretch of the plan the monitoring body reports on, with its due date.

    Quarters are generated from the plan's dates (services.reporting_periods_generate);
    staff may add or change periods in the admin.
    """

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="reporting_periods",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due_date = models.DateField(
        _("due date"), help_text=_("The date by which the monitoring body's report is due.")
    )
    reminder_sent_at = models.DateTimeField(
        _("reminder sent"), null=True, blank=True, editable=False
    )
    overdue_notice_sent_at = models.DateTimeField(
        _("overdue notice sent"), null=True, blank=True, editable=False
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "start", "end"], name="monitoring_period_unique_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="monitoring_period_end_after_start",
            ),
        ]

    def __str__(self):
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "end": date_format(self.end, "DATE_FORMAT"),
        }

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The period cannot end before it starts.")})

    @property
    def has_submitted_report(self) -> bool:
        """Whether a report was handed to the city (reads the prefetched reports)."""
        return any(report.status in Report.HANDED_IN for report in self.reports.all())

    def is_overdue(self, *, today: datetime.date | None = None) -> bool:
        return self.due_date < (today or timezone.localdate()) and not self.has_submitted_report


class ReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            status=Report.Status.PUBLISHED, period__plan__in=ActionPlan.objects.published()
        )


class Report(models.Model):
    """A monitoring body's report on its plan for one period."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report on co-creation")
        PROGRESS = "progress", _("Progress report")
        FINAL = "final", _("Final report")
        LEARNING = "learning", _("Learning exercise")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
        RESPONDED = "responded", _("City has responded")
        PUBLISHED = "published", _("Published")

    body = models.ForeignKey(
        MonitoringBody,
        verbose_name=_("monitoring body"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    overall_findings = models.TextField(
        _("overall findings"),
        blank=True,
        help_text=_("What the monitoring body concludes about the plan as a whole."),
    )
    city_response = models.TextField(
        _("city's overall response"),
        blank=True,
        help_text=_("The city's answer to the report as a whole."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    # Statuses in which the city has the report.
    HANDED_IN = (Status.SUBMITTED, Status.RESPONDED, Status.PUBLISHED)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-period__start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind"], name="monitoring_report_one_per_kind"
            ),
        ]
        permissions = [
            ("respond_report", _("Can respond to monitoring reports")),
            ("publish_report", _("Can publish monitoring reports")),
        ]

    def __str__(self):
        return _("%(kind)s, %(period)s") % {"kind": self.get_kind_display(), "period": self.period}

    def get_absolute_url(self):
        return reverse("monitoring:public_report", args=[self.pk])


class CommitmentAssessment(models.Model):
    """What the monitoring body observed about one commitment, and the city's answer."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="assessments"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="monitor_assessments",
    )
    completion = models.CharField(
        _("completion"),
        max_length=20,
        choices=Commitment.Completion.choices,
        blank=True,
        help_text=_("In the IRM's vocabulary: how much of the commitment was done."),
    )
    narrative = models.TextField(_("what we observed"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    city_response = models.TextField(_("city's response"), blank=True)

    class Meta:
        verbose_name = _("commitment assessment")
        verbose_name_plural = _("commitment assessments")
        ordering = ["report", "commitment__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="monitoring_assessment_one_per_commitment"
            ),
        ]

    def __str__(self):
        return str(self.commitment)


class MilestoneObservation(models.Model):
    """The status of a milestone as the monitoring body observed it."""

    assessment = models.ForeignKey(
        CommitmentAssessment,
        verbose_name=_("commitment assessment"),
        on_delete=models.CASCADE,
        related_name="milestone_observations",
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="+"
    )
    observed_status = models.CharField(
        _("observed status"), max_length=20, choices=Milestone.Status.choices, blank=True
    )

    class Meta:
        verbose_name = _("milestone observation")
        verbose_name_plural = _("milestone observations")
        ordering = ["assessment", "milestone__order", "milestone__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "milestone"], name="monitoring_observation_one_per_milestone"
            ),
        ]

    def __str__(self):
        return str(self.milestone)


def evidence_upload_path(instance, filename):
    # A random name, with the extension of the type found in the content: the
    # uploader's name is kept only as data, for the download.
    return f"evidence/{uuid.uuid4().hex}{ACCEPTED_TYPES.get(instance.content_type, '')}"


class Evidence(models.Model):
    """A link or a file that backs the monitoring body's findings."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    assessment = models.ForeignKey(
        CommitmentAssessment,
        verbose_name=_("commitment assessment"),
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
        help_text=_("Empty when the evidence backs the overall findings."),
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "pk"]
        constraints = [
            # Exactly one of a link or a file.
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file=""))
                | (~models.Q(url="") & models.Q(file="")),
                name="monitoring_evidence_link_or_file",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def type_label(self) -> str:
        """The file's type as people name it: PDF, DOCX, PNG..."""
        return ACCEPTED_TYPES.get(self.content_type, "").lstrip(".").upper()


class ReportTransition(models.Model):
    """One step of a report's workflow: who moved it, from what, to what, when."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Report.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Report.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class MonitorInvitation(models.Model):
    """Staff invite a person by email to file a monitoring body's reports."""

    body = models.ForeignKey(
        MonitoringBody,
        verbose_name=_("monitoring body"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monitor invitation")
        verbose_name_plural = _("monitor invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email
