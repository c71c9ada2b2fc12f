"""Factories for every model of the portal, shared by the whole test suite.

Defaults describe a plausible, *public* record: plans and commitments are
published unless a test says otherwise (`ActionPlanFactory(draft=True)`,
`CommitmentFactory(is_published=False)`). Every record is valid under
`full_clean()`, so a test changes only what it is about.

Translated fields (titles, names...) are written through the plain field name,
which modeltranslation stores in the active language's column: English unless
the test activated another language. Pass `title_fr=...` for another column.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Max
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from commitments.models import Commitment, Indicator, Milestone, PolicyArea
from consultations.models import (
    Ballot,
    BallotChoice,
    CitizenProfile,
    Comment,
    CommentFlag,
    Consultation,
    ConsultationSection,
    Feedback,
    Follow,
    Meeting,
    MeetingDocument,
    MeetingParticipation,
    Notification,
    Proposal,
    VoteOption,
)
from monitoring.models import (
    MonitoringBody,
    MonitoringBodyMember,
    MonitorInvitation,
    Report,
    ReportingPeriod,
)
from plans.models import (
    ActionPlan,
    Endorsement,
    Institution,
    Jurisdiction,
    ParticipationFigure,
    Sector,
)

PASSWORD = "correct-horse-battery-staple"

# The staff groups created by plans/migrations/0002_staff_groups.py.
EDITORS = "Editors"
MODERATORS = "Moderators"
MONITORS = "Monitors"


class UserFactory(DjangoModelFactory):
    """A user; `UserFactory(groups=["Editors"], is_staff=True)` for staff."""

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password(PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        # The groups come from a migration: look them up, never create them,
        # so a renamed group fails loudly instead of giving an empty one.
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))
            if self.groups.count() != len(set(names)):
                raise ValueError(f"Unknown group among {names}")


class JurisdictionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Municipality {n}")
    slug = factory.Sequence(lambda n: f"municipality-{n}")
    country = "Georgia"
    kind = Jurisdiction.Kind.LOCAL
    ogp_member_since = 2018

    class Meta:
        model = Jurisdiction


class InstitutionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Department {n}")
    kind = Institution.Kind.GOVERNMENT
    jurisdiction = factory.SubFactory(JurisdictionFactory)

    class Meta:
        model = Institution


class ActionPlanFactory(DjangoModelFactory):
    """A published plan running 2022-2025; `draft=True` for an unpublished one."""

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    title = factory.Sequence(lambda n: f"Action plan {n} 2022-2025")
    slug = factory.Sequence(lambda n: f"action-plan-{n}")
    period_start = datetime.date(2022, 1, 1)
    period_end = datetime.date(2025, 12, 31)
    submission_date = datetime.date(2021, 12, 15)
    status = ActionPlan.Status.PUBLISHED

    class Meta:
        model = ActionPlan
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=ActionPlan.Status.DRAFT)

    @factory.post_generation
    def lead_institutions(self, create, institutions, **kwargs):
        if create and institutions:
            self.lead_institutions.set(institutions)


class EndorsementFactory(DjangoModelFactory):
    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Endorser {n}")
    role = "Director"
    organisation = factory.Sequence(lambda n: f"Civil society organisation {n}")
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = Endorsement


class ParticipationFigureFactory(DjangoModelFactory):
    plan = factory.SubFactory(ActionPlanFactory)
    sector = Sector.CIVIL_SOCIETY
    label = "CSO representatives"
    count = 11
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = ParticipationFigure


class PolicyAreaFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Policy area {n}")
    slug = factory.Sequence(lambda n: f"policy-area-{n}")

    class Meta:
        model = PolicyArea


def _next_number(commitment) -> int:
    """The next free commitment number in the plan (1 in a plan not yet saved)."""
    if commitment.plan.pk is None:
        return 1
    highest = commitment.plan.commitments.aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


class CommitmentFactory(DjangoModelFactory):
    """A published commitment running 2023-2024, identifier TS0001, TS0002..."""

    plan = factory.SubFactory(ActionPlanFactory)
    identifier = factory.Sequence(lambda n: f"TS{n + 1:04d}")
    number = factory.LazyAttribute(_next_number)
    title = factory.Sequence(lambda n: f"Commitment {n + 1}: open the budget")
    short_title = "Open budget"
    lead_institution = factory.SubFactory(
        InstitutionFactory, jurisdiction=factory.SelfAttribute("..plan.jurisdiction")
    )
    objective = "Publish the budget in open data."
    value_access_to_information = True
    start_date = datetime.date(2023, 1, 1)
    end_date = datetime.date(2024, 12, 31)
    is_published = True

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    @factory.post_generation
    def policy_areas(self, create, areas, **kwargs):
        if create and areas:
            self.policy_areas.set(areas)

    @factory.post_generation
    def supporting_institutions(self, create, institutions, **kwargs):
        if create and institutions:
            self.supporting_institutions.set(institutions)


class MilestoneFactory(DjangoModelFactory):
    """A milestone spanning its commitment's dates; `completed=True` to finish it."""

    commitment = factory.SubFactory(CommitmentFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    start_date = factory.SelfAttribute("commitment.start_date")
    end_date = factory.SelfAttribute("commitment.end_date")
    status = Milestone.Status.NOT_STARTED
    weight = 1

    class Meta:
        model = Milestone

    class Params:
        completed = factory.Trait(
            status=Milestone.Status.COMPLETED,
            completion_date=factory.LazyAttribute(
                lambda m: m.end_date or datetime.date(2024, 1, 1)
            ),
        )


class IndicatorFactory(DjangoModelFactory):
    commitment = factory.SubFactory(CommitmentFactory)
    order = factory.Sequence(lambda n: n)
    description = "Applications answered within 24 hours"
    baseline = 0
    target = 100
    current_value = 40
    unit = "%"

    class Meta:
        model = Indicator


class MonitoringBodyFactory(DjangoModelFactory):
    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Local Democracy Agency {n}")
    description = "Independent monitoring of the action plan."
    contact_email = "monitoring@example.org"

    class Meta:
        model = MonitoringBody
        skip_postgeneration_save = True

    @factory.post_generation
    def accounts(self, create, users, **kwargs):
        if create and users:
            self.accounts.set(users)


class MonitoringBodyMemberFactory(DjangoModelFactory):
    body = factory.SubFactory(MonitoringBodyFactory)
    name = factory.Sequence(lambda n: f"Monitor {n}")
    organisation = "Civil society organisation"
    role = "Member"
    sector = Sector.CIVIL_SOCIETY
    email = factory.Sequence(lambda n: f"monitor{n}@example.org")
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = MonitoringBodyMember


class MeetingFactory(DjangoModelFactory):
    plan = factory.SubFactory(ActionPlanFactory)
    date = datetime.date(2021, 10, 5)
    title = factory.Sequence(lambda n: f"Co-creation workshop {n}")
    format = Meeting.Format.WORKSHOP
    venue = "City hall"

    class Meta:
        model = Meeting


class MeetingParticipationFactory(DjangoModelFactory):
    meeting = factory.SubFactory(MeetingFactory)
    sector = Sector.CITIZENS
    count = 76

    class Meta:
        model = MeetingParticipation


class MeetingDocumentFactory(DjangoModelFactory):
    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Minutes {n}")
    url = "https://example.org/minutes.pdf"

    class Meta:
        model = MeetingDocument


class CitizenFactory(UserFactory):
    """A citizen whose email is confirmed, with a public display name."""

    profile = factory.RelatedFactory(
        "tests.factories.CitizenProfileFactory", factory_related_name="user"
    )


class CitizenProfileFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Resident {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = CitizenProfile


class ConsultationFactory(DjangoModelFactory):
    """A published consultation, open from a week ago for three more weeks."""

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Consultation on the draft plan {n}")
    description = "Tell us what you think of the draft."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    is_published = True

    class Meta:
        model = Consultation


class ConsultationSectionFactory(DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "The city will publish its budget every quarter."

    class Meta:
        model = ConsultationSection


class ProposalFactory(DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory(CitizenFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    body = "Open the council's meetings to the public."

    class Meta:
        model = Proposal


class VoteOptionFactory(DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory, subject=Consultation.Subject.INITIATIVES)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Initiative {n}")

    class Meta:
        model = VoteOption


class BallotFactory(DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory, subject=Consultation.Subject.INITIATIVES)
    voter = factory.SubFactory(CitizenFactory)

    class Meta:
        model = Ballot


class BallotChoiceFactory(DjangoModelFactory):
    ballot = factory.SubFactory(BallotFactory)
    option = factory.SubFactory(
        VoteOptionFactory, consultation=factory.SelfAttribute("..ballot.consultation")
    )

    class Meta:
        model = BallotChoice


class CommentFactory(DjangoModelFactory):
    """A published comment on a plan; pass commitment= or consultation= for those."""

    plan = factory.SubFactory(ActionPlanFactory)
    author = factory.SubFactory(CitizenFactory)
    body = factory.Sequence(lambda n: f"Comment {n}: please publish the budget data.")

    class Meta:
        model = Comment


class CommentFlagFactory(DjangoModelFactory):
    comment = factory.SubFactory(CommentFactory)
    reason = CommentFlag.Reason.SPAM

    class Meta:
        model = CommentFlag


class FeedbackFactory(DjangoModelFactory):
    name = "Nino"
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    body = "When will the budget portal open?"
    submitted_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda f: f.submitted_at + datetime.timedelta(hours=24))

    class Meta:
        model = Feedback


class FollowFactory(DjangoModelFactory):
    """A citizen following a commitment; pass plan= (and commitment=None) for a plan."""

    user = factory.SubFactory(CitizenFactory)
    commitment = factory.SubFactory(CommitmentFactory)

    class Meta:
        model = Follow


class NotificationFactory(DjangoModelFactory):
    user = factory.SubFactory(CitizenFactory)
    change_key = factory.Sequence(lambda n: f"test:{n}")
    subject = "A commitment you follow changed"
    body = "Milestone 1 is now completed."

    class Meta:
        model = Notification


# One factory per model of the portal's apps, for tests that go over them all
# (the admin pages). A model without an entry here fails those tests.
class ReportingPeriodFactory(DjangoModelFactory):
    plan = factory.SubFactory(ActionPlanFactory)
    start = datetime.date(2024, 1, 1)
    end = datetime.date(2024, 3, 31)
    due_date = datetime.date(2024, 4, 30)

    class Meta:
        model = ReportingPeriod


class ReportFactory(DjangoModelFactory):
    """A submitted report (staff never see drafts)."""

    period = factory.SubFactory(ReportingPeriodFactory)
    body = factory.SubFactory(MonitoringBodyFactory, plan=factory.SelfAttribute("..period.plan"))
    kind = Report.Kind.PROGRESS
    status = Report.Status.SUBMITTED
    overall_findings = "Most commitments are on track."

    class Meta:
        model = Report


class MonitorInvitationFactory(DjangoModelFactory):
    body = factory.SubFactory(MonitoringBodyFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")

    class Meta:
        model = MonitorInvitation


FACTORY_FOR_MODEL = {
    factory_class._meta.model: factory_class
    for factory_class in [
        JurisdictionFactory,
        InstitutionFactory,
        ActionPlanFactory,
        EndorsementFactory,
        ParticipationFigureFactory,
        PolicyAreaFactory,
        CommitmentFactory,
        MilestoneFactory,
        IndicatorFactory,
        MonitoringBodyFactory,
        MonitoringBodyMemberFactory,
        MeetingFactory,
        MeetingParticipationFactory,
        ReportingPeriodFactory,
        ReportFactory,
        MonitorInvitationFactory,
        MeetingDocumentFactory,
        CitizenProfileFactory,
        ConsultationFactory,
        ConsultationSectionFactory,
        ProposalFactory,
        VoteOptionFactory,
        BallotFactory,
        BallotChoiceFactory,
        CommentFactory,
        CommentFlagFactory,
        FeedbackFactory,
        FollowFactory,
        NotificationFactory,
    ]
}
