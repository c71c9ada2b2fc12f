"""Reads of the co-creation record that depend on who is asking: the public
sees the meetings of public plans only."""

from django.db.models import QuerySet

from plans.models import ActionPlan

from .models import Meeting


def meeting_list_public() -> QuerySet[Meeting]:
    """Meetings of public plans, latest first, with their participation by sector."""
    return (
        Meeting.objects.filter(plan__in=ActionPlan.objects.published())
        .select_related("plan")
        .prefetch_related("participation")
        .order_by("-date", "-start_time", "pk")
    )
