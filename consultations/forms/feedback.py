"""The feedback form: general, or about one commitment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ogp_portal.accounts import DescribedFieldsMixin
from ogp_portal.text import interpolate_lazy

from ..antispam import HoneypotMixin
from ..models import FEEDBACK_MAX_LENGTH, Feedback


class FeedbackForm(DescribedFieldsMixin, HoneypotMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of feedback is it?"), choices=Feedback.Category.choices
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=FEEDBACK_MAX_LENGTH,
        help_text=interpolate_lazy(
            _("At most %(count)d characters."), {"count": FEEDBACK_MAX_LENGTH}
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_(
            "Give it if you want an answer: the answer is sent to this address by email. "
            "It is never published."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_(
            "We then keep no name, no email address and no IP address, so no answer "
            "can be sent to you. Recommended for reports of suspected corruption."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("email", user.email)
        self.identity_discarded = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_anonymous"):
            # Whatever was typed in the name and email fields is dropped,
            # valid or not; the confirmation page says so.
            self.identity_discarded = bool(
                (self.data.get(self.add_prefix("name")) or "").strip()
                or (self.data.get(self.add_prefix("email")) or "").strip()
            )
            for name in ("name", "email"):
                self._errors.pop(name, None)
                cleaned[name] = ""
        return cleaned
