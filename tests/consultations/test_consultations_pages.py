"""The public consultation pages: what the public sees, what stays private,
and a query count that does not grow with the data."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Proposal
from tests.factories import (
    ActionPlanFactory,
    BallotChoiceFactory,
    CommentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
    ProposalFactory,
    UserFactory,
    VoteOptionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def detail_url(consultation):
    return reverse("consultations:consultation_detail", kwargs={"pk": consultation.pk})


def test_consultation_list_groups_open_upcoming_and_closed(client):
    now = timezone.now()
    ConsultationFactory(title="Budget now")
    ConsultationFactory(
        title="Transport later",
        opens_at=now + datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=10),
    )
    ConsultationFactory(
        title="Water before",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=3),
    )

    html = client.get(reverse("consultations:consultation_list")).content.decode()

    assert html.index("Open now") < html.index("Budget now")
    assert html.index("Budget now") < html.index("Upcoming") < html.index("Transport later")
    assert html.index("Transport later") < html.index("Closed") < html.index("Water before")


def test_consultation_list_filters_by_plan(client):
    kept = ConsultationFactory(title="Kept consultation")
    ConsultationFactory(title="Other consultation")

    response = client.get(reverse("consultations:consultation_list"), {"plan": kept.plan.slug})

    html = response.content.decode()
    assert "Kept consultation" in html
    assert "Other consultation" not in html


def test_consultation_list_leaves_out_unpublished_and_draft_plans(client):
    ConsultationFactory(title="Unpublished one", is_published=False)
    ConsultationFactory(title="On a draft plan", plan=ActionPlanFactory(draft=True))

    html = client.get(reverse("consultations:consultation_list")).content.decode()

    assert "Unpublished one" not in html
    assert "On a draft plan" not in html


@pytest.mark.parametrize(
    "hidden",
    [
        pytest.param({"is_published": False}, id="unpublished consultation"),
        pytest.param({"plan__status": "draft"}, id="consultation of a draft plan"),
    ],
)
def test_hidden_consultation_pages_are_not_found_by_the_public(client, hidden):
    consultation = ConsultationFactory(**hidden)
    section = ConsultationSectionFactory(consultation=consultation)
    proposal = ProposalFactory(consultation=consultation)
    VoteOptionFactory(consultation=consultation)
    urls = [
        detail_url(consultation),
        section.get_absolute_url(),
        proposal.get_absolute_url(),
        reverse("consultations:proposal_list", kwargs={"pk": consultation.pk}),
        reverse("consultations:vote", kwargs={"pk": consultation.pk}),
        reverse("consultations:proposal_create", kwargs={"pk": consultation.pk}),
    ]

    for url in urls:
        assert client.get(url).status_code in (302, 404), url
    for url in urls[:4]:
        assert client.get(url).status_code == 404, url


def test_staff_who_may_view_consultations_preview_an_unpublished_one(client_for):
    consultation = ConsultationFactory(is_published=False, title="Not yet public")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_consultation"))

    response = client_for(staff).get(detail_url(consultation))

    assert response.status_code == 200
    assert "Preview: not published" in response.content.decode()


def test_someone_without_the_permission_cannot_preview_an_unpublished_one(client_for):
    consultation = ConsultationFactory(is_published=False)

    assert client_for(UserFactory()).get(detail_url(consultation)).status_code == 404


def test_consultation_detail_shows_the_text_sections_proposals_and_options(client):
    consultation = ConsultationFactory(
        description="We *ask* you", question="Which initiative first?"
    )
    section = ConsultationSectionFactory(consultation=consultation, title="Transparency")
    CommentFactory(plan=consultation.plan, consultation=consultation, section=section)
    CommentFactory(
        plan=consultation.plan,
        consultation=consultation,
        section=section,
        status=Comment.Status.HIDDEN,
    )
    ProposalFactory(consultation=consultation, title="Open council meetings")
    VoteOptionFactory(consultation=consultation, title="Participatory budget")

    html = client.get(detail_url(consultation)).content.decode()

    assert "<em>ask</em>" in html
    assert "Which initiative first?" in html
    assert section.get_absolute_url() in html
    assert "1 comment" in html
    assert "Open council meetings" in html
    assert "Participatory budget" in html


def test_consultation_detail_caps_the_proposals_and_links_to_them_all(client):
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(12, consultation=consultation)

    html = client.get(detail_url(consultation)).content.decode()

    assert html.count('class="card proposal-card"') == 10
    assert reverse("consultations:proposal_list", kwargs={"pk": consultation.pk}) in html


def test_section_detail_shows_the_text_and_links_to_its_neighbours(client):
    consultation = ConsultationFactory()
    first = ConsultationSectionFactory(consultation=consultation, order=1, title="First part")
    middle = ConsultationSectionFactory(
        consultation=consultation, order=2, body="The **middle** text."
    )
    last = ConsultationSectionFactory(consultation=consultation, order=3, title="Last part")

    html = client.get(middle.get_absolute_url()).content.decode()

    assert "<strong>middle</strong>" in html
    assert f'href="{first.get_absolute_url()}" rel="prev"' in html
    assert f'href="{last.get_absolute_url()}" rel="next"' in html


def test_section_of_another_consultation_is_not_found(client):
    section = ConsultationSectionFactory()
    other = ConsultationFactory()
    url = reverse("consultations:section_detail", kwargs={"pk": other.pk, "section_pk": section.pk})

    assert client.get(url).status_code == 404


def test_proposal_shows_its_public_status_and_reason_never_the_authors_email(client):
    proposal = ProposalFactory(
        status=Proposal.Status.NOT_RETAINED,
        public_reason="Already in the budget law.",
        author__email="private.person@example.org",
        author__profile__display_name="Ana from Getsemaní",
    )
    pages = [
        proposal.get_absolute_url(),
        reverse("consultations:proposal_list", kwargs={"pk": proposal.consultation_id}),
        detail_url(proposal.consultation),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert "Not retained" in html, url
        assert "Already in the budget law." in html, url
        assert "Ana from Getsemaní" in html, url
        assert "private.person@example.org" not in html, url
        assert proposal.author.username not in html, url


def test_proposal_whose_author_left_is_signed_former_participant(client):
    proposal = ProposalFactory(author=None)

    html = client.get(proposal.get_absolute_url()).content.decode()

    assert "Former participant" in html


def test_proposal_list_filters_by_status(client):
    consultation = ConsultationFactory()
    ProposalFactory(consultation=consultation, title="Chosen idea", status="selected")
    ProposalFactory(consultation=consultation, title="Waiting idea")
    url = reverse("consultations:proposal_list", kwargs={"pk": consultation.pk})

    html = client.get(url, {"status": "selected"}).content.decode()

    assert "Chosen idea" in html
    assert "Waiting idea" not in html


def test_proposal_list_with_an_unknown_status_answers_400(client):
    consultation = ConsultationFactory()
    url = reverse("consultations:proposal_list", kwargs={"pk": consultation.pk})

    response = client.get(url, {"status": "nonsense"})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_proposal_of_another_consultation_is_not_found(client):
    proposal = ProposalFactory()
    url = reverse(
        "consultations:proposal_detail",
        kwargs={"pk": ConsultationFactory().pk, "proposal_pk": proposal.pk},
    )

    assert client.get(url).status_code == 404


def test_main_navigation_links_to_the_consultations(client):
    url = reverse("consultations:consultation_list")

    html = client.get(url).content.decode()

    assert f'<a href="{url}" aria-current="page">' in html


def test_plan_page_lists_its_published_consultations(client):
    consultation = ConsultationFactory(title="Budget consultation")
    ConsultationFactory(plan=consultation.plan, title="Hidden one", is_published=False)

    html = client.get(consultation.plan.get_absolute_url()).content.decode()

    assert "Budget consultation" in html
    assert "Hidden one" not in html


# Query counts


def _grow(consultation):
    """More of everything a consultation's pages show."""
    sections = ConsultationSectionFactory.create_batch(5, consultation=consultation)
    for section in sections:
        CommentFactory(plan=consultation.plan, consultation=consultation, section=section)
    proposals = ProposalFactory.create_batch(8, consultation=consultation)
    ProposalFactory(
        consultation=consultation,
        status=Proposal.Status.MERGED,
        public_reason="Same idea.",
        merged_into=proposals[0],
    )
    options = VoteOptionFactory.create_batch(4, consultation=consultation)
    for option in options:
        BallotChoiceFactory.create_batch(2, ballot__consultation=consultation, option=option)
    ConsultationFactory(plan=consultation.plan)


def _queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["list", "detail", "proposals", "section", "proposal"])
def test_public_consultation_pages_keep_their_query_count_as_data_grows(
    client, django_assert_max_num_queries, page
):
    consultation = ConsultationFactory(results_visibility="live")
    section = ConsultationSectionFactory(consultation=consultation, order=50)
    proposal = ProposalFactory(consultation=consultation)
    BallotChoiceFactory(
        ballot__consultation=consultation, option=VoteOptionFactory(consultation=consultation)
    )
    url = {
        "list": reverse("consultations:consultation_list"),
        "detail": detail_url(consultation),
        "proposals": reverse("consultations:proposal_list", kwargs={"pk": consultation.pk}),
        "section": section.get_absolute_url(),
        "proposal": proposal.get_absolute_url(),
    }[page]
    before = _queries(client, url, django_assert_max_num_queries)

    _grow(consultation)

    with django_assert_max_num_queries(before):
        assert client.get(url).status_code == 200
