"""The downloads page and the answers to bad download addresses."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from commitments import exports
from tests.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def page(client, path="/en/open-data/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_downloads_page_links_every_file_of_every_public_plan_and_no_draft(client):
    ActionPlanFactory(slug="kutaisi-2022-2025", title="Kutaisi 2022-2025")
    ActionPlanFactory(slug="draft-plan", draft=True)

    html = page(client)

    for dataset in ("commitments", "milestones", "indicators"):
        for fmt in ("csv", "xlsx", "json"):
            assert f'href="/en/open-data/{dataset}.{fmt}"' in html
            assert f'href="/en/open-data/plans/kutaisi-2022-2025/{dataset}.{fmt}"' in html
    assert "Kutaisi 2022-2025" in html
    assert "draft-plan" not in html


def test_downloads_page_has_a_data_dictionary_with_every_column(client):
    html = page(client)

    for dataset in exports.DATASETS.values():
        for header in dataset.headers:
            assert f'<th scope="row"><code>{header}</code></th>' in html.replace("&#x27;", "'")
    assert html.count('<th scope="col">Column</th>') == 3
    assert "in its most recent published report" in html  # Latest Monitor Rating
    assert "Values: Verifiable, Not verifiable" in html


def test_downloads_page_shows_the_licence_the_city_chose(client):
    html = page(client)
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    assert "CC BY 4.0" in html

    with override_settings(
        OPEN_DATA_LICENCE_NAME="Open Data Commons ODbL",
        OPEN_DATA_LICENCE_URL="https://opendatacommons.org/licenses/odbl/",
    ):
        html = page(client)
    assert 'href="https://opendatacommons.org/licenses/odbl/" rel="license"' in html
    assert "Open Data Commons ODbL" in html


def test_downloads_page_links_to_the_files_in_its_own_language(client):
    html = page(client, "/fr/open-data/")

    assert 'href="/fr/open-data/commitments.csv"' in html
    assert '<html lang="fr"' in html


def test_downloads_page_runs_the_same_queries_however_many_plans(client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            page(client)
        return len(queries)

    ActionPlanFactory()
    before = count()
    for _ in range(5):
        CommitmentFactory(plan=ActionPlanFactory())

    assert count() == before


def test_footer_links_to_the_downloads_page(client):
    html = page(client, "/en/")

    footer = re.search(r'<ul class="footer-links">(.*?)</ul>', html, re.S).group(1)
    assert 'href="/en/open-data/"' in footer


def test_unknown_format_is_a_bad_request_that_says_which_formats_exist(client):
    response = client.get("/en/open-data/commitments.xml")

    assert response.status_code == 400
    assert response.content.decode() == (
        "Unknown format “xml”. Available formats: csv, xlsx, json."
    )


@pytest.mark.parametrize(
    "path",
    [
        "/en/open-data/people.csv",
        "/en/open-data/plans/no-such-plan/commitments.csv",
        "/en/open-data/plans/draft-plan/commitments.json",
    ],
)
def test_unknown_data_set_or_plan_is_not_found(client, path):
    ActionPlanFactory(slug="draft-plan", draft=True)

    assert client.get(path).status_code == 404


def test_downloads_answer_only_reads(client):
    assert client.post("/en/open-data/commitments.csv").status_code == 405
