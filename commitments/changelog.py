"""The public change log of a commitment, drawn from its history.

It says what changed and when; never who (staff names stay internal), and
nothing from the time the commitment was not yet public.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from ogp_portal.text import LocalisedText, current_language, localised

from .models import Commitment, Milestone

# Fields whose changes the public sees; a translated field counts once,
# whichever language column changed.
COMMITMENT_FIELDS = [
    "title", "short_title", "problem", "objective", "description", "status_quo",
    "start_date", "end_date", "lead_institution", "novelty",
    "irm_verifiable", "irm_relevant", "irm_potential_for_results", "irm_potential_impact",
    "irm_completion", "irm_early_results", "irm_starred", "irm_promising",
    "irm_summary", "irm_next_steps",
]  # fmt: skip
MILESTONE_FIELDS = [
    "title", "start_date", "end_date", "status", "completion_date",
    "responsible_institution", "evidence", "weight",
]  # fmt: skip
# Fields whose old and new values are worth showing (short, not free text).
VALUE_SHOWN = {"start_date", "end_date", "status", "completion_date", "novelty", "weight"} | {
    name for name in COMMITMENT_FIELDS if name.startswith("irm_") and name not in (
        "irm_summary", "irm_next_steps")
}  # fmt: skip


@dataclass
class Change:
    when: datetime
    subject: str
    kind: str  # "added", "changed", "removed"
    details: list[str] = field(default_factory=list)


def _columns(model, name):
    """The database columns that hold a field: one per language if translated."""
    codes = [code for code, _label in settings.LANGUAGES]
    translated = [f"{name}_{code}" for code in codes]
    if all(_has_field(model, column) for column in translated):
        return translated
    target = model._meta.get_field(name)
    return [target.attname]


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends
        return False
    return True


def display_value(model, name, value):
    """A field's value as the public reads it: choice labels, yes/no, ISO dates."""
    model_field = model._meta.get_field(name)
    if value in (None, ""):
        return _("none")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def field_changes(model, fields, before, after) -> list[str]:
    """One line per field that differs between two history records
    ("Status: Not started → In progress"; free text only "… updated")."""
    details = []
    for name in fields:
        columns = _columns(model, name)
        if all(getattr(before, c) == getattr(after, c) for c in columns):
            continue
        label = str(model._meta.get_field(name).verbose_name)
        label = label[:1].upper() + label[1:]
        if name in VALUE_SHOWN:
            old = display_value(model, name, getattr(before, columns[0]))
            new = display_value(model, name, getattr(after, columns[0]))
            details.append(
                _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": old, "new": new}
            )
        else:
            details.append(_("%(field)s updated") % {"field": label})
    return details


def _title(record):
    return localised(record, "title").text


def _changes(model, fields, records, subject_for) -> list[Change]:
    changes = []
    previous = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        subject = subject_for(record)
        if record.history_type == "+":
            changes.append(Change(record.history_date, subject, "added"))
        elif record.history_type == "-":
            changes.append(Change(record.history_date, subject, "removed"))
        elif before is not None:
            details = field_changes(model, fields, before, record)
            if details:
                changes.append(Change(record.history_date, subject, "changed", details))
    return changes


def commitment_change_log(commitment: Commitment, *, limit: int = 30) -> list[Change]:
    """Newest first. Two queries, whatever the length of the history."""
    commitment_records = commitment.history.order_by("history_date", "history_id")
    milestone_records = Milestone.history.filter(commitment_id=commitment.pk).order_by(
        "history_date", "history_id"
    )
    # Changes made while the commitment was unpublished were never public.
    public_records = [record for record in commitment_records if record.is_published]
    first_public = public_records[0].history_date if public_records else None
    changes = _changes(Commitment, COMMITMENT_FIELDS, public_records, lambda r: _("Commitment"))
    if first_public is not None:
        changes += [
            change
            for change in _changes(
                Milestone, MILESTONE_FIELDS, milestone_records,
                lambda r: _("Milestone “%(title)s”") % {"title": _title(r)},
            )
            if change.when >= first_public
        ]  # fmt: skip
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def latest_changes(*, limit: int = 8) -> list[dict]:
    """The latest additions and changes to public commitments and milestones."""
    published = Commitment.objects.published()
    commitment_events = (
        Commitment.history.filter(id__in=published.values("pk"), is_published=True)
        .values("history_date", "history_type", "identifier", "title", *_title_columns())
        .order_by("-history_date")[:limit]
    )
    milestone_events = (
        Milestone.history.filter(commitment_id__in=published.values("pk"))
        .values("history_date", "history_type", "commitment__identifier", *_title_columns())
        .order_by("-history_date")[:limit]
    )
    events = [
        {
            "when": row["history_date"],
            "identifier": row["identifier"],
            "kind": row["history_type"],
            "subject": "commitment",
            "title": _first_title(row),
        }
        for row in commitment_events
    ] + [
        {
            "when": row["history_date"],
            "identifier": row["commitment__identifier"],
            "kind": row["history_type"],
            "subject": "milestone",
            "title": _first_title(row),
        }
        for row in milestone_events
    ]
    events.sort(key=lambda event: event["when"], reverse=True)
    return _without_echoes(events)[:limit]


# Saving a new record and then its links (policy areas, institutions) writes
# two history rows; readers need one "added", not an "updated" seconds later.
ECHO_WINDOW = timedelta(minutes=1)


def _without_echoes(events: list[dict]) -> list[dict]:
    added_at = {
        (event["subject"], event["identifier"], event["title"].text): event["when"]
        for event in events
        if event["kind"] == "+"
    }
    return [
        event
        for event in events
        if not (
            event["kind"] == "~"
            and (
                added := added_at.get((event["subject"], event["identifier"], event["title"].text))
            )
            and event["when"] - added < ECHO_WINDOW
        )
    ]


def _title_columns():
    return [f"title_{code}" for code, _label in settings.LANGUAGES]


def _first_title(row) -> LocalisedText:
    for code in [current_language(), *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]:
        if row.get(f"title_{code}"):
            return LocalisedText(row[f"title_{code}"], code)
    return LocalisedText("", current_language())
