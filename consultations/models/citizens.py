"""Citizens' light accounts, what they follow, and what they were told."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from plans.models import ActionPlan

phone_validator = RegexValidator(
    r"^\+[1-9][0-9]{7,14}$",
    _("Enter the number in international format, e.g. +995 32 2 00 00 00."),
)


class CitizenProfile(models.Model):
    """What a citizen's account adds to Django's user: a public name, and how
    to reach them. The email and phone number are never shown publicly."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="citizen_profile",
    )
    display_name = models.CharField(
        _("public name"),
        max_length=80,
        help_text=_("Shown with your comments and proposals. Not your email address."),
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        blank=True,
        validators=[phone_validator],
        help_text=_("Optional. For text-message notices about what you follow."),
    )
    sms_notifications = models.BooleanField(_("text-message notices"), default=False)
    language = models.CharField(
        _("language of notices"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The emails and text messages we send you are in this language."),
    )
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self):
        return self.display_name


class Follow(models.Model):
    """A citizen follows a plan or a commitment, and is told when it changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=True, commitment__isnull=False)
                | models.Q(plan__isnull=False, commitment__isnull=True),
                name="follow_exactly_one_subject",
            ),
            models.UniqueConstraint(
                fields=["user", "plan"],
                condition=models.Q(plan__isnull=False),
                name="follow_plan_once",
            ),
            models.UniqueConstraint(
                fields=["user", "commitment"],
                condition=models.Q(commitment__isnull=False),
                name="follow_commitment_once",
            ),
        ]

    def __str__(self):
        return str(self.plan or self.commitment)


class Notification(models.Model):
    """One notice to one person about one change. The unique key is what
    keeps a follower of both a plan and its commitment, or a task that runs
    twice, from telling anyone the same thing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    change_key = models.CharField(_("change"), max_length=100)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    texted_at = models.DateTimeField(_("sent by text message"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "change_key"], name="notification_once_per_change"
            )
        ]

    def __str__(self):
        return self.subject
