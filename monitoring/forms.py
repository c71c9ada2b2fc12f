from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commitments.models import Milestone

from . import evidence as evidence_checks
from .models import CommitmentAssessment, Report

TEXTAREA = {"rows": 6}


class ReportStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)


class FindingsForm(forms.Form):
    overall_findings = forms.CharField(
        label=_("Overall findings"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What the monitoring body concludes about the plan as a whole."),
    )


class AssessmentForm(forms.ModelForm):
    """The monitor's view of one commitment, and the observed status of each milestone."""

    class Meta:
        model = CommitmentAssessment
        fields = ["completion", "narrative", "challenges", "recommendations"]
        widgets = {
            "narrative": forms.Textarea(attrs=TEXTAREA),
            "challenges": forms.Textarea(attrs=TEXTAREA),
            "recommendations": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completion"].choices = [("", _("Not rated yet"))] + list(
            CommitmentAssessment._meta.get_field("completion").choices
        )
        self.observation_fields = []
        for observation in self.instance.milestone_observations.all():
            name = f"milestone_{observation.milestone_id}"
            self.fields[name] = forms.ChoiceField(
                label=observation.milestone.title,
                choices=[("", _("Not observed"))] + list(Milestone.Status.choices),
                required=False,
                initial=observation.observed_status,
                help_text=_("The city reports: %(status)s")
                % {"status": observation.milestone.get_status_display()},
            )
            self.observation_fields.append(name)

    def milestone_fields(self):
        return [self[name] for name in self.observation_fields]

    def observed(self) -> dict[int, str]:
        return {
            int(name.removeprefix("milestone_")): self.cleaned_data.get(name, "")
            for name in self.observation_fields
        }


class EvidenceForm(forms.Form):
    """An optional link or file sent with the page's other fields."""

    title = forms.CharField(label=_("Evidence title"), max_length=300, required=False)
    url = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=evidence_checks.ACCEPTED_DESCRIPTION,
    )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            evidence_checks.evidence_file_check(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        title, url, uploaded = cleaned.get("title"), cleaned.get("url"), cleaned.get("file")
        if self.errors:
            return cleaned
        if (url or uploaded) and not title:
            self.add_error("title", _("Give the evidence a title."))
        if title and not (url or uploaded):
            self.add_error("url", _("Give a link or choose a file."))
        if url and uploaded:
            self.add_error("url", _("Give either a link or a file, not both."))
        return cleaned

    def has_evidence(self) -> bool:
        return bool(self.cleaned_data.get("url") or self.cleaned_data.get("file"))


class ResponseForm(forms.Form):
    """The city's answers: overall and per commitment. Nothing of the monitor's text."""

    city_response = forms.CharField(
        label=_("The city's overall response"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city_response"].initial = report.city_response
        self.assessment_fields = []
        for assessment in report.assessments.all():
            name = f"response_{assessment.pk}"
            self.fields[name] = forms.CharField(
                label=_("Response on %(commitment)s")
                % {"commitment": assessment.commitment.identifier},
                required=False,
                initial=assessment.city_response,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.assessment_fields.append((assessment, name))

    def responses(self) -> dict[int, str]:
        return {
            assessment.pk: self.cleaned_data[name] for assessment, name in self.assessment_fields
        }

    def rows(self):
        return [(assessment, self[name]) for assessment, name in self.assessment_fields]


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
