"""A plan with a monitoring body, its monitor, and reports in each state."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import services
from monitoring.models import Report
from tests.factories import (
    MONITORS,
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    MonitoringBodyFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="evidence.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def monitored_plan(db):
    plan = ActionPlanFactory(
        period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31)
    )
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment, completed=True)
    MilestoneFactory(commitment=commitment)
    return plan


@pytest.fixture
def body(monitored_plan, monitor):
    return MonitoringBodyFactory(plan=monitored_plan, accounts=[monitor])


@pytest.fixture
def other_monitor(db):
    """A monitor of another plan's body."""
    user = UserFactory(username="other-monitor", groups=[MONITORS])
    MonitoringBodyFactory(accounts=[user])
    return user


@pytest.fixture
def period(body):
    return services.reporting_periods_generate(plan=body.plan)[0]


def make_report(*, period, monitor, editor, status, with_evidence=True):
    report = services.report_start(period=period, kind=Report.Kind.PROGRESS, by=monitor)
    if with_evidence:
        services.evidence_add(
            report=report,
            assessment=report.assessments.first(),
            title="Council minutes",
            uploaded=pdf_upload(),
            by=monitor,
        )
    if status == Report.Status.DRAFT:
        return report
    report = services.report_submit(report=report, by=monitor)
    if status == Report.Status.SUBMITTED:
        return report
    return services.report_publish(report=report, by=editor)


@pytest.fixture
def report_in(period, monitor, editor, media_root):
    """A function: the period's progress report, brought to the given status."""

    def make(status, **kwargs):
        return make_report(period=period, monitor=monitor, editor=editor, status=status, **kwargs)

    return make
