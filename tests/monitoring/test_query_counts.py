"""The public monitoring pages run a constant number of queries as reports grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from monitoring.models import Report
from tests.factories import CommitmentFactory, MilestoneFactory
from tests.monitoring.conftest import pdf_upload

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15


def publish_report(*, period, kind, monitor, editor):
    report = services.report_start(period=period, kind=kind, by=monitor)
    for assessment in report.assessments.all():
        assessment.completion = "limited"
        assessment.narrative = "Observed."
        assessment.save()
        services.evidence_add(
            report=report, assessment=assessment, title="Minutes", uploaded=pdf_upload(), by=monitor
        )
    services.evidence_add(
        report=report, assessment=None, title="Overall", url="https://example.org", by=monitor
    )
    report = services.report_submit(report=report, by=monitor)
    return services.report_publish(report=report, by=editor)


def pages(plan, report, commitment):
    return [
        reverse("monitoring:public_plan_reports", args=[plan.slug]),
        reverse("monitoring:public_report", args=[report.pk]),
        reverse("monitoring:public_commitment_reports", args=[commitment.identifier]),
        reverse("monitoring:public_plan_reports_json", args=[plan.slug]),
        reverse("monitoring:public_plan_reports_csv", args=[plan.slug]),
    ]


def fetch(client, path):
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)  # the queries of a streamed export
    assert response.status_code == 200, path


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, path)
    return len(queries)


def test_public_report_pages_keep_their_query_count(
    client, body, monitor, editor, media_root, django_assert_max_num_queries
):
    plan = body.plan
    periods = services.reporting_periods_generate(plan=plan)
    first = publish_report(
        period=periods[0], kind=Report.Kind.PROGRESS, monitor=monitor, editor=editor
    )
    commitment = first.assessments.first().commitment
    pages_before = {path: count_queries(client, path) for path in pages(plan, first, commitment)}

    for _ in range(15):
        MilestoneFactory.create_batch(3, commitment=CommitmentFactory(plan=plan))
    for period in periods[1:]:
        for kind in (Report.Kind.PROGRESS, Report.Kind.LEARNING):
            publish_report(period=period, kind=kind, monitor=monitor, editor=editor)

    pages_after = {path: count_queries(client, path) for path in pages(plan, first, commitment)}
    assert pages_after == pages_before
    for path in pages_before:
        with django_assert_max_num_queries(MAX_QUERIES):
            fetch(client, path)
