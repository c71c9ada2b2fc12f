import datetime

import pytest
from django.urls import reverse

from commitments.models import Commitment, Milestone, Novelty
from tests.admin_forms import add_inline_forms, form_data
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:commitments_commitment_add")


def change_url(commitment):
    return reverse("admin:commitments_commitment_change", args=[commitment.pk])


def new_commitment_data(client, **fields):
    """The add form as an editor would fill it in for plan commitment number 1."""
    data = form_data(client.get(ADD_URL))
    data.update(
        {
            "identifier": "GE0067",
            "number": "1",
            "title_en": "Electronic feedback answered within 24 hours",
            "title_fr": "Réponse aux avis électroniques en 24 heures",
            "start_date": "2023-01-01",
            "end_date": "2024-12-31",
            "is_published": "on",
            **fields,
        }
    )
    return data


def milestone_row(**fields):
    return {
        "order": "1",
        "weight": "1",
        "novelty": Novelty.NEW,
        "title_en": "Kiosks installed",
        "start_date": "2023-01-01",
        "end_date": "2023-06-30",
        "status": Milestone.Status.NOT_STARTED,
        "completion_date": "",
        **fields,
    }


def test_editor_adds_a_commitment_with_its_milestones(editor_client):
    plan = ActionPlanFactory()
    lead = InstitutionFactory(jurisdiction=plan.jurisdiction)
    area = PolicyAreaFactory()
    data = new_commitment_data(
        editor_client, plan=str(plan.pk), lead_institution=str(lead.pk), policy_areas=[str(area.pk)]
    )
    add_inline_forms(
        data,
        "milestones",
        [
            milestone_row(
                title_en="Feedback system launched",
                status=Milestone.Status.COMPLETED,
                completion_date="2023-05-02",
            ),
            milestone_row(order="2", title_en="Survey of 5,000 participants", weight="3"),
        ],
    )

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    commitment = Commitment.objects.get(identifier="GE0067")
    assert commitment.plan == plan
    assert commitment.lead_institution == lead
    assert list(commitment.policy_areas.all()) == [area]
    assert commitment.title_fr == "Réponse aux avis électroniques en 24 heures"
    assert list(commitment.milestones.values_list("title_en", "weight", "status")) == [
        ("Feedback system launched", 1, Milestone.Status.COMPLETED),
        ("Survey of 5,000 participants", 3, Milestone.Status.NOT_STARTED),
    ]
    assert commitment.progress == 0.25


def test_adding_a_milestone_outside_the_commitment_dates_is_refused(editor_client):
    plan = ActionPlanFactory()
    data = new_commitment_data(editor_client, plan=str(plan.pk))
    add_inline_forms(data, "milestones", [milestone_row(end_date="2025-03-01")])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "milestones"
    ]
    assert formset.errors[0]["end_date"] == [
        "A milestone cannot end after its commitment (2024-12-31)."
    ]
    assert not Commitment.objects.filter(identifier="GE0067").exists()


def test_commitment_ending_before_it_starts_is_refused_in_the_admin(editor_client):
    commitment = CommitmentFactory()
    data = form_data(editor_client.get(change_url(commitment)))
    data.update(start_date="2024-01-01", end_date="2023-01-01")

    response = editor_client.post(change_url(commitment), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == [
        "The end date cannot be before the start date."
    ]


def test_editor_changes_a_commitment_without_being_superuser(editor, editor_client):
    commitment = CommitmentFactory(title="Old title")
    data = form_data(editor_client.get(change_url(commitment)))
    data["title_en"] = "New title"

    response = editor_client.post(change_url(commitment), data)

    assert not editor.is_superuser
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title_en == "New title"


def test_editor_completes_a_milestone_in_the_commitment_form(editor_client):
    commitment = CommitmentFactory()
    milestone = MilestoneFactory(commitment=commitment)
    data = form_data(editor_client.get(change_url(commitment)))
    data["milestones-0-status"] = Milestone.Status.COMPLETED
    data["milestones-0-completion_date"] = "2024-02-01"

    response = editor_client.post(change_url(commitment), data)

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completion_date == datetime.date(2024, 2, 1)
    commitment.refresh_from_db()
    assert commitment.progress == 1


def test_moderator_reads_a_commitment_but_cannot_change_it(moderator_client):
    commitment = CommitmentFactory(title="Untouched")
    url = change_url(commitment)

    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(url, {"title_en": "Changed", "edited_version": "1"})

    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.title_en == "Untouched"
