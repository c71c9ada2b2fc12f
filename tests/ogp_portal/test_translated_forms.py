"""Staff may write content in any one language; some language is required."""

import pytest

from commitments.models import Commitment
from tests.admin_forms import add_inline_forms, form_data
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def change_url(commitment):
    return f"/en/admin/commitments/commitment/{commitment.pk}/change/"


def test_commitment_written_in_french_only_saves(editor_client):
    commitment = CommitmentFactory(title_en="", title_fr="Budget ouvert")
    data = form_data(editor_client.get(change_url(commitment)))
    add_inline_forms(
        data,
        "milestones",
        [
            {
                "title_fr": "Publier les données",
                "order": "1",
                "weight": "1",
                "status": "not_started",
                "novelty": "new",
            }
        ],  # fmt: skip
    )
    data["objective_fr"] = "Ouvrir le budget"

    response = editor_client.post(change_url(commitment), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment = Commitment.objects.get(pk=commitment.pk)
    assert commitment.objective_fr == "Ouvrir le budget"
    assert commitment.milestones.get().title_fr == "Publier les données"
    assert not commitment.title_en


def test_commitment_without_a_title_in_any_language_is_refused(editor_client):
    commitment = CommitmentFactory(title_en="Open budget")
    data = form_data(editor_client.get(change_url(commitment)))
    for code in ["en", "fr", "es", "ka", "sq", "ar"]:
        data[f"title_{code}"] = ""

    response = editor_client.post(change_url(commitment), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_en"] == [
        "Give this in at least one language."
    ]
    assert Commitment.objects.get(pk=commitment.pk).title_en == "Open budget"
