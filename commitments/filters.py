"""The filters of the public commitment list, kept in the query string so a
filtered list can be shared. One FilterSet serves the pages and, later, the API."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.fields import BaseCSVField

from plans.models import ActionPlan, Institution

from . import progress
from .models import VALUE_FIELDS, Commitment, PolicyArea
from .selectors import commitment_search


class EveryItemGivenCSVField(BaseCSVField):
    """A comma-separated list with no empty item: `?sort=,` is an error, as
    the API schema says, not a silent "no sort"."""

    def clean(self, value):
        if value and any(item in self.empty_values for item in value):
            raise ValidationError(
                _("The list has an empty item; remove the extra comma."), code="empty_item"
            )
        return super().clean(value)


class SortFilter(django_filters.OrderingFilter):
    base_field_class = EveryItemGivenCSVField


class ProgressStatus:
    NO_MILESTONES = "no_milestones"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    choices = [
        (NOT_STARTED, _("Not started")),
        (IN_PROGRESS, _("In progress")),
        (COMPLETED, _("Completed")),
        (NO_MILESTONES, _("No milestones yet")),
    ]
    conditions = {
        NO_MILESTONES: Q(progress__isnull=True),
        NOT_STARTED: Q(progress=0),
        IN_PROGRESS: Q(progress__gt=0, progress__lt=1),
        COMPLETED: Q(progress__gte=1),
    }


def at_risk_condition():
    return Q(progress__lt=1, on_track_until__lt=progress.today())


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    plan = django_filters.ModelChoiceFilter(
        label=_("Action plan"),
        queryset=ActionPlan.objects.published().select_related("jurisdiction"),
        to_field_name="slug",
        empty_label=_("All plans"),
    )
    policy_area = django_filters.ModelChoiceFilter(
        label=_("Policy area"),
        field_name="policy_areas",
        queryset=PolicyArea.objects.all(),
        to_field_name="slug",
        empty_label=_("All policy areas"),
    )
    value = django_filters.ChoiceFilter(
        label=_("OGP value"),
        choices=[
            (name.removeprefix("value_"), capfirst(Commitment._meta.get_field(name).verbose_name))
            for name in VALUE_FIELDS
        ],
        method="filter_value",
        empty_label=_("All values"),
    )
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead institution"),
        field_name="lead_institution",
        queryset=Institution.objects.all(),
        empty_label=_("All institutions"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Progress"),
        choices=ProgressStatus.choices,
        method="filter_status",
        empty_label=_("Any progress"),
    )
    at_risk = django_filters.BooleanFilter(
        label=_("Schedule"),
        method="filter_at_risk",
        widget=forms.Select(
            choices=[
                ("", _("All commitments")),
                ("true", _("At risk only")),
                ("false", _("On track only")),
            ]
        ),
    )
    sort = SortFilter(
        label=_("Sort by"),
        empty_label=_("Plan and number"),
        fields=[
            ("identifier", "identifier"),
            ("title", "title"),
            ("progress", "progress"),
            ("end_date", "end_date"),
        ],
        field_labels={
            "identifier": _("Identifier"),
            "title": _("Title, A to Z"),
            "progress": _("Progress, least advanced first"),
            "end_date": _("End date, soonest first"),
            "-identifier": _("Identifier, last first"),
            "-title": _("Title, Z to A"),
            "-progress": _("Progress, most advanced first"),
            "-end_date": _("End date, latest first"),
        },
    )

    class Meta:
        model = Commitment
        fields = ["q", "plan", "policy_area", "value", "lead", "status", "at_risk"]

    def __init__(self, *args, policy_areas=None, lead_institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only choices that lead somewhere.
        if policy_areas is not None:
            self.filters["policy_area"].queryset = policy_areas
            self.form.fields["policy_area"].queryset = policy_areas
        if lead_institutions is not None:
            self.filters["lead"].queryset = lead_institutions
            self.form.fields["lead"].queryset = lead_institutions

    def filter_search(self, queryset, name, value):
        return commitment_search(queryset, value)

    def filter_value(self, queryset, name, value):
        return queryset.filter(**{f"value_{value}": True})

    def filter_status(self, queryset, name, value):
        return queryset.filter(ProgressStatus.conditions[value])

    def filter_at_risk(self, queryset, name, value):
        if value is True:
            return queryset.filter(at_risk_condition())
        if value is False:
            return queryset.exclude(at_risk_condition())
        return queryset

    @property
    def is_filtered(self):
        return any(self.form.cleaned_data.get(name) not in (None, "", []) for name in self.filters)
