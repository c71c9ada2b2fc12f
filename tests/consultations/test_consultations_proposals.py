"""Citizens' proposals: who may submit them and when, and staff's public evaluation."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations.models import Proposal
from consultations.services.consultations import proposal_evaluate, proposal_submit
from tests.factories import CitizenFactory, ConsultationFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

PROPOSAL = {"title": "Open data on contracts", "body": "Publish every contract within a week."}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def propose_url(consultation):
    return reverse("consultations:proposal_create", kwargs={"pk": consultation.pk})


def test_proposal_submit_by_a_confirmed_citizen_is_received(client_for):
    consultation = ConsultationFactory()
    citizen = CitizenFactory()

    response = client_for(citizen).post(propose_url(consultation), PROPOSAL, follow=True)

    proposal = Proposal.objects.get()
    assert proposal.author == citizen
    assert proposal.status == Proposal.Status.RECEIVED
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert "your proposal is received" in response.content.decode()


def test_proposal_form_has_the_honeypot_and_labelled_fields(client_for):
    html = client_for(CitizenFactory()).get(propose_url(ConsultationFactory())).content.decode()

    assert 'class="honeypot"' in html
    assert '<label for="id_title">' in html
    assert '<label for="id_body">' in html


def test_proposal_submit_asks_an_anonymous_visitor_to_log_in(client):
    consultation = ConsultationFactory()

    response = client.post(propose_url(consultation), PROPOSAL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Proposal.objects.exists()


def test_proposal_submit_by_an_account_without_a_confirmed_email_explains_how_to_join(
    client_for,
):
    consultation = ConsultationFactory()
    unconfirmed = CitizenFactory(profile__email_confirmed_at=None)

    response = client_for(unconfirmed).post(propose_url(consultation), PROPOSAL)

    assert response.status_code == 403
    html = response.content.decode()
    assert "confirmed" in html
    assert reverse("accounts:login") in html
    assert not Proposal.objects.exists()


def test_proposal_submit_by_an_account_without_a_citizen_profile_is_refused(client_for):
    response = client_for(UserFactory()).post(propose_url(ConsultationFactory()), PROPOSAL)

    assert response.status_code == 403
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "settings_",
    [
        pytest.param(
            {
                "opens_at": timezone.now() - datetime.timedelta(days=20),
                "closes_at": timezone.now() - datetime.timedelta(days=1),
            },
            id="closed",
        ),
        pytest.param(
            {
                "opens_at": timezone.now() + datetime.timedelta(days=2),
                "closes_at": timezone.now() + datetime.timedelta(days=20),
            },
            id="not yet open",
        ),
        pytest.param({"accepts_proposals": False}, id="not accepting proposals"),
    ],
)
def test_proposal_submit_is_refused_when_the_consultation_does_not_take_them(client_for, settings_):
    consultation = ConsultationFactory(**settings_)

    response = client_for(CitizenFactory()).post(propose_url(consultation), PROPOSAL)

    assert response.status_code == 403
    assert "Proposals are not being received" in response.content.decode()
    assert not Proposal.objects.exists()


def test_proposal_submit_service_refuses_a_closed_consultation():
    consultation = ConsultationFactory(
        opens_at=timezone.now() - datetime.timedelta(days=20),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    with pytest.raises(ValidationError):
        proposal_submit(consultation=consultation, author=CitizenFactory(), **PROPOSAL)

    assert not Proposal.objects.exists()


def test_proposal_without_a_title_is_shown_again_with_the_text_kept(client_for):
    consultation = ConsultationFactory()

    response = client_for(CitizenFactory()).post(
        propose_url(consultation), {"title": "", "body": PROPOSAL["body"]}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert 'aria-describedby="id_title_errors' in html
    assert PROPOSAL["body"] in html
    assert not Proposal.objects.exists()


def test_proposal_with_the_honeypot_filled_in_is_refused(client_for):
    consultation = ConsultationFactory()

    response = client_for(CitizenFactory()).post(
        propose_url(consultation), {**PROPOSAL, "website": "http://spam.example"}
    )

    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_proposal_flood_from_one_account_is_cut_off(client_for, settings):
    settings.PARTICIPATION_RATE_PER_ACCOUNT = "2/m"
    consultation = ConsultationFactory()
    client = client_for(CitizenFactory())

    answers = [client.post(propose_url(consultation), PROPOSAL).status_code for _ in range(3)]

    assert answers == [302, 302, 429]
    assert Proposal.objects.count() == 2


def test_proposal_evaluate_dates_the_decision_and_keeps_history():
    proposal = ProposalFactory()
    staff = UserFactory(is_staff=True)

    proposal_evaluate(
        proposal=proposal,
        status=Proposal.Status.SELECTED,
        public_reason="Fits the plan's goals.",
        by=staff,
    )

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SELECTED
    assert proposal.evaluated_at is not None
    assert proposal.history.first().history_user == staff


def test_proposal_evaluate_without_a_reason_is_refused():
    proposal = ProposalFactory()

    with pytest.raises(ValidationError):
        proposal_evaluate(proposal=proposal, status=Proposal.Status.NOT_RETAINED, public_reason="")


def test_proposal_evaluated_in_the_admin_gets_its_date_and_public_status(editor_client, client):
    proposal = ProposalFactory(
        author__email="hidden.author@example.org", author__profile__display_name="Maria"
    )
    url = reverse("admin:consultations_proposal_change", args=[proposal.pk])
    changelist = editor_client.get(reverse("admin:consultations_proposal_changelist"))

    response = editor_client.post(
        url,
        {
            "status": Proposal.Status.NOT_RETAINED,
            "public_reason": "Outside the city's powers.",
            "merged_into": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_RETAINED
    assert proposal.evaluated_at is not None
    assert "hidden.author@example.org" not in changelist.content.decode()
    assert "Maria" in changelist.content.decode()
    assert (
        "Outside the city&#x27;s powers."
        in client.get(proposal.get_absolute_url()).content.decode()
    )


def test_ballot_admin_never_shows_the_voter(superuser_client):
    from tests.factories import BallotChoiceFactory

    choice = BallotChoiceFactory(ballot__voter__email="secret.voter@example.org")
    pages = [
        reverse("admin:consultations_ballot_changelist"),
        reverse("admin:consultations_ballot_change", args=[choice.ballot.pk]),
        reverse("admin:consultations_ballotchoice_changelist"),
    ]

    for url in pages:
        html = superuser_client.get(url).content.decode()
        assert "secret.voter@example.org" not in html, url
        assert choice.ballot.voter.username not in html, url
