"""The API's co-creation meetings: those of public plans, with participation by sector."""

import pytest

from tests.factories import ActionPlanFactory, MeetingFactory, MeetingParticipationFactory

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
