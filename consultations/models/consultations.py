"""Consultations: staff open one on a draft plan, a set of initiatives or a
question; citizens comment section by section, submit proposals, and vote
among the options staff retain (Cartagena's one-week vote)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        """Consultations the public may see: published, on a public plan."""
        return self.filter(is_published=True, plan__in=ActionPlan.objects.published())


class Consultation(models.Model):
    class Subject(models.TextChoices):
        DRAFT_PLAN = "draft_plan", _("Draft action plan")
        INITIATIVES = "initiatives", _("Initiatives")
        QUESTION = "question", _("Question")

    class Moderation(models.TextChoices):
        PRE = "pre", _("Before publication (pre-moderation)")
        POST = "post", _("After publication (post-moderation)")

    class ResultsVisibility(models.TextChoices):
        LIVE = "live", _("Live, while the vote is open")
        AFTER_CLOSING = "after_closing", _("After closing")

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    subject = models.CharField(
        _("subject"), max_length=20, choices=Subject.choices, default=Subject.DRAFT_PLAN
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown. What is asked, and why.")
    )
    question = models.TextField(
        _("question"), blank=True, help_text=_("The question put to the public, if any.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Unpublished consultations are visible to staff only."),
    )
    accepts_proposals = models.BooleanField(
        _("accepts proposals"),
        default=True,
        help_text=_("Citizens may submit proposals while it is open."),
    )
    moderation = models.CharField(
        _("comment moderation"),
        max_length=4,
        choices=Moderation.choices,
        default=Moderation.POST,
    )
    allow_anonymous_comments = models.BooleanField(
        _("allow comments without an account"),
        default=False,
        help_text=_("Comments without an account are always moderated before publication."),
    )
    max_choices = models.PositiveSmallIntegerField(
        _("choices per ballot"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many options each voter may choose (1 = a single choice)."),
    )
    results_visibility = models.CharField(
        _("vote results shown"),
        max_length=15,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSING,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(max_choices__gte=1), name="consultation_max_choices_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:consultation_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The closing time must be after the opening time.")}
            )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def has_opened(self, now=None) -> bool:
        return (now or timezone.now()) >= self.opens_at

    def results_are_public(self, now=None) -> bool:
        return self.has_closed(now) or (
            self.results_visibility == self.ResultsVisibility.LIVE and self.has_opened(now)
        )


class ConsultationSection(models.Model):
    """A part of the draft put to consultation; citizens comment on each one."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["consultation", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "consultations:section_detail",
            kwargs={"pk": self.consultation_id, "section_pk": self.pk},
        )


class Proposal(models.Model):
    """A citizen's idea, evaluated by staff with a public status and reason."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
        SELECTED = "selected", _("Selected")
        MERGED = "merged", _("Merged")
        NOT_RETAINED = "not_retained", _("Not retained")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    # A deleted account leaves its proposals in the public record, unsigned.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    public_reason = models.TextField(
        _("public reason"),
        blank=True,
        help_text=_("Shown with the status: why it was selected, merged or not retained."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_proposals",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "consultations:proposal_detail",
            kwargs={"pk": self.consultation_id, "proposal_pk": self.pk},
        )

    def clean(self):
        decided = (self.Status.SELECTED, self.Status.MERGED, self.Status.NOT_RETAINED)
        if self.status in decided and not self.public_reason.strip():
            raise ValidationError(
                {"public_reason": _("Give the public a reason for this decision.")}
            )
        if self.status == self.Status.MERGED and self.merged_into_id is None:
            raise ValidationError(
                {"merged_into": _("Say which proposal this one was merged into.")}
            )
        if self.merged_into_id is not None and (
            self.merged_into_id == self.pk
            or self.merged_into.consultation_id != self.consultation_id
        ):
            raise ValidationError(
                {"merged_into": _("Choose another proposal of the same consultation.")}
            )


class VoteOption(models.Model):
    """One of the retained initiatives citizens choose among."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="options",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("from proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vote_options",
    )

    class Meta:
        verbose_name = _("vote option")
        verbose_name_plural = _("vote options")
        ordering = ["consultation", "order", "pk"]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    """One person's vote in a consultation. The database, not the form,
    guarantees one ballot per person: concurrent submissions cannot both land."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="ballots",
    )
    # A deleted account's ballot still counts, but no longer says whose it was.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ballots",
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)
    options = models.ManyToManyField(
        VoteOption, verbose_name=_("choices"), through="BallotChoice", related_name="ballots"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["consultation", "cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "voter"], name="ballot_one_per_voter")
        ]

    def __str__(self):
        return f"{self.consultation} #{self.pk}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="choices"
    )
    option = models.ForeignKey(
        VoteOption, verbose_name=_("option"), on_delete=models.PROTECT, related_name="choices"
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="ballot_choice_once")
        ]

    def __str__(self):
        return str(self.option)
