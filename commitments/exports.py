"""Open data: the commitments of the public plans, their milestones and their
indicators, as CSV, XLSX and JSON.

One place for what a file holds: the column specs (header, type, meaning, and
how a value is read from a record), the row sources, and the writers. The
import resources (resources.py) are built from the same specs, so a file
downloaded here imports back unchanged.

- Columns: OGP's published column names first, in OGP's order, so OGP staff
  can merge a file without remapping; then the portal's own columns. Headers
  are never translated; text *values* are in the export's language, with the
  same fallback as the pages (ogp_portal.text.localised).
- Visibility: only published commitments of plans that are not drafts
  (`Commitment.objects.published()`), and no personal data: no staff, no
  accounts, no e-mail addresses or phone numbers are read at all.
- Memory stays flat whatever the number of rows: records are read with
  `iterator(chunk_size=CHUNK_SIZE)`; a row's institution is joined, its
  supporting institutions and policy areas are prefetched once per chunk,
  and the plans are read once per export (no row carries a copy of its
  plan), so the queries per chunk are constant. CSV and JSON are produced
  chunk by chunk for a StreamingHttpResponse; XLSX is written by openpyxl in
  write-only mode into a temporary file, served with a FileResponse.
"""

import csv
import datetime
import io
import itertools
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from monitoring import selectors as monitoring_selectors
from ogp_portal.text import localised
from plans.models import ActionPlan, Institution, Jurisdiction

from . import progress
from .models import Commitment, Indicator, Milestone, PolicyArea

# Records read per database round trip, and rows per streamed piece.
CHUNK_SIZE = 500
# Joins the names in a list column ("Supporting Institution(s)", "Policy Areas").
LIST_SEPARATOR = "; "

# Value types, as the data dictionary names them.
TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
BOOLEAN = "boolean"
CHOICE = "choice"
LIST = "list"
URL = "url"

KIND_LABELS = {
    TEXT: _("Text"),
    INTEGER: _("Whole number"),
    DECIMAL: _("Number"),
    DATE: _("Date, YYYY-MM-DD"),
    BOOLEAN: _("Yes or No"),
    CHOICE: _("One of a list of values"),
    LIST: _("Names separated by semicolons"),
    URL: _("Web address"),
}


@dataclass(frozen=True)
class PublicPlan:
    """What the commitments file says of a plan, read once per export rather
    than joined to every row (a plan's narrative would be copied per row)."""

    slug: str
    jurisdiction: Jurisdiction
    number: int
    submission_year: int | None
    end_year: int


@dataclass(frozen=True)
class ExportContext:
    """What every row of one export shares."""

    language: str
    # Scheme and host of the portal, for the links to its pages.
    site_url: str = ""
    # The public plans by id.
    plans: dict[int, PublicPlan] = field(default_factory=dict)
    today: datetime.date = field(default_factory=lambda: progress.today())
    # {(model, field name): {stored value: label}}, filled as rows need them.
    labels: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, *, language: str, site_url: str = "") -> "ExportContext":
        return cls(language=language, site_url=site_url, plans=public_plans())

    def label(self, obj, name: str) -> str | None:
        """The label of a choice field's value, translated once per export
        rather than once per row."""
        value = getattr(obj, name)
        if not value:
            return None
        key = (type(obj), name)
        if key not in self.labels:
            choices = obj._meta.get_field(name).flatchoices
            self.labels[key] = {code: str(label) for code, label in choices}
        return self.labels[key].get(value, value)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    description: Promise
    # The value in a record, as a Python value (str, int, Decimal, date, bool
    # or None); the writers format it for each file type.
    value: Callable[[Any, ExportContext], Any]
    # The model field an import writes this column to; "" for a computed
    # column, which an import ignores.
    source: str = ""
    # One of OGP's published columns.
    ogp: bool = False
    # (value, label) pairs of a computed choice column; an imported one has
    # its model field's choices.
    choices: list | None = None

    @property
    def is_imported(self) -> bool:
        return bool(self.source)


# ---------------------------------------------------------------- values


def _text(name: str):
    """A translated field, in the export's language or its fallback."""
    return lambda obj, context: localised(obj, name).text


def _attribute(name: str):
    return lambda obj, context: getattr(obj, name)


def _label(name: str):
    """The label of a choice, in the export's language; None when unset."""
    return lambda obj, context: context.label(obj, name)


def _name(related: str):
    """The localised name of a related institution; None when unset."""

    def value(obj, context):
        target = getattr(obj, related)
        return localised(target, "name").text if target is not None else None

    return value


def _names(related: str):
    """The localised names of prefetched related records, sorted, in one cell."""

    def value(obj, context):
        names = sorted(localised(item, "name").text for item in getattr(obj, related).all())
        return LIST_SEPARATOR.join(names)

    return value


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _commitment_page(obj: Commitment, context: ExportContext) -> str:
    return context.site_url + obj.get_absolute_url()


def _at_risk(obj: Commitment, context: ExportContext) -> bool:
    return progress.is_at_risk(obj.progress, obj.on_track_until, on=context.today)


def _overdue(obj: Milestone, context: ExportContext) -> bool:
    return progress.is_milestone_overdue(obj.status, obj.end_date, on=context.today)


def _latest_monitor_rating(obj: Commitment, context: ExportContext) -> str | None:
    value = getattr(obj, "latest_monitor_rating", None)
    return str(dict(Commitment.Completion.choices).get(value, value)) if value else None


COMPUTED = _("Computed by the portal; ignored on import.")

# ------------------------------------------------------------ the columns

IDENTIFIER = "Commitment Unique Identifier"
PLAN = "Action Plan"
MILESTONE_ORDER = "Milestone Order"
INDICATOR_ORDER = "Indicator Order"

COMMITMENT_COLUMNS = [
    # OGP's published columns, in OGP's order.
    Column(
        IDENTIFIER,
        TEXT,
        _(
            "OGP identifier of the commitment: the country or locality code and a "
            "number, e.g. GE0067. Unique; an import updates the commitment with "
            "this identifier, or creates it."
        ),
        _attribute("identifier"),
        source="identifier",
        ogp=True,
    ),
    Column(
        "Country/Locality",
        TEXT,
        _("The country or city whose action plan holds the commitment. From the plan."),
        lambda obj, context: localised(context.plans[obj.plan_id].jurisdiction, "name").text,
        ogp=True,
    ),
    Column(
        "National Or Local",
        CHOICE,
        _("Whether the plan is a national or a local one. From the plan."),
        lambda obj, context: context.plans[obj.plan_id].jurisdiction.get_kind_display(),
        ogp=True,
        choices=Jurisdiction.Kind.choices,
    ),
    Column(
        "Action Plan Number",
        INTEGER,
        _(
            "Rank of the plan among the published plans of its country or city, "
            "oldest first (1 for its first plan). From the plan."
        ),
        lambda obj, context: context.plans[obj.plan_id].number,
        ogp=True,
    ),
    Column(
        "Commitment Number",
        INTEGER,
        _("Number of the commitment in its plan."),
        _attribute("number"),
        source="number",
        ogp=True,
    ),
    Column(
        "Year Of Submission",
        INTEGER,
        _("Year the plan was submitted to OGP; empty if not recorded. From the plan."),
        lambda obj, context: context.plans[obj.plan_id].submission_year,
        ogp=True,
    ),
    Column(
        "Action Plan End Year",
        INTEGER,
        _("Year the plan's period ends. From the plan."),
        lambda obj, context: context.plans[obj.plan_id].end_year,
        ogp=True,
    ),
    Column(
        "Commitment Title",
        TEXT,
        _("Title of the commitment."),
        _text("title"),
        source="title",
        ogp=True,
    ),
    Column(
        "Short Title",
        TEXT,
        _("Short title of the commitment."),
        _text("short_title"),
        source="short_title",
        ogp=True,
    ),
    Column(
        "Full Text",
        TEXT,
        _(
            "Description of the commitment (Markdown). Its problem, main objective "
            "and status quo have their own columns."
        ),
        _text("description"),
        source="description",
        ogp=True,
    ),
    Column(
        "Start Date",
        DATE,
        _("Start date of the commitment."),
        _attribute("start_date"),
        source="start_date",
        ogp=True,
    ),
    Column(
        "End Date",
        DATE,
        _("End date of the commitment."),
        _attribute("end_date"),
        source="end_date",
        ogp=True,
    ),
    Column(
        "Lead Institution",
        TEXT,
        _(
            "Name of the institution responsible for the commitment. On import, the "
            "institution of that name, created if there is none."
        ),
        _name("lead_institution"),
        source="lead_institution",
        ogp=True,
    ),
    Column(
        "Supporting Institution(s)",
        LIST,
        _(
            "Names of the other institutions and organisations involved. On import, "
            "each is created if there is none of that name."
        ),
        _names("supporting_institutions"),
        source="supporting_institutions",
        ogp=True,
    ),
    Column(
        "OGP Value Access To Information",
        BOOLEAN,
        _("Relevant to the OGP value of access to information."),
        _attribute("value_access_to_information"),
        source="value_access_to_information",
        ogp=True,
    ),
    Column(
        "OGP Value Civic Participation",
        BOOLEAN,
        _("Relevant to the OGP value of civic participation."),
        _attribute("value_civic_participation"),
        source="value_civic_participation",
        ogp=True,
    ),
    Column(
        "OGP Value Public Accountability",
        BOOLEAN,
        _("Relevant to the OGP value of public accountability."),
        _attribute("value_public_accountability"),
        source="value_public_accountability",
        ogp=True,
    ),
    Column(
        "OGP Value Technology",
        BOOLEAN,
        _("Relevant to the OGP value of technology and innovation."),
        _attribute("value_technology"),
        source="value_technology",
        ogp=True,
    ),
    Column(
        "Specificity",
        CHOICE,
        _(
            "IRM assessment: whether the commitment is verifiable. The IRM rates "
            "verifiability where it used to rate specificity."
        ),
        _label("irm_verifiable"),
        source="irm_verifiable",
        ogp=True,
    ),
    Column(
        "Potential Impact",
        CHOICE,
        _("IRM assessment of the potential impact (plans before 2020)."),
        _label("irm_potential_impact"),
        source="irm_potential_impact",
        ogp=True,
    ),
    Column(
        "Completion (Progress Report)",
        CHOICE,
        _("IRM assessment of completion."),
        _label("irm_completion"),
        source="irm_completion",
        ogp=True,
    ),
    Column(
        "Did It Open Government (Overall)",
        CHOICE,
        _("IRM assessment of the early results: did it open government?"),
        _label("irm_early_results"),
        source="irm_early_results",
        ogp=True,
    ),
    Column(
        "URL",
        URL,
        _("The commitment's page on the OGP website, if any."),
        _attribute("ogp_url"),
        source="ogp_url",
        ogp=True,
    ),
    # The portal's own columns.
    Column(
        PLAN,
        TEXT,
        _(
            "Short name of the action plan in the portal's addresses (its slug), "
            "e.g. kutaisi-2022-2025. On import, names the plan of the commitment."
        ),
        lambda obj, context: context.plans[obj.plan_id].slug,
        source="plan",
    ),
    Column(
        "Portal URL",
        URL,
        _("The commitment's page on this portal. Computed; ignored on import."),
        _commitment_page,
    ),
    Column(
        "Published",
        BOOLEAN,
        _(
            "Always Yes in these files, which hold published commitments only. On "
            "import, No keeps a commitment off the public pages; a new commitment "
            "imported without this column is not published."
        ),
        _attribute("is_published"),
        source="is_published",
    ),
    Column(
        "New Or Ongoing",
        CHOICE,
        _("Whether the commitment is new or continues an earlier one."),
        _label("novelty"),
        source="novelty",
    ),
    Column(
        "Policy Areas",
        LIST,
        _(
            "OGP policy areas of the commitment. On import, each must name an "
            "existing policy area, by its name or its slug."
        ),
        _names("policy_areas"),
        source="policy_areas",
    ),
    Column(
        "Problem Addressed",
        TEXT,
        _("The problem the commitment addresses (Markdown)."),
        _text("problem"),
        source="problem",
    ),
    Column(
        "Main Objective",
        TEXT,
        _("The main objective of the commitment (Markdown)."),
        _text("objective"),
        source="objective",
    ),
    Column(
        "Status Quo",
        TEXT,
        _("The situation before the commitment (Markdown)."),
        _text("status_quo"),
        source="status_quo",
    ),
    Column(
        "IRM Relevant To OGP Values",
        CHOICE,
        _("IRM assessment: relevant to OGP values (open-government lens)."),
        _label("irm_relevant"),
        source="irm_relevant",
    ),
    Column(
        "IRM Potential For Results",
        CHOICE,
        _("IRM assessment of the potential for results (plans from 2020 on)."),
        _label("irm_potential_for_results"),
        source="irm_potential_for_results",
    ),
    Column(
        "IRM Starred",
        BOOLEAN,
        _("IRM: starred commitment (older plans); empty if not rated."),
        _attribute("irm_starred"),
        source="irm_starred",
    ),
    Column(
        "IRM Promising",
        BOOLEAN,
        _("IRM: promising commitment (plans from 2020 on); empty if not rated."),
        _attribute("irm_promising"),
        source="irm_promising",
    ),
    Column(
        "IRM Report",
        TEXT,
        _("The IRM report the assessment comes from."),
        _text("irm_report"),
        source="irm_report",
    ),
    Column(
        "IRM Analysis",
        TEXT,
        _("The IRM's analysis of the commitment (Markdown)."),
        _text("irm_summary"),
        source="irm_summary",
    ),
    Column(
        "IRM Next Steps",
        TEXT,
        _("The IRM's recommended next steps (Markdown)."),
        _text("irm_next_steps"),
        source="irm_next_steps",
    ),
    Column(
        "Milestones",
        INTEGER,
        _("Number of milestones, cancelled ones left out. Computed; ignored on import."),
        _attribute("milestones_total"),
    ),
    Column(
        "Milestones Completed",
        INTEGER,
        _("Number of completed milestones. Computed; ignored on import."),
        _attribute("milestones_completed"),
    ),
    Column(
        "Progress (%)",
        INTEGER,
        _(
            "Weighted share of the milestones that are completed, from 0 to 100; "
            "empty without milestones. Computed; ignored on import."
        ),
        lambda obj, context: _percent(obj.progress),
    ),
    Column(
        "At Risk",
        BOOLEAN,
        _(
            "Yes when progress is behind the share of the commitment's time already "
            "elapsed, on the day of the download. Computed; ignored on import."
        ),
        _at_risk,
    ),
    Column(
        "Latest Monitor Rating",
        TEXT,
        _(
            "The completion rating (in the IRM's vocabulary) that the plan's independent "
            "monitoring body gave in its most recent published report; empty when no "
            "published report rates the commitment. Ignored on import."
        ),
        _latest_monitor_rating,
    ),
]

MILESTONE_COLUMNS = [
    Column(
        IDENTIFIER,
        TEXT,
        _("Identifier of the milestone's commitment, e.g. GE0067."),
        lambda obj, context: obj.commitment_identifier,
        source="commitment",
        ogp=True,
    ),
    Column(
        MILESTONE_ORDER,
        INTEGER,
        _(
            "Position of the milestone in its commitment. With the commitment's "
            "identifier, identifies the milestone: an import updates the milestone "
            "with this identifier and order, or creates it."
        ),
        _attribute("order"),
        source="order",
    ),
    Column("Milestone Title", TEXT, _("Title of the milestone."), _text("title"), source="title"),
    Column(
        "New Or Ongoing",
        CHOICE,
        _("Whether the milestone is new or continues earlier work."),
        _label("novelty"),
        source="novelty",
    ),
    Column(
        "Start Date",
        DATE,
        _("Start date of the milestone."),
        _attribute("start_date"),
        source="start_date",
    ),
    Column(
        "End Date",
        DATE,
        _("End date (deadline) of the milestone."),
        _attribute("end_date"),
        source="end_date",
    ),
    Column("Status", CHOICE, _("Status of the milestone."), _label("status"), source="status"),
    Column(
        "Completion Date",
        DATE,
        _("Date the milestone was completed; empty unless it is completed."),
        _attribute("completion_date"),
        source="completion_date",
    ),
    Column(
        "Responsible Institution",
        TEXT,
        _(
            "Name of the institution responsible for the milestone. On import, "
            "the institution of that name, created if there is none."
        ),
        _name("responsible_institution"),
        source="responsible_institution",
    ),
    Column(
        "Evidence",
        TEXT,
        _("What shows the milestone is done: links, documents (Markdown)."),
        _text("evidence"),
        source="evidence",
    ),
    Column(
        "Weight",
        INTEGER,
        _("How much the milestone counts in its commitment's progress (1 to 100)."),
        _attribute("weight"),
        source="weight",
    ),
    Column(
        "Overdue",
        BOOLEAN,
        _(
            "Yes when the end date has passed and the milestone is neither completed "
            "nor cancelled, on the day of the download. Computed; ignored on import."
        ),
        _overdue,
    ),
]

INDICATOR_COLUMNS = [
    Column(
        IDENTIFIER,
        TEXT,
        _("Identifier of the indicator's commitment, e.g. GE0067."),
        lambda obj, context: obj.commitment_identifier,
        source="commitment",
        ogp=True,
    ),
    Column(
        INDICATOR_ORDER,
        INTEGER,
        _(
            "Position of the indicator in its commitment. With the commitment's "
            "identifier, identifies the indicator: an import updates the indicator "
            "with this identifier and order, or creates it."
        ),
        _attribute("order"),
        source="order",
    ),
    Column(
        "What Is Measured",
        TEXT,
        _("What the indicator measures."),
        _text("description"),
        source="description",
    ),
    Column(
        "Baseline",
        DECIMAL,
        _("Value before the commitment."),
        _attribute("baseline"),
        source="baseline",
    ),
    Column("Target", DECIMAL, _("Value aimed at."), _attribute("target"), source="target"),
    Column(
        "Current Value",
        DECIMAL,
        _("Latest measured value."),
        _attribute("current_value"),
        source="current_value",
    ),
    Column(
        "Unit", TEXT, _("Unit of the values, e.g. %, hours, people."), _text("unit"), source="unit"
    ),
    Column(
        "Achievement (%)",
        INTEGER,
        _(
            "Share of the way from the baseline to the target, from 0 to 100; "
            "empty when a value is missing. Computed; ignored on import."
        ),
        lambda obj, context: _percent(obj.achievement),
    ),
]


# ------------------------------------------------------------ row sources


def public_plans() -> dict[int, PublicPlan]:
    """{plan id: PublicPlan} of every public plan (one query), each numbered
    by its rank among its jurisdiction's public plans, oldest first."""
    plans: dict[int, PublicPlan] = {}
    counts: dict[int, int] = {}
    rows = (
        ActionPlan.objects.published()
        .select_related("jurisdiction")
        .only("slug", "submission_date", "period_end", "jurisdiction")
        .order_by("jurisdiction", "period_start", "pk")
    )
    for plan in rows:
        counts[plan.jurisdiction_id] = counts.get(plan.jurisdiction_id, 0) + 1
        plans[plan.pk] = PublicPlan(
            slug=plan.slug,
            jurisdiction=plan.jurisdiction,
            number=counts[plan.jurisdiction_id],
            submission_year=plan.submission_date.year if plan.submission_date else None,
            end_year=plan.period_end.year,
        )
    return plans


# Plans newest first, then commitments by number: the order of the pages.
COMMITMENT_ORDER = ["-plan__period_start", "plan__title", "plan__slug", "number"]


def _through_commitment(ordering: list[str]) -> list[str]:
    return [
        f"-commitment__{name[1:]}" if name.startswith("-") else f"commitment__{name}"
        for name in ordering
    ]


def _public_commitments(plan: ActionPlan | None) -> QuerySet[Commitment]:
    commitments = Commitment.objects.published()
    return commitments if plan is None else commitments.filter(plan=plan)


def commitment_rows(plan: ActionPlan | None = None) -> QuerySet[Commitment]:
    """Published commitments (of one plan or all) with what their columns read."""
    by_name = Institution.objects.order_by()
    latest_rating = (
        monitoring_selectors.public_ratings_latest_first()
        .filter(commitment=OuterRef("pk"))
        .values("completion")[:1]
    )
    return (
        _public_commitments(plan)
        .annotate(latest_monitor_rating=Subquery(latest_rating))
        .select_related("lead_institution")
        .prefetch_related(
            Prefetch("supporting_institutions", queryset=by_name),
            Prefetch("policy_areas", queryset=PolicyArea.objects.order_by()),
        )
        .order_by(*COMMITMENT_ORDER)
    )


def milestone_rows(plan: ActionPlan | None = None) -> QuerySet[Milestone]:
    """Milestones of the published commitments, in commitment order."""
    return (
        Milestone.objects.filter(commitment__in=_public_commitments(plan))
        .select_related("responsible_institution")
        .annotate(commitment_identifier=F("commitment__identifier"))
        .order_by(*_through_commitment(COMMITMENT_ORDER), "order", "pk")
    )


def indicator_rows(plan: ActionPlan | None = None) -> QuerySet[Indicator]:
    """Indicators of the published commitments, in commitment order."""
    return (
        Indicator.objects.filter(commitment__in=_public_commitments(plan))
        .annotate(commitment_identifier=F("commitment__identifier"))
        .order_by(*_through_commitment(COMMITMENT_ORDER), "order", "pk")
    )


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    model: type[Model]
    columns: list[Column]
    rows: Callable[[ActionPlan | None], QuerySet]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def choices(self, column: Column) -> list:
        """The labels a choice column may hold."""
        if column.choices:
            return [label for _value, label in column.choices]
        if column.kind == CHOICE and column.source:
            return [label for _value, label in self.model._meta.get_field(column.source).choices]
        return []

    def dictionary(self) -> list[dict]:
        """The data dictionary: each column with its type, meaning and values."""
        return [
            {
                "column": column,
                "kind": KIND_LABELS[column.kind],
                "values": self.choices(column),
            }
            for column in self.columns
        ]


DATASETS = {
    dataset.slug: dataset
    for dataset in [
        Dataset(
            "commitments",
            _("Commitments"),
            _("One row per commitment: OGP's columns, then the portal's own."),
            Commitment,
            COMMITMENT_COLUMNS,
            commitment_rows,
        ),
        Dataset(
            "milestones",
            _("Milestones"),
            _("One row per milestone, with its commitment's identifier."),
            Milestone,
            MILESTONE_COLUMNS,
            milestone_rows,
        ),
        Dataset(
            "indicators",
            _("Indicators"),
            _("One row per indicator, with its commitment's identifier."),
            Indicator,
            INDICATOR_COLUMNS,
            indicator_rows,
        ),
    ]
}


def values(dataset: Dataset, records: Iterable, context: ExportContext) -> Iterator[list]:
    """Each record as the list of its column values (Python values)."""
    columns = dataset.columns
    for record in records:
        yield [column.value(record, context) for column in columns]


# ---------------------------------------------------------------- writers


def yes_no() -> dict[bool, str]:
    """Yes and No in the active language."""
    return {True: gettext("Yes"), False: gettext("No")}


def text_value(value, words: dict[bool, str] | None = None) -> str:
    """A value as CSV text: ISO dates, Yes/No in the export's language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return (words or yes_no())[value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def json_value(value):
    if value == "":
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


# Characters XML 1.0 (hence XLSX) cannot hold; openpyxl refuses them.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Export:
    """One dataset, for one plan or all, in the export's language.

    The writers translate and read the database lazily, one chunk of rows at
    a time, each chunk under the export's language: a streamed response is
    consumed after the view has returned, maybe in another thread.
    """

    def __init__(self, dataset: Dataset, *, plan: ActionPlan | None, context: ExportContext):
        self.dataset = dataset
        self.plan = plan
        self.context = context

    def _yes_no(self) -> dict[bool, str]:
        with translation.override(self.context.language):
            return yes_no()

    def _chunks(self, format_row: Callable[[list], list]) -> Iterator[list[list]]:
        """Lists of up to CHUNK_SIZE formatted rows. Reading, building and
        formatting happen under the export's language, one chunk at a time."""
        records = self.dataset.rows(self.plan).iterator(chunk_size=CHUNK_SIZE)
        rows = values(self.dataset, records, self.context)
        while True:
            with translation.override(self.context.language):
                chunk = [format_row(row) for row in itertools.islice(rows, CHUNK_SIZE)]
            if not chunk:
                return
            yield chunk

    def csv_chunks(self) -> Iterator[str]:
        """UTF-8 CSV text, starting with a byte order mark so that spreadsheets
        read Arabic and Georgian right."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.dataset.headers)
        yield "\ufeff" + buffer.getvalue()
        words = self._yes_no()
        for chunk in self._chunks(lambda row: [text_value(value, words) for value in row]):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(chunk)
            yield buffer.getvalue()

    def json_chunks(self) -> Iterator[str]:
        """A JSON array of objects keyed by the column headers."""
        headers = self.dataset.headers

        def record(row):
            return json.dumps(
                dict(zip(headers, map(json_value, row), strict=True)), ensure_ascii=False
            )

        separator = "[\n"
        for chunk in self._chunks(record):
            yield separator + ",\n".join(chunk)
            separator = ",\n"
        yield "[]\n" if separator == "[\n" else "\n]\n"

    def xlsx_file(self):
        """An XLSX workbook in a temporary file (deleted when closed), at its start."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        words = self._yes_no()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=self.dataset.slug)
        sheet.append(self.dataset.headers)

        def cell(value):
            if value is None:
                # An empty cell rather than none: readers of write-only sheets
                # (which carry no dimensions) would drop trailing empty cells
                # and give short rows.
                return ""
            if isinstance(value, bool):
                return words[value]
            if isinstance(value, str):
                value = ILLEGAL_XML.sub("", value)
                if value.startswith("="):
                    # Text that looks like a formula stays text.
                    text = WriteOnlyCell(sheet, value=value)
                    text.data_type = "s"
                    return text
            return value

        for chunk in self._chunks(lambda row: [cell(value) for value in row]):
            for row in chunk:
                sheet.append(row)
        output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
        workbook.save(output)
        output.seek(0)
        return output


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
