"""Consultations in the admin: staff open them with their sections and vote
options, evaluate proposals, and read ballot counts.

Ballots are read-only and never say who voted: the voter column is left out
of every screen. Proposals show their author's public name only.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    Ballot,
    BallotChoice,
    Comment,
    Consultation,
    ConsultationSection,
    Proposal,
    VoteOption,
)
from consultations.selectors.citizens import public_name
from consultations.services import consultations as services
from ogp_portal.admin_base import PortalAdmin, PortalStackedInline, UntranslatedPortalAdmin

EVALUATION_FIELDS = ("status", "public_reason", "merged_into")


class SectionInline(PortalStackedInline):
    model = ConsultationSection
    fields = ["order", "title", "body"]


class OptionInline(PortalStackedInline):
    model = VoteOption
    fields = ["order", "title", "description", "proposal", "vote_count"]
    readonly_fields = ["vote_count"]
    autocomplete_fields = ["proposal"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(votes=Count("choices"))

    @admin.display(description=_("votes"))
    def vote_count(self, option):
        return getattr(option, "votes", "—")


@admin.register(Consultation)
class ConsultationAdmin(PortalAdmin):
    list_display = [
        "title",
        "plan",
        "subject",
        "opens_at",
        "closes_at",
        "is_published",
        "proposal_count",
        "ballot_count",
    ]
    list_filter = ["is_published", "subject", "plan", "results_visibility", "moderation"]
    search_fields = ["title", "plan__title"]
    date_hierarchy = "opens_at"
    autocomplete_fields = ["plan"]
    list_select_related = ["plan"]
    inlines = [SectionInline, OptionInline]
    fieldsets = [
        (None, {"fields": ["plan", "subject", "title", "description", "question"]}),
        (_("Dates and publication"), {"fields": ["opens_at", "closes_at", "is_published"]}),
        (
            _("Participation"),
            {
                "fields": [
                    "accepts_proposals",
                    "moderation",
                    "allow_anonymous_comments",
                    "max_choices",
                    "results_visibility",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                proposals_total=Count("proposals", distinct=True),
                ballots_total=Count("ballots", distinct=True),
            )
        )

    @admin.display(description=_("proposals"), ordering="proposals_total")
    def proposal_count(self, consultation):
        return consultation.proposals_total

    @admin.display(description=_("ballots"), ordering="ballots_total")
    def ballot_count(self, consultation):
        return consultation.ballots_total


@admin.register(ConsultationSection)
class ConsultationSectionAdmin(PortalAdmin):
    list_display = ["title", "consultation", "order", "comment_count"]
    list_filter = ["consultation"]
    search_fields = ["title", "consultation__title"]
    autocomplete_fields = ["consultation"]
    list_select_related = ["consultation"]
    fields = ["consultation", "order", "title", "body"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                comments_total=Count(
                    "comments", filter=Q(comments__status=Comment.Status.PUBLISHED)
                )
            )
        )

    @admin.display(description=_("published comments"), ordering="comments_total")
    def comment_count(self, section):
        return section.comments_total


@admin.register(VoteOption)
class VoteOptionAdmin(PortalAdmin):
    list_display = ["title", "consultation", "order", "vote_count"]
    list_filter = ["consultation"]
    search_fields = ["title", "consultation__title"]
    autocomplete_fields = ["consultation", "proposal"]
    list_select_related = ["consultation"]
    fields = ["consultation", "order", "title", "description", "proposal"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(votes=Count("choices"))

    @admin.display(description=_("votes"), ordering="votes")
    def vote_count(self, option):
        return option.votes


@admin.register(Proposal)
class ProposalAdmin(UntranslatedPortalAdmin):
    """Staff evaluate proposals here: the status and reason are public."""

    list_display = ["title", "consultation", "status", "author_name", "created_at", "evaluated_at"]
    list_filter = ["status", "consultation"]
    search_fields = ["title", "body", "consultation__title"]
    date_hierarchy = "created_at"
    list_select_related = ["consultation", "author__citizen_profile"]
    autocomplete_fields = ["merged_into"]
    fieldsets = [
        (
            _("The proposal"),
            {"fields": ["consultation", "title", "body", "author_name", "created_at"]},
        ),
        (_("Evaluation (public)"), {"fields": ["status", "public_reason", "merged_into"]}),
        (None, {"fields": ["evaluated_at"]}),
    ]
    readonly_fields = ["author_name", "created_at", "evaluated_at"]

    def get_readonly_fields(self, request, obj=None):
        # What the citizen wrote stays as they wrote it.
        if obj is not None:
            return [*self.readonly_fields, "consultation", "title", "body"]
        return self.readonly_fields

    @admin.display(description=_("author"))
    def author_name(self, proposal):
        if proposal.pk is None:
            return "—"
        return public_name(proposal.author)

    def save_model(self, request, obj, form, change):
        evaluated = any(name in form.changed_data for name in EVALUATION_FIELDS)
        if change and evaluated:
            services.proposal_evaluate(
                proposal=obj,
                status=obj.status,
                public_reason=obj.public_reason,
                merged_into=obj.merged_into,
                by=request.user,
            )
        else:
            super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ballots are the citizens' and are counted, never edited or deleted by staff.
    (No history: ballots are not kept in simple_history.)"""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "consultation", "cast_at", "choice_list"]
    list_filter = ["consultation"]
    date_hierarchy = "cast_at"
    list_select_related = ["consultation"]
    # Never the voter: the admin shows counts, not who voted for what.
    fields = ["consultation", "cast_at", "choice_list"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("options")

    @admin.display(description=_("choices"))
    def choice_list(self, ballot):
        return "; ".join(str(option) for option in ballot.options.all())


@admin.register(BallotChoice)
class BallotChoiceAdmin(ReadOnlyAdmin):
    list_display = ["option", "ballot"]
    list_filter = ["option__consultation"]
    list_select_related = ["option", "ballot__consultation"]
    fields = ["ballot", "option"]
    readonly_fields = fields
