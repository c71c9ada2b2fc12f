"""The history of commitments, registered after their translated fields exist."""

import pytest
from django.conf import settings
from django.urls import reverse

from commitments.models import Commitment
from tests.admin_forms import form_data
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def edit_in_admin(client, commitment, **changes):
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.mark.parametrize("field", ["title", "short_title", "description", "irm_summary"])
def test_commitment_history_has_a_column_per_language(field):
    columns = {f.name for f in Commitment.history.model._meta.get_fields()}

    assert {f"{field}_{code}" for code in LANGUAGES} <= columns


def test_editing_a_commitment_in_the_admin_records_a_history_row(editor, editor_client):
    commitment = CommitmentFactory(title="Open budget")
    before = commitment.history.count()

    edit_in_admin(editor_client, commitment, title_fr="Budget ouvert", title_en="Open budget data")

    assert commitment.history.count() == before + 1
    latest = commitment.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert (latest.title_en, latest.title_fr) == ("Open budget data", "Budget ouvert")
    assert latest.prev_record.title_en == "Open budget"
    assert latest.prev_record.title_fr is None


def test_commitment_history_pages_show_the_edit(editor_client):
    commitment = CommitmentFactory()
    edit_in_admin(editor_client, commitment, title_fr="Budget ouvert")
    record = commitment.history.latest()

    history = editor_client.get(
        reverse("admin:commitments_commitment_history", args=[commitment.pk])
    )
    one_record = editor_client.get(
        reverse("admin:commitments_commitment_simple_history", args=[commitment.pk, record.pk])
    )

    assert history.status_code == 200
    assert list(history.context["page_obj"].object_list) == list(commitment.history.all())
    assert len(history.context["page_obj"].object_list) == 2
    assert one_record.status_code == 200
