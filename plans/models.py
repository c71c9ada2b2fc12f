"""Jurisdictions, their OGP action plans and who stands behind them.

Translated fields (titles, narrative sections) get one column per language
through django-modeltranslation (see translation.py, which also registers the
history of translated models so the per-language columns are kept there).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ogp_portal.text import localised
from ogp_portal.versioning import VersionedModel

# Large enough for any city's participation figures, small enough to catch typos.
MAX_HEADCOUNT = 10_000_000


class Sector(models.TextChoices):
    """Who people represent; shared by participation figures, meetings and monitors."""

    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    CITIZENS = "citizens", _("Citizens")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    INTERNATIONAL = "international", _("International organisation")
    POLITICAL_PARTY = "political_party", _("Political party")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


def headcount_field(verbose_name, **kwargs):
    return models.PositiveIntegerField(
        verbose_name, validators=[MaxValueValidator(MAX_HEADCOUNT)], **kwargs
    )


def validate_period(start, end, *, start_field, end_field):
    """Refuse an end before its start, naming the field to correct."""
    if start and end and end < start:
        # The code goes on the field's error: ValidationError ignores a code
        # passed next to a dict.
        raise ValidationError(
            {
                end_field: ValidationError(
                    _("The end date cannot be before the start date."), code="end_before_start"
                )
            }
        )


class Jurisdiction(models.Model):
    class Kind(models.TextChoices):
        LOCAL = "local", _("Local")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = models.CharField(_("country"), max_length=100)
    kind = models.CharField(_("local or national"), max_length=10, choices=Kind.choices)
    ogp_member_since = models.PositiveSmallIntegerField(
        _("OGP member since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2011), MaxValueValidator(2100)],
        help_text=_("Year the jurisdiction joined the Open Government Partnership."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government unit")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        ACADEMIA = "academia", _("Academia")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        INTERNATIONAL = "international", _("International organisation")
        POLITICAL_PARTY = "political_party", _("Political party")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="institutions",
        null=True,
        blank=True,
        help_text=_("Leave empty for institutions that work across jurisdictions."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActionPlanQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=ActionPlan.Status.DRAFT)


# The narrative questions of the OGP Local action-plan template, in the
# template's order: (field name, label shown to staff and public).
NARRATIVE_SECTIONS = [
    ("foreword", _("Foreword")),
    ("vision", _("Long-term open government vision")),
    ("achievements", _("Open government achievements to date")),
    ("challenges", _("Current challenges")),
    ("medium_term_goals", _("Medium-term open government goals")),
    ("contribution_to_vision", _("How this plan contributes to the vision")),
    (
        "contribution_to_policy_goals",
        _("How the vision contributes to the administration's wider policy goals"),
    ),
    ("institutional_arrangements", _("Institutional arrangements for coordination")),
    ("cocreation_spaces", _("Co-creation spaces used, offline and online")),
    ("diversity_measures", _("Measures for diverse representation")),
    ("participants", _("Who took part")),
    (
        "ongoing_collaboration",
        _("How government and non-government stakeholders keep collaborating"),
    ),
    ("progress_discussion_activities", _("Activities to discuss progress with stakeholders")),
    ("progress_checking", _("How progress is checked with implementing agencies")),
    ("results_sharing", _("How monitoring results are shared with the public")),
]
NARRATIVE_FIELDS = [name for name, _label in NARRATIVE_SECTIONS]


class ActionPlan(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_IMPLEMENTATION = "in_implementation", _("In implementation")
        COMPLETED = "completed", _("Completed")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    submission_date = models.DateField(_("submission date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Drafts are visible to staff only."),
    )
    lead_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("lead institutions"),
        related_name="led_action_plans",
        blank=True,
    )
    ogp_url = models.URLField(_("page on the OGP website"), blank=True)

    foreword = models.TextField(NARRATIVE_SECTIONS[0][1], blank=True)
    vision = models.TextField(NARRATIVE_SECTIONS[1][1], blank=True)
    achievements = models.TextField(NARRATIVE_SECTIONS[2][1], blank=True)
    challenges = models.TextField(NARRATIVE_SECTIONS[3][1], blank=True)
    medium_term_goals = models.TextField(NARRATIVE_SECTIONS[4][1], blank=True)
    contribution_to_vision = models.TextField(NARRATIVE_SECTIONS[5][1], blank=True)
    contribution_to_policy_goals = models.TextField(NARRATIVE_SECTIONS[6][1], blank=True)
    institutional_arrangements = models.TextField(NARRATIVE_SECTIONS[7][1], blank=True)
    cocreation_spaces = models.TextField(NARRATIVE_SECTIONS[8][1], blank=True)
    diversity_measures = models.TextField(NARRATIVE_SECTIONS[9][1], blank=True)
    participants = models.TextField(NARRATIVE_SECTIONS[10][1], blank=True)
    ongoing_collaboration = models.TextField(NARRATIVE_SECTIONS[11][1], blank=True)
    progress_discussion_activities = models.TextField(NARRATIVE_SECTIONS[12][1], blank=True)
    progress_checking = models.TextField(NARRATIVE_SECTIONS[13][1], blank=True)
    results_sharing = models.TextField(NARRATIVE_SECTIONS[14][1], blank=True)

    groups_count = headcount_field(
        _("number of groups that took part"),
        null=True,
        blank=True,
        help_text=_("As reported in the plan; leave empty if not reported."),
    )
    public_meetings_count = headcount_field(
        _("number of public meetings"),
        null=True,
        blank=True,
        help_text=_("Public meetings held during co-creation, as reported in the plan."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        validate_period(
            self.period_start, self.period_end, start_field="period_start", end_field="period_end"
        )

    def get_absolute_url(self):
        return reverse("plans:plan_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status != self.Status.DRAFT

    def narrative_sections(self):
        """(label, localised text) of each template section that has text, in template order."""
        sections = [(label, localised(self, name)) for name, label in NARRATIVE_SECTIONS]
        return [(label, text) for label, text in sections if text.text]


class Endorsement(models.Model):
    """A non-governmental stakeholder's endorsement of the plan."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.name


class ParticipationFigure(models.Model):
    """How many people of one sector took part in co-creation, as the plan reports it."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="participation_figures",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("The plan's own wording, e.g. 'deliberative council participants'."),
    )
    count = headcount_field(_("number of participants"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("participation figure")
        verbose_name_plural = _("participation figures")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return f"{self.label or self.get_sector_display()}: {self.count}"
