"""A plan's calendar (iCalendar): its co-creation meetings, the opening and
closing of its public consultations, and the deadlines of its public
commitments' milestones, for people to subscribe to."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ogp_portal.text import localised


def plan_calendar(*, plan, meetings, milestones, request, consultations=()) -> bytes:
    """The calendar as bytes; `meetings`, `milestones` and `consultations`
    are the public ones of the plan."""
    host = request.get_host().split(":")[0]
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//{host}//")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("%(plan)s: meetings and deadlines") % {"plan": localised(plan, "title").text}
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("url", request.build_absolute_uri(plan.get_absolute_url()))

    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", now)
        if meeting.start_time:
            zone = ZoneInfo(settings.TIME_ZONE)
            event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.start_time, zone))
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("summary", localised(meeting, "title").text)
        event.add("description", meeting.get_format_display())
        venue = localised(meeting, "venue").text
        if venue or meeting.is_online:
            event.add("location", venue or _("Online"))
        event.add("url", meeting.online_link or request.build_absolute_uri(plan.get_absolute_url()))
        event.add("categories", [_("Co-creation meeting")])
        calendar.add_component(event)

    for consultation in consultations:
        title = localised(consultation, "title").text
        url = request.build_absolute_uri(consultation.get_absolute_url())
        moments = [
            ("opens", consultation.opens_at, _("Consultation opens: %(title)s")),
            ("closes", consultation.closes_at, _("Consultation closes: %(title)s")),
        ]
        for moment, when, summary in moments:
            event = Event()
            event.add("uid", f"consultation-{consultation.pk}-{moment}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", when)
            event.add("dtend", when)
            event.add("summary", summary % {"title": title})
            event.add("description", consultation.get_subject_display())
            event.add("url", url)
            event.add("categories", [_("Public consultation")])
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)

    for milestone in milestones:
        commitment = milestone.commitment
        event = Event()
        event.add("uid", f"milestone-{milestone.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", milestone.end_date)
        event.add("dtend", milestone.end_date + datetime.timedelta(days=1))
        event.add(
            "summary",
            _("Deadline, %(identifier)s: %(title)s")
            % {"identifier": commitment.identifier, "title": localised(milestone, "title").text},
        )
        event.add(
            "description",
            _("Milestone of %(identifier)s, %(commitment)s. Status: %(status)s.")
            % {
                "identifier": commitment.identifier,
                "commitment": localised(commitment, "title").text,
                "status": milestone.get_status_display(),
            },
        )
        event.add("url", request.build_absolute_uri(commitment.get_absolute_url()))
        event.add("categories", [_("Milestone deadline")])
        event.add("transp", "TRANSPARENT")
        if milestone.status == milestone.Status.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)

    calendar.add_missing_timezones()
    return calendar.to_ical()
