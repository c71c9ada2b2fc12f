"""Load the demo data: the five OGP seed documents, and one demo account per role.

Input: the JSON files of plans/demo_data/, extracted from the seed pages of the
OGP website (Kutaisi, Regueb, Gjakova, Cartagena de Indias, and the GE0067 page
of Georgia with its list of 93 national commitments). Each file's "notes" say
how the page was read; the loader adds no content of its own.

Languages: the seeds are French, so every text goes into the French column of
its translated field (`title_fr`, `foreword_fr`...). A JSON key ending in `_en`
(`name_en`, `country_en`) fills the English column as well; the files use it
only for short proper names. Policy areas carry OGP's own English names.

Identifiers: the Kutaisi and Regueb pages list their commitments without an
OGP code, and the portal requires one (`^[A-Z]{2,4}[0-9]{4}$`, unique). The
JSON assigns them in the same style: three letters of the place and the
commitment's number in the plan, KUT0001-KUT0003 and REG0001. They are the
portal's, not OGP's; Georgian commitments keep their OGP codes (GE0001-GE0093).

Idempotence: every row is found by a natural key (jurisdiction, plan, policy
area and institution by slug or name; commitment by identifier; an endorsement
or a monitoring-body member by the person's name, a meeting or a consultation
by its title;
milestones, indicators and participation figures by their position in the
seed), compared field by field, and saved only when a value differs.
Many-to-many links are replaced only when the set differs. A second run
therefore writes nothing: no new row, no new history record, no version bump.
Everything happens in one transaction. A value edited by hand in a demo row is
set back to the seed's on the next run; rows the seeds do not mention are left
alone, so nothing staff added is ever deleted.

Demo accounts: demo-editor and demo-moderator (staff, in the Editors and
Moderators groups), demo-monitor (in Monitors, not staff, a login of Kutaisi's
monitoring body) and demo-citizen (a citizen account whose email is confirmed,
to try comments, proposals, votes and follows). Passwords are random, returned once on
creation, and kept on later runs unless new ones are asked for.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from commitments.models import Commitment, Indicator, Milestone, PolicyArea
from consultations.models import CitizenProfile, Consultation, Meeting, MeetingParticipation
from monitoring import services as monitoring_services
from monitoring.models import MonitoringBody, MonitoringBodyMember
from plans.models import (
    NARRATIVE_FIELDS,
    ActionPlan,
    Endorsement,
    Institution,
    Jurisdiction,
    ParticipationFigure,
)

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
SOURCES = ["kutaisi", "regueb", "gjakova", "cartagena", "georgia"]
MONITORED_PLAN = "kutaisi-2022-2025"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    group: str | None
    is_staff: bool


DEMO_ACCOUNTS = [
    DemoAccount("demo-editor", "editor", "Editors", is_staff=True),
    DemoAccount("demo-moderator", "moderator", "Moderators", is_staff=True),
    DemoAccount("demo-monitor", "monitor (Kutaisi's monitoring body)", "Monitors", is_staff=False),
    DemoAccount("demo-citizen", "citizen", None, is_staff=False),
]


class DemoDataError(Exception):
    """The database is not ready for the demo data (e.g. migrations not applied)."""


@dataclass(frozen=True)
class DemoLogin:
    account: DemoAccount
    created: bool
    password: str | None  # None: unchanged, and unknown to the loader


@dataclass(frozen=True)
class PlanSummary:
    slug: str
    title: str
    commitments: int
    milestones: int
    indicators: int
    endorsements: int
    participants: int | None
    monitoring_body: str | None
    meetings: int


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    relinked: int  # rows whose many-to-many links were set or changed
    plans: list[PlanSummary]
    logins: list[DemoLogin]


def demo_load(*, reset_passwords: bool = False) -> LoadResult:
    """Create or update the demo plans and accounts; safe to run again."""
    sources = [_read(name) for name in SOURCES]
    loader = _Loader()
    with transaction.atomic():
        loader.load_policy_areas(_read("policy_areas"))
        for data in sources:
            loader.load_source(data)
        logins = _load_accounts(reset_passwords=reset_passwords)
    slugs = [plan["slug"] for data in sources for plan in data["plans"]]
    return LoadResult(
        created=loader.changes["created"],
        updated=loader.changes["updated"],
        relinked=loader.changes["relinked"],
        plans=[_summarise(ActionPlan.objects.get(slug=slug)) for slug in slugs],
        logins=logins,
    )


def _read(name: str) -> dict | list:
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def _translated(data: dict, key: str, field: str | None = None) -> dict:
    """The seed's (French) text for `field`, plus English when the JSON gives `<key>_en`."""
    field = field or key
    values = {f"{field}_fr": data[key]}
    if f"{key}_en" in data:
        values[f"{field}_en"] = data[f"{key}_en"]
    return values


class _Loader:
    def __init__(self):
        self.changes = Counter()
        self.policy_areas = {}

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Find the row by its natural key; create it, or save it only if a value differs."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            action = "created"
        else:
            changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
            if not changed:
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            action = "updated"
        obj.full_clean()
        obj.save()
        self.changes[action] += 1
        return obj

    def set_related(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        """Replace a many-to-many set only when it differs (each change is a history record)."""
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {target.pk for target in targets}:
            manager.set(targets)
            self.changes["relinked"] += 1

    def load_policy_areas(self, areas: list[dict]) -> None:
        for area in areas:
            self.policy_areas[area["slug"]] = self.upsert(
                PolicyArea,
                {"slug": area["slug"]},
                {"name_en": area["name_en"], "name_fr": area["name_fr"]},
            )

    def load_source(self, data: dict) -> None:
        jurisdiction_data = data["jurisdiction"]
        jurisdiction = self.upsert(
            Jurisdiction,
            {"slug": jurisdiction_data["slug"]},
            {
                **_translated(jurisdiction_data, "name"),
                **_translated(jurisdiction_data, "country"),
                "kind": jurisdiction_data["kind"],
                "ogp_member_since": jurisdiction_data["ogp_member_since"],
                "website": jurisdiction_data["website"],
            },
        )
        for plan_data in data["plans"]:
            self.load_plan(jurisdiction, plan_data)

    def institution(self, jurisdiction: Jurisdiction, data: dict | None) -> Institution | None:
        if data is None:
            return None
        return self.upsert(
            Institution,
            {"jurisdiction": jurisdiction, "name_fr": data["name"]},
            {"kind": data["kind"]},
        )

    def load_plan(self, jurisdiction: Jurisdiction, data: dict) -> None:
        narrative = data["narrative"]
        plan = self.upsert(
            ActionPlan,
            {"slug": data["slug"]},
            {
                "jurisdiction": jurisdiction,
                **_translated(data, "title"),
                "period_start": _date(data["period_start"]),
                "period_end": _date(data["period_end"]),
                "submission_date": _date(data["submission_date"]),
                "status": data["status"],
                "ogp_url": data["ogp_url"],
                **{f"{name}_fr": narrative[name] for name in NARRATIVE_FIELDS},
                "groups_count": data["groups_count"],
                "public_meetings_count": data["public_meetings_count"],
            },
        )
        leads = [self.institution(jurisdiction, lead) for lead in data["lead_institutions"]]
        self.set_related(plan, "lead_institutions", leads)

        for order, endorsement in enumerate(data["endorsements"], start=1):
            self.upsert(
                Endorsement,
                {"plan": plan, "name": endorsement["name"]},
                {
                    **_translated(endorsement, "role"),
                    **_translated(endorsement, "organisation"),
                    "order": order,
                },
            )
        for order, figure in enumerate(data["participation"], start=1):
            self.upsert(
                ParticipationFigure,
                {"plan": plan, "order": order},
                {
                    "sector": figure["sector"],
                    **_translated(figure, "label"),
                    "count": figure["count"],
                },
            )
        if data["monitoring_body"] is not None:
            self.load_monitoring_body(plan, data["monitoring_body"])
            # The body reports quarterly; no report is invented for the demo.
            monitoring_services.reporting_periods_generate(plan=plan)
        for meeting in data["meetings"]:
            self.load_meeting(plan, meeting)
        for consultation in data["consultations"]:
            self.load_consultation(plan, consultation)
        for commitment in data["commitments"]:
            self.load_commitment(plan, jurisdiction, commitment)

    def load_monitoring_body(self, plan: ActionPlan, data: dict) -> None:
        body = self.upsert(
            MonitoringBody,
            {"plan": plan},
            {
                **_translated(data, "name"),
                **_translated(data, "description"),
                "contact_email": data["contact_email"],
                "contact_phone": data["contact_phone"],
                **_translated(data, "contact_address"),
                "website": data["website"],
            },
        )
        for order, member in enumerate(data["members"], start=1):
            self.upsert(
                MonitoringBodyMember,
                {"body": body, "name": member["name"]},
                {
                    **_translated(member, "organisation"),
                    **_translated(member, "role"),
                    "sector": member["sector"],
                    "email": member["email"],
                    "email_is_public": member["email_is_public"],
                    "order": order,
                },
            )

    def load_meeting(self, plan: ActionPlan, data: dict) -> None:
        meeting = self.upsert(
            Meeting,
            {"plan": plan, "title_fr": data["title"]},
            {
                "date": _date(data["date"]),
                "format": data["format"],
                "is_online": data["is_online"],
                **_translated(data, "venue"),
                "online_link": data["online_link"],
                "groups_count": data["groups_count"],
                **_translated(data, "minutes"),
            },
        )
        for figure in data["participation"]:
            self.upsert(
                MeetingParticipation,
                {"meeting": meeting, "sector": figure["sector"]},
                {"count": figure["count"]},
            )

    def load_consultation(self, plan: ActionPlan, data: dict) -> None:
        self.upsert(
            Consultation,
            {"plan": plan, "title_fr": data["title"]},
            {
                "subject": data["subject"],
                **_translated(data, "description"),
                "opens_at": datetime.datetime.fromisoformat(data["opens_at"]),
                "closes_at": datetime.datetime.fromisoformat(data["closes_at"]),
                "max_choices": data["max_choices"],
                "accepts_proposals": data["accepts_proposals"],
                "is_published": True,
            },
        )

    def load_commitment(self, plan: ActionPlan, jurisdiction: Jurisdiction, data: dict) -> None:
        irm = data["irm"]
        values = data["values"]
        commitment = self.upsert(
            Commitment,
            {"identifier": data["identifier"]},
            {
                "plan": plan,
                "number": data["number"],
                **_translated(data, "title"),
                **_translated(data, "short_title"),
                "lead_institution": self.institution(jurisdiction, data["lead_institution"]),
                **_translated(data, "problem"),
                **_translated(data, "objective"),
                **_translated(data, "description"),
                **_translated(data, "status_quo"),
                "value_access_to_information": values["access_to_information"],
                "value_civic_participation": values["civic_participation"],
                "value_public_accountability": values["public_accountability"],
                "value_technology": values["technology"],
                "novelty": data["novelty"],
                "start_date": _date(data["start_date"]),
                "end_date": _date(data["end_date"]),
                "is_published": data["is_published"],
                "ogp_url": data["ogp_url"],
                **_translated(irm, "report_title", "irm_report"),
                "irm_verifiable": _yes_no(irm["verifiable"]),
                "irm_relevant": _yes_no(irm["relevant"]),
                "irm_potential_for_results": irm["potential_for_results"],
                "irm_potential_impact": irm["potential_impact"],
                "irm_completion": irm["completion"],
                "irm_early_results": irm["did_it_open_government"],
                "irm_starred": irm["starred"],
                "irm_promising": irm["promising"],
                **_translated(irm, "summary", "irm_summary"),
                **_translated(irm, "next_steps", "irm_next_steps"),
            },
        )
        supporting = [self.institution(jurisdiction, i) for i in data["supporting_institutions"]]
        self.set_related(commitment, "supporting_institutions", supporting)
        areas = [self.policy_areas[slug] for slug in data["policy_areas"]]
        self.set_related(commitment, "policy_areas", areas)

        # Saving a milestone refreshes the commitment's derived progress fields.
        for milestone in data["milestones"]:
            self.upsert(
                Milestone,
                {"commitment": commitment, "order": milestone["order"]},
                {
                    **_translated(milestone, "title"),
                    "novelty": milestone["novelty"],
                    "start_date": _date(milestone["start_date"]),
                    "end_date": _date(milestone["end_date"]),
                    "status": milestone["status"],
                    "completion_date": _date(milestone["completion_date"]),
                    "responsible_institution": self.institution(
                        jurisdiction, milestone["responsible_institution"]
                    ),
                    **_translated(milestone, "evidence"),
                },
            )
        for indicator in data["indicators"]:
            self.upsert(
                Indicator,
                {"commitment": commitment, "order": indicator["order"]},
                {
                    **_translated(indicator, "description"),
                    "baseline": _decimal(indicator["baseline"]),
                    "target": _decimal(indicator["target"]),
                    "current_value": _decimal(indicator["current"]),
                    **_translated(indicator, "unit"),
                },
            )


def _load_accounts(*, reset_passwords: bool) -> list[DemoLogin]:
    User = get_user_model()
    body = MonitoringBody.objects.get(plan__slug=MONITORED_PLAN)
    logins = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        created = user is None
        password = secrets.token_urlsafe(16) if created or reset_passwords else None
        if created:
            user = User.objects.create_user(
                account.username, password=password, is_staff=account.is_staff
            )
        else:
            changed = False
            if password is not None:
                user.set_password(password)
                changed = True
            wanted = {"is_staff": account.is_staff, "is_superuser": False, "is_active": True}
            for name, value in wanted.items():
                if getattr(user, name) != value:
                    setattr(user, name, value)
                    changed = True
            if changed:
                user.save()
        if account.group is not None:
            try:
                group = Group.objects.get(name=account.group)
            except Group.DoesNotExist:
                raise DemoDataError(
                    f"The group {account.group!r} is missing: run `manage.py migrate` "
                    "(plans/migrations/0002_staff_groups.py creates it)."
                ) from None
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
        if account.group == "Monitors" and not body.accounts.filter(pk=user.pk).exists():
            body.accounts.add(user)
        if account.group is None:
            # A citizen who already confirmed their email (double opt-in).
            if not user.email:
                user.email = f"{account.username}@example.org"
                user.save(update_fields=["email"])
            CitizenProfile.objects.get_or_create(
                user=user,
                defaults={"display_name": "Demo citizen", "email_confirmed_at": timezone.now()},
            )
        logins.append(DemoLogin(account, created, password))
    return logins


def _summarise(plan: ActionPlan) -> PlanSummary:
    body = MonitoringBody.objects.filter(plan=plan).first()
    return PlanSummary(
        slug=plan.slug,
        title=plan.title_fr,
        commitments=plan.commitments.count(),
        milestones=Milestone.objects.filter(commitment__plan=plan).count(),
        indicators=Indicator.objects.filter(commitment__plan=plan).count(),
        endorsements=plan.endorsements.count(),
        participants=plan.participation_figures.aggregate(total=Sum("count"))["total"],
        monitoring_body=body.name_fr if body else None,
        meetings=plan.meetings.count(),
    )
