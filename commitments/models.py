"""Commitments of an action plan, their milestones, indicators and IRM assessment.

The IRM (Independent Reporting Mechanism) fields live on the commitment
itself, as in OGP's published commitments data: one row, one commitment.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ogp_portal.text import localised
from ogp_portal.versioning import VersionedModel
from plans.models import ActionPlan, Institution, validate_period

from . import irm, progress


class Novelty(models.TextChoices):
    NEW = "new", _("New")
    ONGOING = "ongoing", _("Ongoing")


class PolicyArea(models.Model):
    """The managed vocabulary of OGP policy areas (E-government, Anti-corruption...)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommitmentQuerySet(models.QuerySet):
    def published(self):
        """Commitments the public may see: published, in a plan that is not a draft."""
        return self.filter(is_published=True).exclude(plan__status=ActionPlan.Status.DRAFT)


class Commitment(VersionedModel):
    class IrmVerifiable(models.TextChoices):
        YES = "yes", _("Verifiable")
        NO = "no", _("Not verifiable")

    class IrmRelevance(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    class PotentialForResults(models.TextChoices):
        UNCLEAR = "unclear", _("Unclear")
        MODEST = "modest", _("Modest")
        SUBSTANTIAL = "substantial", _("Substantial")

    class PotentialImpact(models.TextChoices):
        NONE = "none", _("None")
        MINOR = "minor", _("Minor")
        MODERATE = "moderate", _("Moderate")
        TRANSFORMATIVE = "transformative", _("Transformative")

    class Completion(models.TextChoices):
        NO_EVIDENCE = "no_evidence", _("No evidence available")
        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")

    class EarlyResults(models.TextChoices):
        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    identifier = models.CharField(
        _("identifier"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2,4}[0-9]{4}$",
                _("Use the OGP style: 2 to 4 capital letters and 4 digits, e.g. GE0067."),
            )
        ],
        help_text=_("OGP commitment identifier, unique in this portal, e.g. GE0067."),
    )
    number = models.PositiveSmallIntegerField(
        _("number in the plan"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    title = models.CharField(_("title"), max_length=400)
    short_title = models.CharField(_("short title"), max_length=200, blank=True)
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="led_commitments",
        null=True,
        blank=True,
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        related_name="supported_commitments",
        blank=True,
    )
    policy_areas = models.ManyToManyField(
        PolicyArea, verbose_name=_("policy areas"), related_name="commitments", blank=True
    )
    problem = models.TextField(_("problem addressed"), blank=True)
    objective = models.TextField(_("main objective"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status_quo = models.TextField(_("status quo"), blank=True)

    value_access_to_information = models.BooleanField(_("access to information"), default=False)
    value_civic_participation = models.BooleanField(_("civic participation"), default=False)
    value_public_accountability = models.BooleanField(_("public accountability"), default=False)
    value_technology = models.BooleanField(_("technology and innovation"), default=False)

    novelty = models.CharField(
        _("new or ongoing"), max_length=10, choices=Novelty.choices, default=Novelty.NEW
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Unpublished commitments are visible to staff only."),
    )
    ogp_url = models.URLField(_("page on the OGP website"), blank=True)

    irm_report = models.CharField(_("IRM report"), max_length=300, blank=True)
    irm_verifiable = models.CharField(
        _("verifiable"), max_length=5, choices=IrmVerifiable.choices, blank=True
    )
    irm_relevant = models.CharField(
        _("relevant to OGP values (open-government lens)"),
        max_length=5,
        choices=IrmRelevance.choices,
        blank=True,
    )
    irm_potential_for_results = models.CharField(
        _("potential for results"),
        max_length=15,
        choices=PotentialForResults.choices,
        blank=True,
        help_text=_("Plans from 2020 on."),
    )
    irm_potential_impact = models.CharField(
        _("potential impact"),
        max_length=15,
        choices=PotentialImpact.choices,
        blank=True,
        help_text=_("Plans before 2020."),
    )
    irm_completion = models.CharField(
        _("completion"), max_length=15, choices=Completion.choices, blank=True
    )
    irm_early_results = models.CharField(
        _("did it open government?"), max_length=15, choices=EarlyResults.choices, blank=True
    )
    irm_starred = models.BooleanField(
        _("starred"), null=True, blank=True, help_text=_("Older plans.")
    )
    irm_promising = models.BooleanField(
        _("promising"), null=True, blank=True, help_text=_("Plans from 2020 on.")
    )
    irm_summary = models.TextField(_("IRM analysis"), blank=True)
    irm_next_steps = models.TextField(_("IRM recommended next steps"), blank=True)

    # Derived from the milestones by refresh_progress(), never typed: kept on
    # the row so that lists can filter and sort by progress in SQL.
    progress = models.FloatField(_("progress"), null=True, editable=False)
    on_track_until = models.DateField(
        _("on track until"),
        null=True,
        editable=False,
        help_text=_("The day elapsed time overtakes progress; at risk after it."),
    )
    milestones_total = models.PositiveSmallIntegerField(
        _("milestones counted"), default=0, editable=False
    )
    milestones_completed = models.PositiveSmallIntegerField(
        _("milestones completed"), default=0, editable=False
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="commitment_unique_number_per_plan"
            )
        ]

    def __str__(self):
        return f"{self.identifier} {self.short_title or self.title}"

    def clean(self):
        validate_period(
            self.start_date, self.end_date, start_field="start_date", end_field="end_date"
        )

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The dates take part in "on track until".
        self.refresh_progress()

    def get_absolute_url(self):
        return reverse("commitments:commitment_detail", kwargs={"identifier": self.identifier})

    def refresh_progress(self):
        """Recompute the derived progress fields from the milestones and store them."""
        milestones = list(self.milestones.values_list("status", "weight"))
        figures = progress.commitment_progress(milestones, start=self.start_date, end=self.end_date)
        Commitment.objects.filter(pk=self.pk).update(**figures)
        for name, value in figures.items():
            setattr(self, name, value)

    @property
    def is_at_risk(self):
        return progress.is_at_risk(self.progress, self.on_track_until)

    @property
    def progress_percent(self):
        return None if self.progress is None else round(self.progress * 100)

    def narrative_sections(self):
        """(label, localised text) of each descriptive field that has text."""
        sections = [(label, localised(self, name)) for name, label in COMMITMENT_TEXT_SECTIONS]
        return [(label, text) for label, text in sections if text.text]

    def irm_ratings(self):
        return irm.irm_ratings(self)

    def ogp_values(self):
        """The OGP values this commitment is relevant to, as display labels."""
        return [
            self._meta.get_field(name).verbose_name for name in VALUE_FIELDS if getattr(self, name)
        ]


COMMITMENT_TEXT_SECTIONS = [
    ("problem", _("Problem addressed")),
    ("status_quo", _("Status quo")),
    ("objective", _("Main objective")),
    ("description", _("Description")),
]

VALUE_FIELDS = [
    "value_access_to_information",
    "value_civic_participation",
    "value_public_accountability",
    "value_technology",
]


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=400)
    novelty = models.CharField(
        _("new or ongoing"), max_length=10, choices=Novelty.choices, default=Novelty.NEW
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.NOT_STARTED
    )
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    responsible_institution = models.ForeignKey(
        Institution,
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        related_name="milestones",
        null=True,
        blank=True,
    )
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What shows the milestone is done: links, documents."),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "How much this milestone counts in the commitment's progress (1 = equal share)."
        ),
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.commitment.refresh_progress()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.commitment.refresh_progress()
        return result

    @property
    def is_overdue(self):
        return progress.is_milestone_overdue(self.status, self.end_date)

    def clean(self):
        validate_period(
            self.start_date, self.end_date, start_field="start_date", end_field="end_date"
        )
        errors = {}
        commitment = getattr(self, "commitment", None)
        # A milestone outside its commitment's dates is refused, not warned:
        # progress and "at risk" are computed from these dates, so an
        # inconsistent schedule would publish misleading figures.
        if commitment is not None:
            if (
                commitment.start_date
                and self.start_date
                and self.start_date < commitment.start_date
            ):
                errors["start_date"] = _(
                    "A milestone cannot start before its commitment (%(date)s)."
                ) % {"date": commitment.start_date.isoformat()}
            if commitment.end_date and self.end_date and self.end_date > commitment.end_date:
                errors["end_date"] = _(
                    "A milestone cannot end after its commitment (%(date)s)."
                ) % {"date": commitment.end_date.isoformat()}
        if self.status == self.Status.COMPLETED and not self.completion_date:
            errors["completion_date"] = _("Give the date a completed milestone was completed.")
        if self.completion_date and self.status != self.Status.COMPLETED:
            errors["completion_date"] = _("Only a completed milestone has a completion date.")
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    """What is measured to tell whether a commitment reached its goal."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("what is measured"), max_length=500)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    current_value = models.DecimalField(
        _("current value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=50, blank=True, help_text=_("e.g. %, hours, people")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["commitment", "order", "pk"]

    def __str__(self):
        return self.description

    @property
    def achievement(self):
        """Share of the way from baseline to target, between 0 and 1; None if unmeasured."""
        if None in (self.baseline, self.target, self.current_value) or self.target == self.baseline:
            return None
        share = (self.current_value - self.baseline) / (self.target - self.baseline)
        return float(min(max(share, 0), 1))

    def clean(self):
        if self.baseline is not None and self.target is not None and self.baseline == self.target:
            raise ValidationError(
                {
                    "target": _(
                        "The target must differ from the baseline, or progress cannot be measured."
                    )
                }
            )
