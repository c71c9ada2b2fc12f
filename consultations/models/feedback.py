"""Feedback to the city, answered from a staff queue against a response
target (GE0067: 24 hours instead of a month). Anonymous feedback (Cartagena's
reports of suspected corruption) keeps no email, no name and no address."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from plans.models import ActionPlan

FEEDBACK_MAX_LENGTH = 5000


class FeedbackQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def overdue(self, now=None):
        return self.unanswered().filter(due_at__lte=now or timezone.now())


class Feedback(models.Model):
    class Category(models.TextChoices):
        QUESTION = "question", _("Question")
        SUGGESTION = "suggestion", _("Suggestion")
        COMPLAINT = "complaint", _("Complaint")
        CORRUPTION = "corruption", _("Report of suspected corruption")

    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.QUESTION
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    body = models.TextField(_("message"), max_length=FEEDBACK_MAX_LENGTH)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("No email, name or IP address is kept; the answer cannot be sent."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the sender wrote from; the answer email is sent in it."),
    )
    submitted_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overdue_notice_sent_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["due_at", "pk"]
        constraints = [
            # Anonymity is kept by the database, not just by the form.
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False)
                | (
                    models.Q(email="")
                    & models.Q(name="")
                    & models.Q(ip_address__isnull=True)
                    & models.Q(author__isnull=True)
                ),
                name="feedback_anonymous_keeps_no_identity",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="feedback_answered_has_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["answered_at", "due_at"]),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.body[:60]}"

    def clean(self):
        if self.answered_at and not self.answer.strip():
            raise ValidationError({"answer": _("Write the answer.")})

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_overdue(self, now=None) -> bool:
        if self.answered_at is not None:
            return self.answered_at > self.due_at
        return (now or timezone.now()) >= self.due_at

    def answered_in_time(self) -> bool | None:
        """None while unanswered and not yet due."""
        if self.answered_at is not None:
            return self.answered_at <= self.due_at
        return False if self.is_overdue() else None
