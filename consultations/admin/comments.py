"""Moderation in the admin: moderators (staff with `moderate_comment`, the
Moderators group) publish pending comments, hide comments with a reason, and
resolve abuse reports. Every change goes through services.comments, which
records who moderated and writes the security log. What a citizen wrote is
never edited here, and their email is not shown: the list shows the public name."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from consultations.models import Comment, CommentFlag
from consultations.selectors.citizens import public_name
from consultations.services import comments as services
from ogp_portal.accounts import DescribedFieldsMixin
from ogp_portal.admin_base import UntranslatedPortalAdmin

MODERATE = "consultations.moderate_comment"


class ModerationQueueFilter(admin.SimpleListFilter):
    title = _("moderation")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Awaiting moderation")),
            ("reported", _("With open abuse reports")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(status=Comment.Status.PENDING)
        if self.value() == "reported":
            return queryset.filter(flags__resolved_at__isnull=True).distinct()
        return queryset


class SubjectKindFilter(admin.SimpleListFilter):
    title = _("about")
    parameter_name = "about"

    def lookups(self, request, model_admin):
        return [
            ("plan", _("The plan")),
            ("commitment", _("A commitment")),
            ("consultation", _("A consultation")),
            ("section", _("A consultation section")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "plan":
            return queryset.filter(commitment__isnull=True, consultation__isnull=True)
        if value == "commitment":
            return queryset.filter(commitment__isnull=False)
        if value == "consultation":
            return queryset.filter(consultation__isnull=False, section__isnull=True)
        if value == "section":
            return queryset.filter(section__isnull=False)
        return queryset


class CommentModerationForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["status", "hidden_reason"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Comment.Status.HIDDEN
            and not (cleaned.get("hidden_reason") or "").strip()
        ):
            self.add_error("hidden_reason", _("Give the reason for hiding this comment."))
        return cleaned


class HideForm(DescribedFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding, shown in place of the comments"),
        max_length=300,
        error_messages={"required": _("Give the reason for hiding these comments.")},
    )


@admin.register(Comment)
class CommentAdmin(UntranslatedPortalAdmin):
    form = CommentModerationForm
    list_display = ["excerpt", "author_name", "about", "status", "open_flags", "created_at"]
    list_filter = [ModerationQueueFilter, "status", SubjectKindFilter, "is_anonymous", "plan"]
    search_fields = ["body"]
    date_hierarchy = "created_at"
    actions = ["publish_selected", "hide_selected"]
    fields = [
        "about",
        "parent",
        "author_name",
        "is_anonymous",
        "body",
        "created_at",
        "status",
        "hidden_reason",
        "moderated_by",
        "moderated_at",
    ]
    readonly = [
        "about",
        "parent",
        "author_name",
        "is_anonymous",
        "body",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "author__citizen_profile",
                "plan",
                "commitment",
                "consultation",
                "section",
                "moderated_by",
            )
            .annotate(open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        )

    def get_readonly_fields(self, request, obj=None):
        if self.has_moderate_permission(request):
            return self.readonly
        return [*self.readonly, "status", "hidden_reason"]

    def has_add_permission(self, request):
        return False  # comments come from the public pages only

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE)

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return obj.body[:80]

    @admin.display(description=_("author"))
    def author_name(self, obj):
        if obj.is_anonymous:
            return _("Anonymous participant")
        return public_name(obj.author)

    @admin.display(description=_("about"))
    def about(self, obj):
        if obj.section_id:
            return f"{obj.consultation} › {obj.section}"
        return str(obj.consultation or obj.commitment or obj.plan)

    @admin.display(description=_("open reports"), ordering="open_flag_count")
    def open_flags(self, obj):
        return obj.open_flag_count

    def save_model(self, request, obj, form, change):
        if not {"status", "hidden_reason"} & set(form.changed_data):
            return
        if obj.status == Comment.Status.HIDDEN:
            services.comment_hide(comment=obj, by=request.user, reason=obj.hidden_reason)
        elif obj.status == Comment.Status.PUBLISHED:
            services.comment_publish(comment=obj, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish selected comments"), permissions=["moderate"])
    def publish_selected(self, request, queryset):
        count = 0
        for comment in queryset:
            services.comment_publish(comment=comment, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d comment published.", "%(count)d comments published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Hide selected comments"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        """Asks for the reason on a confirmation page, then hides them all."""
        form = HideForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            count = 0
            for comment in queryset:
                try:
                    services.comment_hide(
                        comment=comment, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    self.message_user(request, "; ".join(error.messages), messages.ERROR)
                    return None
                count += 1
            self.message_user(
                request,
                ngettext("%(count)d comment hidden.", "%(count)d comments hidden.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hide comments"),
            "opts": self.model._meta,
            "form": form,
            "comments": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "consultations/comments/admin_hide.html", context)


@admin.register(CommentFlag)
class CommentFlagAdmin(admin.ModelAdmin):
    """Abuse reports. Hiding the comment resolves its reports; a report that
    needs no action is marked resolved here."""

    list_display = ["comment", "reason", "created_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "reason"]
    search_fields = ["comment__body", "details"]
    date_hierarchy = "created_at"
    list_per_page = 50
    list_select_related = ["comment"]
    fields = ["comment", "reason", "details", "created_at", "resolved_at"]
    readonly_fields = ["comment", "reason", "details", "created_at"]
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False  # reports come from the public pages only

    @admin.action(description=_("Mark selected reports as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = services.comment_flags_resolve(flags=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", count)
            % {"count": count},
            messages.SUCCESS,
        )
