"""The API's co-creation meetings (those of public plans, with participation
by sector and documents) and consultations (published ones of public plans,
with counts but never who took part)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import Consultation, Proposal
from tests.factories import (
    ActionPlanFactory,
    BallotChoiceFactory,
    CitizenFactory,
    CommentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    MeetingParticipationFactory,
    ProposalFactory,
    VoteOptionFactory,
)

pytestmark = pytest.mark.django_db


def test_meetings_of_public_plans_are_listed_with_participation(client):
    meeting = MeetingFactory(plan__slug="regueb", title="Deliberative council", format="workshop")
    MeetingParticipationFactory(meeting=meeting, sector="citizens", count=257)
    hidden = MeetingFactory(plan=ActionPlanFactory(draft=True), title="Draft plan meeting")

    data = client.get("/api/v1/meetings/?plan=regueb&format=workshop").json()

    [item] = data["results"]
    assert item["title"] == {"text": "Deliberative council", "language": "en"}
    assert item["plan"]["slug"] == "regueb"
    assert item["participation"] == [
        {"sector": "citizens", "sector_label": "Citizens", "count": 257}
    ]
    assert client.get("/api/v1/meetings/").json()["count"] == 1
    assert client.get(f"/api/v1/meetings/{hidden.pk}/").status_code == 404


def test_meetings_keep_their_query_count_as_data_grows(client, django_assert_max_num_queries):
    MeetingParticipationFactory()
    with django_assert_max_num_queries(4):
        client.get("/api/v1/meetings/")

    for meeting in MeetingFactory.create_batch(15):
        MeetingParticipationFactory(meeting=meeting, sector="government")
        MeetingParticipationFactory(meeting=meeting, sector="academia")

    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/meetings/").json()["results"]) == 16


def test_meeting_lists_its_documents(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory()
    MeetingDocumentFactory(meeting=meeting, title="Slides", url="https://example.org/slides")
    MeetingDocumentFactory(
        meeting=meeting, title="Minutes", url="", file=SimpleUploadedFile("a1b2.pdf", b"%PDF-1.4")
    )

    data = client.get(f"/api/v1/meetings/{meeting.pk}/").json()

    assert data["documents"] == [
        {
            "title": {"text": "Slides", "language": "en"},
            "url": "https://example.org/slides",
            "file_type": "",
        },
        {
            "title": {"text": "Minutes", "language": "en"},
            "url": "http://testserver/media/meeting-documents/a1b2.pdf",
            "file_type": "PDF",
        },
    ]


# --- Consultations -------------------------------------------------------------------------


def keys_of(value):
    """Every key anywhere in a JSON answer."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


@pytest.fixture
def vote():
    """A vote among two initiatives, open now, with results after closing."""
    consultation = ConsultationFactory(
        plan__slug="cartagena",
        title="Choose an initiative",
        subject=Consultation.Subject.INITIATIVES,
        question="Which initiative first?",
        max_choices=1,
    )
    ConsultationSectionFactory(consultation=consultation, title="Context", body="Why we ask.")
    first, second = VoteOptionFactory.create_batch(2, consultation=consultation)
    for _ in range(3):
        BallotChoiceFactory(ballot__consultation=consultation, option=first)
    BallotChoiceFactory(ballot__consultation=consultation, option=second)
    author = CitizenFactory(email="proposer@example.org", profile__display_name="Ana Proposer")
    ProposalFactory(consultation=consultation, author=author, title="Bike lanes")
    ProposalFactory(
        consultation=consultation,
        status=Proposal.Status.NOT_RETAINED,
        public_reason="Out of the city's remit.",
    )
    return consultation


def test_published_consultation_is_listed_and_detailed(client, vote):
    ConsultationFactory(is_published=False, title="Unpublished consultation")
    ConsultationFactory(plan=ActionPlanFactory(draft=True), title="Draft plan's consultation")

    listing = client.get("/api/v1/consultations/").json()
    data = client.get(f"/api/v1/consultations/{vote.pk}/").json()

    assert [item["id"] for item in listing["results"]] == [vote.pk]
    assert data["plan"]["slug"] == "cartagena"
    assert data["subject"] == "initiatives"
    assert data["subject_label"] == "Initiatives"
    assert data["title"] == {"text": "Choose an initiative", "language": "en"}
    assert data["question"]["text"] == "Which initiative first?"
    assert data["is_open"] is True
    assert data["accepts_proposals"] is True
    assert data["max_choices"] == 1
    assert data["results_visibility"] == "after_closing"
    assert data["sections"] == [
        {
            "id": vote.sections.get().pk,
            "title": {"text": "Context", "language": "en"},
            "body": {"text": "Why we ask.", "language": "en"},
        }
    ]
    assert data["proposals"] == {
        "total": 2,
        "received": 1,
        "under_evaluation": 0,
        "selected": 0,
        "merged": 0,
        "not_retained": 1,
    }
    assert data["url"] == f"http://testserver/en/consultations/{vote.pk}/"


def test_unpublished_and_draft_plan_consultations_answer_404(client):
    unpublished = ConsultationFactory(is_published=False)
    of_a_draft = ConsultationFactory(plan=ActionPlanFactory(draft=True))

    for consultation in [unpublished, of_a_draft]:
        assert client.get(f"/api/v1/consultations/{consultation.pk}/").status_code == 404
    assert client.get("/api/v1/consultations/").json()["count"] == 0


def test_vote_counts_stay_hidden_until_the_results_are_public(client, vote):
    hidden = client.get(f"/api/v1/consultations/{vote.pk}/").json()

    assert hidden["results_are_public"] is False
    assert hidden["ballots_count"] is None
    assert [option["votes"] for option in hidden["options"]] == [None, None]

    vote.results_visibility = Consultation.ResultsVisibility.LIVE
    vote.save()
    live = client.get(f"/api/v1/consultations/{vote.pk}/").json()

    assert live["results_are_public"] is True
    assert live["ballots_count"] == 4
    assert [option["votes"] for option in live["options"]] == [3, 1]


def test_closed_vote_shows_its_counts(client, vote):
    vote.opens_at = timezone.now() - datetime.timedelta(days=14)
    vote.closes_at = timezone.now() - datetime.timedelta(days=7)
    vote.save()

    data = client.get(f"/api/v1/consultations/{vote.pk}/").json()

    assert data["is_open"] is False
    assert [option["votes"] for option in data["options"]] == [3, 1]


def test_consultations_carry_no_personal_data(client, vote):
    CommentFactory(plan=vote.plan, consultation=vote, body="A resident's comment")
    text = client.get("/api/v1/consultations/").content.decode()
    data = client.get(f"/api/v1/consultations/{vote.pk}/").json()

    for secret in ["proposer@example.org", "Ana Proposer", "Bike lanes", "A resident's comment"]:
        assert secret not in text
    assert not keys_of(data) & {"author", "email", "voter", "user", "display_name", "phone"}


def test_consultations_are_filtered_by_plan_subject_and_openness(client, vote):
    closed = ConsultationFactory(
        plan__slug="kutaisi",
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    def ids(query):
        response = client.get(f"/api/v1/consultations/?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids("plan=cartagena") == [vote.pk]
    assert ids("plan=kutaisi") == [closed.pk]
    assert ids("subject=initiatives") == [vote.pk]
    assert ids("subject=draft_plan") == [closed.pk]
    assert ids("open=true") == [vote.pk]
    assert ids("open=false") == [closed.pk]
    assert client.get("/api/v1/consultations/?open=maybe").status_code == 400
    assert client.get("/api/v1/consultations/?subject=").status_code == 400


def test_consultations_keep_their_query_count_as_data_grows(
    client, vote, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5) as small:
        client.get("/api/v1/consultations/")

    for _ in range(10):
        consultation = ConsultationFactory(subject=Consultation.Subject.INITIATIVES)
        ConsultationSectionFactory.create_batch(3, consultation=consultation)
        option = VoteOptionFactory(consultation=consultation)
        BallotChoiceFactory.create_batch(2, ballot__consultation=consultation, option=option)
        ProposalFactory.create_batch(2, consultation=consultation)

    with django_assert_max_num_queries(5) as large:
        assert len(client.get("/api/v1/consultations/").json()["results"]) == 11
    assert len(large.captured_queries) == len(small.captured_queries)
