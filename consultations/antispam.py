"""What every public form that writes shares: rate limits per account and
per address (django-ratelimit, counted in the shared cache), and a honeypot
field that people never see and form-filling robots fill in."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit


def _rate_per_account(group, request):
    return settings.PARTICIPATION_RATE_PER_ACCOUNT


def _rate_per_address(group, request):
    return settings.PARTICIPATION_RATE_PER_ADDRESS


def public_write_limits(group: str):
    """Limit a view's POSTs: per account (per address when signed out), and
    per address whoever is signed in. Over either limit, RATELIMIT_VIEW
    answers 429 and nothing is saved."""

    def decorator(view):
        view = ratelimit(
            key="user_or_ip", rate=_rate_per_account, method="POST", group=group, block=True
        )(view)
        return ratelimit(
            key="ip", rate=_rate_per_address, method="POST", group=f"{group}:ip", block=True
        )(view)

    return decorator


class HoneypotMixin(forms.Form):
    """A field hidden by the stylesheet (`.honeypot`); screen readers skip it
    too. A form that comes back with it filled in was not filled in by a person."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This form could not be accepted. Please try again."))
        return ""
