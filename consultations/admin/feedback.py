"""The staff queue of feedback: unanswered first, by due time.

Feedback comes from the public, so nothing is added here; staff read the
message and write the answer, which `feedback_answer` stores and emails.
Senders' email and address appear only on an item's own page."""

import re

from django import forms
from django.contrib import admin
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Feedback
from consultations.selectors.feedback import feedback_reference
from consultations.services.feedback import feedback_answer
from ogp_portal.admin_base import UntranslatedPortalAdmin

REFERENCE = re.compile(r"^\s*F-?0*(\d+)\s*$", re.IGNORECASE)


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("Unanswered")), ("yes", _("Answered"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue, unanswered")), ("late", _("Answered late"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "late":
            return queryset.filter(answered_at__isnull=False, answered_at__gt=F("due_at"))
        return queryset


class FeedbackAnswerForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["answer"]

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        if "answer" in self.changed_data and not answer.strip():
            raise forms.ValidationError(_("Write the answer."))
        return answer


@admin.register(Feedback)
class FeedbackAdmin(UntranslatedPortalAdmin):
    form = FeedbackAnswerForm
    list_display = [
        "reference",
        "category",
        "subject",
        "submitted_at",
        "due_at",
        "overdue_flag",
        "answered",
    ]
    list_display_links = ["reference"]
    list_filter = [AnsweredFilter, OverdueFilter, "category"]
    search_fields = ["body", "answer"]
    list_select_related = ["plan", "commitment"]
    # Unanswered first, then by due time: the queue's next item on top.
    ordering = [
        Case(When(answered_at__isnull=True, then=Value(0)), default=Value(1)).asc(),
        "due_at",
        "pk",
    ]
    fieldsets = [
        (
            _("Feedback"),
            {
                "fields": [
                    "reference",
                    "category",
                    "subject",
                    "body",
                    "language",
                    "submitted_at",
                    "due_at",
                    "overdue_flag",
                ]
            },
        ),
        (
            _("Sender"),
            {
                "fields": ["is_anonymous", "name", "email", "author", "ip_address"],
                "description": _(
                    "Never published. Anonymous feedback keeps no name, email or address."
                ),
            },
        ),
        (_("Answer"), {"fields": ["answer", "answered_at", "answered_by"]}),
    ]
    readonly_fields = [
        "reference",
        "category",
        "subject",
        "body",
        "language",
        "submitted_at",
        "due_at",
        "overdue_flag",
        "is_anonymous",
        "name",
        "email",
        "author",
        "ip_address",
        "answered_at",
        "answered_by",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj):
        return feedback_reference(obj)

    @admin.display(description=_("about"))
    def subject(self, obj):
        if obj.commitment_id:
            return obj.commitment.identifier
        if obj.plan_id:
            return str(obj.plan)
        return _("General")

    @admin.display(description=_("overdue"))
    def overdue_flag(self, obj):
        if obj.answered_at is None and obj.is_overdue(timezone.now()):
            return _("Overdue")
        if obj.answered_at is not None and obj.answered_at > obj.due_at:
            return _("Answered late")
        return ""

    @admin.display(description=_("answered"), boolean=True, ordering="answered_at")
    def answered(self, obj):
        return obj.answered_at is not None

    def get_search_results(self, request, queryset, search_term):
        match = REFERENCE.match(search_term or "")
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        """An answer goes through the service, which dates it and emails it."""
        if "answer" in form.changed_data:
            answered = feedback_answer(feedback=obj, answer=obj.answer, by=request.user)
            obj.answer = answered.answer
            obj.answered_at = answered.answered_at
            obj.answered_by = answered.answered_by
        elif change:
            # Nothing staff may change here but the answer.
            return
        else:
            super().save_model(request, obj, form, change)
