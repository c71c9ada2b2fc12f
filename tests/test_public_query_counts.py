"""Every public page runs a constant number of SQL queries as data grows."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment
from plans.models import ActionPlan, Institution
from plans.sample_data import sample_commitments_create
from tests.factories import IndicatorFactory, MilestoneFactory

MAX_QUERIES = 15
PAGES = [
    "/en/",
    "/ar/",
    "/en/plans/georgia-2018-2019/",
    "/en/plans/kutaisi-2022-2025/",
    "/en/commitments/",
    "/en/commitments/?plan=georgia-2018-2019&value=technology&sort=-progress",
    "/en/commitments/?q=plateforme",
    "/en/commitments/?at_risk=true&page=2",
    "/en/commitments/GE0067/",
    "/fr/commitments/GE0067/",
    "/en/about/figures/",
    "/sitemap.xml",
    "/en/feeds/changes.rss",
    "/en/plans/georgia-2018-2019/changes.atom",
    "/en/plans/georgia-2018-2019/calendar.ics",
    "/en/commitments/GE0067/changes.rss",
    "/en/embed/plans/georgia-2018-2019/",
    "/en/embed/commitments/GE0067/",
]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.django_db
def test_public_pages_keep_their_query_count_when_data_grows(client, django_assert_max_num_queries):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = {path: count_queries(client, path) for path in PAGES}

    plan = ActionPlan.objects.get(slug="georgia-2018-2019")
    sample_commitments_create(plan=plan, count=200, milestones_per_commitment=6)
    ge0067 = Commitment.objects.get(identifier="GE0067")
    MilestoneFactory.create_batch(
        10, commitment=ge0067, start_date=ge0067.start_date, end_date=ge0067.end_date
    )
    IndicatorFactory.create_batch(5, commitment=ge0067)
    ge0067.supporting_institutions.add(*Institution.objects.all()[:5])

    after = {path: count_queries(client, path) for path in PAGES}
    assert after == before
    for path in PAGES:
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(path)
