"""Forms of citizens' accounts: sign-up, profile, and account deletion."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ogp_portal.accounts import DescribedFieldsMixin

from ..antispam import HoneypotMixin
from ..models import CitizenProfile, phone_validator


def _normalise_phone(value: str) -> str:
    """ "+995 32 2-00-00-00" and "+995 (32) 2000000" are the same number."""
    return re.sub(r"[\s\-().]", "", value or "")


class PhoneFieldsMixin(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        required=False,
        max_length=30,
        help_text=_(
            "In international format, starting with + and the country code, "
            "e.g. +995 32 2 00 00 00. Never shown to anyone."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    sms_notifications = forms.BooleanField(
        label=_("Also send me text messages about what I follow"),
        required=False,
    )

    def clean_phone(self):
        phone = _normalise_phone(self.cleaned_data.get("phone", ""))
        if phone:
            phone_validator(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sms_notifications") and not cleaned.get("phone"):
            self.add_error("phone", _("Give a mobile phone number to receive text messages."))
        return cleaned


class SignupForm(DescribedFieldsMixin, HoneypotMixin, PhoneFieldsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send a link to confirm it. Never shown to anyone."),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    display_name = forms.CharField(
        label=_("Public name"),
        max_length=80,
        help_text=_("Shown with your comments and proposals. It may be a nickname."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my account data is kept as it describes."
        ),
    )

    field_order = [
        "email",
        "display_name",
        "password",
        "phone",
        "sms_notifications",
        "consent",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The help text of Django's validators is a list in HTML; plain here.
        self.fields["password"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if "@" in name:
            raise ValidationError(
                _("Choose a public name that is not an email address."), code="email_as_name"
            )
        return name

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = get_user_model()(
                email=cleaned.get("email", ""), first_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ProfileForm(DescribedFieldsMixin, PhoneFieldsMixin, forms.ModelForm):
    class Meta:
        model = CitizenProfile
        fields = ["display_name", "phone", "sms_notifications", "language"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language by its own name, as the language menu shows them.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if "@" in name:
            raise ValidationError(
                _("Choose a public name that is not an email address."), code="email_as_name"
            )
        return name


class DeleteAccountForm(DescribedFieldsMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To confirm that it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This password is wrong."), code="wrong_password")
        return password
