"""RSS and Atom feeds of public changes, drawn from the history as the
commitment page's change log is (commitments/changelog.py).

A feed says what changed and when; never who (no staff name, no user), and
nothing from the time an item was not public: a plan's records while it was
a draft, a commitment's while it was unpublished or its plan a draft, a
milestone's before its commitment became public. Published monitoring reports
and consultations that have opened join them (`public_publications`): they
are announced once, when they became public, with a short summary.

The site and plan feeds are in plans/feeds.py; this module has the shared
machinery and the commitment feed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from monitoring import selectors as report_selectors
from ogp_portal.text import localised
from plans.models import NARRATIVE_FIELDS, ActionPlan

from . import selectors
from .changelog import COMMITMENT_FIELDS, MILESTONE_FIELDS, field_changes
from .models import Commitment, Milestone

PLAN_FIELDS = [
    "title",
    "period_start",
    "period_end",
    "submission_date",
    "status",
    "groups_count",
    "public_meetings_count",
    *NARRATIVE_FIELDS,
]

FEED_LENGTH = 30
# History rows read per source before diffing: enough for FEED_LENGTH entries
# once saves that changed nothing public (version bumps, links) are dropped.
ROWS_PER_SOURCE = FEED_LENGTH * 3


@dataclass
class PublicChange:
    when: datetime
    source: str  # "plan", "commitment", "milestone", "report" or "consultation"
    kind: str  # "added", "published", "changed", "removed" or "opened"
    title: str
    identifier: str  # the commitment's, or the plan's slug for a plan change
    history_id: int  # or the report's or consultation's id
    details: list[str] = field(default_factory=list)
    link: str = ""  # where a report or consultation entry leads
    summary: str = ""  # a report's or consultation's short description


def _first_public(model, ids, public: Q) -> dict:
    """{id: when the object first appeared in a public state}."""
    rows = (
        model.history.filter(public, id__in=ids)
        .values("id")
        .annotate(first=Min("history_date"))
        .order_by()
    )
    return {row["id"]: row["first"] for row in rows}


def _recent_records(history, *, limit=ROWS_PER_SOURCE):
    """The history of the objects changed most recently, oldest record first,
    and the date before which that history may be incomplete (or None)."""
    recent = list(
        history.order_by("-history_date", "-history_id").values_list("id", "history_date")[:limit]
    )
    ids = {object_id for object_id, _when in recent}
    cutoff = recent[-1][1] if len(recent) == limit else None
    return history.filter(id__in=ids).order_by("history_date", "history_id"), cutoff


def _events(model, fields, records, *, public_since, first_public_is_publication):
    """(record, kind, details) for each public change, oldest first."""
    previous = {}
    for record in records:
        # Records from before the object was public are not shown, but the
        # last of them is the state the public first saw: diff against it.
        before = previous.get(record.id)
        previous[record.id] = record
        since = public_since(record)
        if since is None or record.history_date < since:
            continue
        if record.history_type == "+":
            yield record, "added", []
        elif record.history_type == "-":
            yield record, "removed", []
        elif before is None:
            # The record that made public an object that existed before.
            if first_public_is_publication:
                yield record, "published", []
        elif details := field_changes(model, fields, before, record):
            yield record, "changed", details


def _report_entries(reports) -> tuple[list[PublicChange], datetime | None]:
    """Published monitoring reports as entries, and the cutoff as in _recent_records."""
    recent = list(
        reports.filter(published_at__isnull=False)
        .select_related("period", "body")
        .prefetch_related(None)
        .order_by("-published_at", "-pk")[:FEED_LENGTH]
    )
    entries = [
        PublicChange(
            when=report.published_at,
            source="report",
            kind="published",
            title=str(report),
            identifier="",
            history_id=report.pk,
            link=report.get_absolute_url(),
            summary=_("%(kind)s by %(body)s on %(period)s.")
            % {
                "kind": report.get_kind_display(),
                "body": localised(report.body, "name").text,
                "period": report.period,
            },
        )
        for report in recent
    ]
    cutoff = recent[-1].published_at if len(recent) == FEED_LENGTH else None
    return entries, cutoff


def _consultation_entries(consultations) -> tuple[list[PublicChange], datetime | None]:
    """Consultations that have opened, as entries, and the cutoff as in _recent_records."""
    recent = list(consultations[:FEED_LENGTH])
    entries = [
        PublicChange(
            when=consultation.opens_at,
            source="consultation",
            kind="opened",
            title=localised(consultation, "title").text,
            identifier="",
            history_id=consultation.pk,
            link=consultation.get_absolute_url(),
            summary=_("%(subject)s. Open until %(closes)s.")
            % {
                "subject": consultation.get_subject_display(),
                "closes": date_format(
                    timezone.localtime(consultation.closes_at), "DATETIME_FORMAT"
                ),
            },
        )
        for consultation in recent
    ]
    cutoff = recent[-1].opens_at if len(recent) == FEED_LENGTH else None
    return entries, cutoff


def public_changes(
    *,
    plans: QuerySet[ActionPlan],
    commitments: QuerySet[Commitment],
    reports: QuerySet | None = None,
    consultations: QuerySet | None = None,
    limit: int = FEED_LENGTH,
) -> list[PublicChange]:
    """The latest public changes to these plans (their own fields), these
    commitments and their milestones, with these published monitoring
    reports and opened consultations (public ones only: the callers pass
    the selectors' querysets), newest first. A constant number of queries
    whatever the length of the history."""
    plan_records, plan_cutoff = _recent_records(
        ActionPlan.history.filter(id__in=plans.values("pk")).exclude(status=ActionPlan.Status.DRAFT)
    )
    commitment_records, commitment_cutoff = _recent_records(
        Commitment.history.filter(id__in=commitments.values("pk"), is_published=True)
    )
    milestone_records, milestone_cutoff = _recent_records(
        Milestone.history.filter(commitment_id__in=commitments.values("pk"))
    )
    plan_records, commitment_records, milestone_records = (
        list(plan_records),
        list(commitment_records),
        list(milestone_records),
    )

    # Links and "public since" dates follow the objects as they are now.
    commitment_ids = {r.id for r in commitment_records} | {
        r.commitment_id for r in milestone_records
    }
    current_commitments = {
        row["pk"]: row
        for row in commitments.filter(pk__in=commitment_ids).values("pk", "identifier", "plan_id")
    }
    current_plans = dict(
        plans.filter(pk__in={r.id for r in plan_records}).values_list("pk", "slug")
    )
    plan_ids = set(current_plans) | {row["plan_id"] for row in current_commitments.values()}
    plan_public_since = _first_public(ActionPlan, plan_ids, ~Q(status=ActionPlan.Status.DRAFT))
    commitment_public_since = _first_public(Commitment, current_commitments, Q(is_published=True))

    def commitment_since(commitment_id):
        row = current_commitments.get(commitment_id)
        if row is None:  # no longer public
            return None
        dates = [commitment_public_since.get(commitment_id), plan_public_since.get(row["plan_id"])]
        return None if None in dates else max(dates)

    def plan_since(plan_id):
        return plan_public_since.get(plan_id) if plan_id in current_plans else None

    sources = [
        # source, model, fields, records, public since, identifier, first public = published
        ("plan", ActionPlan, PLAN_FIELDS, plan_records,
         lambda r: plan_since(r.id), lambda r: current_plans[r.id], True),
        ("commitment", Commitment, COMMITMENT_FIELDS, commitment_records,
         lambda r: commitment_since(r.id), lambda r: current_commitments[r.id]["identifier"], True),
        ("milestone", Milestone, MILESTONE_FIELDS, milestone_records,
         lambda r: commitment_since(r.commitment_id),
         lambda r: current_commitments[r.commitment_id]["identifier"], False),
    ]  # fmt: skip
    changes = []
    for source, model, fields, records, since, identifier, publication in sources:
        for record, kind, details in _events(
            model, fields, records, public_since=since, first_public_is_publication=publication
        ):
            changes.append(
                PublicChange(
                    when=record.history_date,
                    source=source,
                    kind=kind,
                    title=localised(record, "title").text,
                    identifier=identifier(record),
                    history_id=record.history_id,
                    details=details,
                )
            )

    cutoffs = [plan_cutoff, commitment_cutoff, milestone_cutoff]
    if reports is not None:
        entries, cutoff = _report_entries(reports)
        changes += entries
        cutoffs.append(cutoff)
    if consultations is not None:
        entries, cutoff = _consultation_entries(consultations)
        changes += entries
        cutoffs.append(cutoff)

    # Past the oldest row read from a busy source, that source's history is
    # incomplete: stop there rather than show a feed with gaps.
    cutoffs = [c for c in cutoffs if c is not None]
    if cutoffs:
        changes = [change for change in changes if change.when >= max(cutoffs)]
    changes.sort(key=lambda change: (change.when, change.history_id), reverse=True)
    return changes[:limit]


def change_headline(change: PublicChange) -> str:
    """One line naming what changed, in the visitor's language."""
    values = {"title": change.title, "identifier": change.identifier}
    headlines = {
        ("plan", "added"): _("Action plan added: %(title)s"),
        ("plan", "published"): _("Action plan published: %(title)s"),
        ("plan", "changed"): _("Action plan updated: %(title)s"),
        ("plan", "removed"): _("Action plan removed: %(title)s"),
        ("commitment", "added"): _("%(identifier)s added: %(title)s"),
        ("commitment", "published"): _("%(identifier)s published: %(title)s"),
        ("commitment", "changed"): _("%(identifier)s updated: %(title)s"),
        ("commitment", "removed"): _("%(identifier)s removed: %(title)s"),
        ("milestone", "added"): _("%(identifier)s, milestone added: %(title)s"),
        ("milestone", "changed"): _("%(identifier)s, milestone updated: %(title)s"),
        ("milestone", "removed"): _("%(identifier)s, milestone removed: %(title)s"),
        ("report", "published"): _("Monitoring report published: %(title)s"),
        ("consultation", "opened"): _("Consultation opened: %(title)s"),
    }
    return headlines[change.source, change.kind] % values


class ChangeFeed(Feed):
    """Entries are PublicChange; subclasses say whose changes and where they lead."""

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def author_name(self):
        """The portal, never a person."""
        return settings.PORTAL_NAME

    def item_title(self, change):
        return change_headline(change)

    def item_description(self, change):
        if change.summary:
            return change.summary
        if change.kind == "changed":
            return "; ".join(change.details)
        return {
            "added": pgettext("feed entry", "Added."),
            "published": pgettext("feed entry", "Published."),
            "removed": pgettext("feed entry", "Removed."),
        }[change.kind]

    def item_link(self, change):
        if change.link:
            return change.link
        if change.source == "plan":
            return reverse("plans:plan_detail", kwargs={"slug": change.identifier})
        return reverse("commitments:commitment_detail", kwargs={"identifier": change.identifier})

    def item_guid(self, change):
        return self.request.build_absolute_uri(
            f"{self.item_link(change)}#change-{change.source}-{change.history_id}"
        )

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when

    def item_updateddate(self, change):
        return change.when


class CommitmentChangesFeed(ChangeFeed):
    def get_object(self, request, identifier):
        return selectors.commitment_get_public(identifier=identifier)

    def title(self, commitment):
        return _("Changes to %(identifier)s: %(title)s") % {
            "identifier": commitment.identifier,
            "title": localised(commitment, "title").text,
        }

    def link(self, commitment):
        return commitment.get_absolute_url()

    def description(self, commitment):
        return _(
            "What changed in this commitment and its milestones since it was published, "
            "and the published monitoring reports that assess it."
        )

    def items(self, commitment):
        return public_changes(
            plans=ActionPlan.objects.none(),
            commitments=Commitment.objects.published().filter(pk=commitment.pk),
            reports=report_selectors.reports_public().filter(assessments__commitment=commitment),
        )


class CommitmentChangesAtomFeed(CommitmentChangesFeed):
    feed_type = Atom1Feed
    subtitle = CommitmentChangesFeed.description
