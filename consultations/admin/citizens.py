"""Citizens' accounts in the admin. The email and phone number stay off the
lists: a profile's page shows them to the few who may open it (superusers,
or staff given the permission)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import CitizenProfile, Follow, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by citizens and by the notification task, never by staff."""

    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "confirmed", "created_at"]
    list_filter = [
        ("email_confirmed_at", admin.EmptyFieldListFilter),
        "sms_notifications",
        "language",
    ]
    search_fields = ["display_name"]
    fields = [
        "user",
        "display_name",
        "phone",
        "sms_notifications",
        "language",
        "email_confirmed_at",
        "created_at",
    ]
    readonly_fields = ["user", "email_confirmed_at", "created_at"]
    list_per_page = 50

    @admin.display(boolean=True, description=_("email confirmed"), ordering="email_confirmed_at")
    def confirmed(self, profile):
        return profile.email_confirmed_at is not None

    def has_add_permission(self, request):
        return False  # accounts open through sign-up (double opt-in)


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at"]
    list_select_related = ["plan", "commitment"]
    fields = ["user", "plan", "commitment", "created_at"]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "change_key", "created_at", "emailed_at", "texted_at"]
    search_fields = ["change_key"]
    fields = ["user", "change_key", "subject", "body", "created_at", "emailed_at", "texted_at"]
    readonly_fields = fields
