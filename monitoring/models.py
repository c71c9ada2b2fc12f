"""The independent monitoring body of an action plan and its members.

The reporting workflow (periods, reports, evidence) builds on these.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan, Sector


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
