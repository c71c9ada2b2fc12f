"""Forms of the consultations area: a proposal, a ballot, the proposal filter."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from consultations.antispam import HoneypotMixin
from consultations.models import Proposal
from ogp_portal.accounts import DescribedFieldsMixin


class ProposalForm(DescribedFieldsMixin, HoneypotMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=Proposal._meta.get_field("title").max_length,
        help_text=_("A short name for your idea."),
    )
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=Proposal._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What should the city do, and why? Your proposal is published with your "
            "public name, never your email address."
        ),
    )


class VoteForm(forms.Form):
    """The options as one field, `options`: the template draws them as radio
    buttons (one choice) or checkboxes (up to max_choices) in a fieldset."""

    def __init__(self, *args, options, max_choices: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_choices = max_choices
        choices = [(str(option.pk), option.title) for option in options]
        self.fields["options"] = forms.MultipleChoiceField(
            choices=choices,
            error_messages={
                "required": _("Choose an option."),
                "invalid_choice": _("Choose among the options of this vote."),
            },
        )

    @property
    def is_single_choice(self) -> bool:
        return self.max_choices == 1

    def clean_options(self):
        chosen = self.cleaned_data["options"]
        if len(chosen) > self.max_choices:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(count)d option.",
                    "Choose at most %(count)d options.",
                    self.max_choices,
                )
                % {"count": self.max_choices},
                code="too_many",
            )
        return [int(value) for value in chosen]

    def selected(self) -> set[str]:
        """The options the voter ticked, to show them ticked again."""
        if not self.is_bound:
            return set()
        return set(self.data.getlist("options"))


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Proposal.Status.choices],
    )
