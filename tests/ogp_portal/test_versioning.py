"""The edit version check: one editor never silently overwrites another."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from ogp_portal.versioning import VersionCheckedForm
from tests.admin_forms import form_data
from tests.factories import EDITORS, ActionPlanFactory, CommitmentFactory, UserFactory
from tests.validation import has_catalog

pytestmark = pytest.mark.django_db

STALE = str(VersionCheckedForm.stale_message)
HIDDEN_VERSION = re.compile(r'<input type="hidden" name="edited_version" value="(\d+)"')

# The models edited through VersionedPortalAdmin, with a translated text field.
VERSIONED = {
    "commitment": (CommitmentFactory, "admin:commitments_commitment_change", "title"),
    "actionplan": (ActionPlanFactory, "admin:plans_actionplan_change", "title"),
}


@pytest.fixture
def other_editor_client(client_for):
    return client_for(UserFactory(username="second-editor", is_staff=True, groups=[EDITORS]))


def open_form(client, url):
    """GET the change form; its submission with the version read from the page."""
    response = client.get(url)
    assert response.status_code == 200
    (version,) = HIDDEN_VERSION.findall(response.content.decode())
    data = form_data(response)
    data["edited_version"] = version
    return data


@pytest.mark.parametrize("kind", VERSIONED)
def test_second_editor_saving_over_a_newer_version_is_refused(
    editor_client, other_editor_client, kind
):
    factory, url_name, field = VERSIONED[kind]
    record = factory(**{field: "Original text"})
    url = reverse(url_name, args=[record.pk])
    first = open_form(editor_client, url)
    second = open_form(other_editor_client, url)
    assert first["edited_version"] == second["edited_version"] == str(record.version)

    first[f"{field}_en"] = "First editor's text"
    assert editor_client.post(url, first).status_code == 302
    second[f"{field}_en"] = "Second editor's text"
    response = other_editor_client.post(url, second)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [STALE]
    assert STALE in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, f"{field}_en") == "First editor's text"
    assert record.version == int(first["edited_version"]) + 1
    assert record.history.count() == 2


@pytest.mark.skipif(
    not has_catalog("fr"), reason="French catalog not compiled: make compile-messages"
)
def test_refusal_is_explained_in_the_editor_language(editor_client, other_editor_client):
    commitment = CommitmentFactory()
    with translation.override("fr"):
        url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    assert url.startswith("/fr/admin/")
    first = open_form(editor_client, url)
    second = open_form(other_editor_client, url)
    first["title_en"] = "First editor's text"
    editor_client.post(url, first)

    response = other_editor_client.post(url, second)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Quelqu'un d'autre a enregistré cette fiche pendant que vous la modifiiez. "
        "Vos modifications n'ont pas été enregistrées. Rouvrez la fiche pour voir sa "
        "version, puis appliquez de nouveau vos modifications."
    ]


def test_editor_reopening_the_record_saves_over_the_newer_version(
    editor_client, other_editor_client
):
    commitment = CommitmentFactory()
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    stale = open_form(other_editor_client, url)
    first = open_form(editor_client, url)
    first["title_en"] = "First editor's text"
    editor_client.post(url, first)
    stale["title_en"] = "Second editor's text"
    assert other_editor_client.post(url, stale).status_code == 200

    fresh = open_form(other_editor_client, url)
    fresh["title_en"] = "Second editor's text, re-applied"
    response = other_editor_client.post(url, fresh)

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title_en == "Second editor's text, re-applied"


def test_change_form_without_its_version_is_refused(editor_client):
    commitment = CommitmentFactory(title="Original text")
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    data = open_form(editor_client, url)
    del data["edited_version"]
    data["title_en"] = "Changed"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [STALE]
    commitment.refresh_from_db()
    assert commitment.title_en == "Original text"


def test_same_editor_saving_twice_in_a_row_is_not_refused(editor_client):
    commitment = CommitmentFactory()
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])

    for text in ("First save", "Second save"):
        data = open_form(editor_client, url)
        data["title_en"] = text
        assert editor_client.post(url, data).status_code == 302

    commitment.refresh_from_db()
    assert commitment.title_en == "Second save"


def test_version_moves_on_with_every_save_but_not_on_creation():
    commitment = CommitmentFactory()
    assert commitment.version == 1

    commitment.save()
    commitment.save()

    commitment.refresh_from_db()
    assert commitment.version == 3
