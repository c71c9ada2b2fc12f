"""The embeddable progress of a plan and of a commitment: framable by other
sites (and no other page is), standalone, with the code to embed them on the
plan and commitment pages."""

import html
import re

import pytest

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment():
    plan = ActionPlanFactory(slug="kutaisi", title="Kutaisi action plan")
    commitment = CommitmentFactory(plan=plan, identifier="KU0001", title="Open budget")
    MilestoneFactory(commitment=commitment, title="Publish the budget", completed=True)
    MilestoneFactory(commitment=commitment, title="Train the staff")
    return commitment


def test_plan_embed_shows_the_plan_progress_on_a_standalone_page(client, commitment):
    response = client.get("/en/embed/plans/kutaisi/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kutaisi action plan" in page
    assert 'aria-label="Progress of the plan">50%</progress>' in page
    assert "1 of 2" in page  # milestones completed
    assert "KU0001" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "/static/css/portal.css" in page
    assert "site-header" not in page and "main-nav" not in page
    assert (
        '<a href="http://testserver/en/plans/kutaisi/" target="_blank" rel="noopener">'
        "Open on the portal" in page
    )


def test_commitment_embed_shows_its_progress_and_milestones(client, commitment):
    response = client.get("/fr/embed/commitments/KU0001/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr" dir="ltr">' in page
    assert "Open budget" in page
    assert "Publish the budget" in page and "Train the staff" in page
    assert 'href="http://testserver/fr/commitments/KU0001/" target="_blank" rel="noopener"' in page


def test_embed_pages_may_be_framed_and_no_other_page_may(client, commitment):
    for url in ["/en/embed/plans/kutaisi/", "/ar/embed/commitments/KU0001/"]:
        response = client.get(url)
        assert "X-Frame-Options" not in response, url
        assert "frame-ancestors *" in response["Content-Security-Policy"], url

    for url in ["/en/", "/en/plans/kutaisi/", "/en/commitments/KU0001/", "/api/v1/plans/"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_embed_pages_of_unpublished_items_answer_404(client):
    CommitmentFactory(identifier="PV0001", is_published=False)
    ActionPlanFactory(slug="draft-plan", draft=True)

    assert client.get("/en/embed/commitments/PV0001/").status_code == 404
    assert client.get("/en/embed/plans/draft-plan/").status_code == 404


def embed_code(page: str) -> str:
    """The text of the embed-code box, as a visitor copies it."""
    match = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no embed code"
    return html.unescape(match[1])


def test_plan_and_commitment_pages_give_the_code_to_embed_them(client, commitment):
    plan_page = client.get("/en/plans/kutaisi/").content.decode()
    commitment_page = client.get("/ar/commitments/KU0001/").content.decode()

    assert '<label for="embed-code">' in plan_page
    assert embed_code(plan_page) == (
        '<iframe src="http://testserver/en/embed/plans/kutaisi/" '
        'title="Progress of Kutaisi action plan" width="100%" height="480" loading="lazy">'
        "</iframe>"
    )
    assert 'src="http://testserver/ar/embed/commitments/KU0001/"' in embed_code(commitment_page)


def test_embed_code_stays_valid_html_with_quotes_in_the_title(client):
    ActionPlanFactory(slug="quoted", title='The "open city" plan')

    code = embed_code(client.get("/en/plans/quoted/").content.decode())

    assert 'title="Progress of The &quot;open city&quot; plan"' in code


def test_embed_pages_keep_their_query_count_as_data_grows(
    client, commitment, django_assert_max_num_queries
):
    urls = ["/en/embed/plans/kutaisi/", "/en/embed/commitments/KU0001/"]
    with django_assert_max_num_queries(15):
        for url in urls:
            client.get(url)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(15) as queries:
            client.get(url)
        counts[url] = len(queries)

    for other in CommitmentFactory.create_batch(20, plan=commitment.plan):
        MilestoneFactory(commitment=other)
    MilestoneFactory.create_batch(10, commitment=commitment)

    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
