"""The public feedback forms: anonymity, due time, confirmation, refusals."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from consultations.models import FEEDBACK_MAX_LENGTH, Feedback
from tests.factories import CitizenFactory, CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db

GENERAL = reverse("consultations:feedback_general")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limits count in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides):
    data = {
        "category": "corruption",
        "body": "A clerk asked me for money to stamp my building permit.",
        "name": "Nino Beridze",
        "email": "nino@example.org",
        "website": "",
    }
    return data | overrides


def post(client, url=GENERAL, **overrides):
    return client.post(url, form_data(**overrides), REMOTE_ADDR="203.0.113.7")


def test_anonymous_feedback_keeps_no_name_email_or_ip_address(client):
    response = post(client, is_anonymous="on")

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.is_anonymous
    assert (feedback.name, feedback.email, feedback.ip_address, feedback.author) == (
        "",
        "",
        None,
        None,
    )


def test_feedback_keeps_its_language_and_staff_are_told_in_the_sites(
    client, moderator, django_capture_on_commit_callbacks
):
    with translation.override("ar"):
        arabic_form = reverse("consultations:feedback_general")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url=arabic_form)

    assert response.status_code == 302
    assert Feedback.objects.get().language == "ar"
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert mail.outbox[0].subject.startswith("New feedback ")


def test_anonymous_feedback_from_a_signed_in_citizen_keeps_no_account_or_address(client_for):
    citizen = CitizenFactory(email="citizen@example.org")

    response = post(client_for(citizen), is_anonymous="on")

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.name, feedback.email, feedback.ip_address, feedback.author) == (
        "",
        "",
        None,
        None,
    )


def test_anonymous_feedback_discards_an_invalid_email_rather_than_refusing(client):
    response = post(client, is_anonymous="on", email="not an address")

    assert response.status_code == 302
    assert Feedback.objects.get().email == ""


def test_feedback_with_a_name_keeps_the_address_and_the_account(client_for):
    citizen = CitizenFactory(email="citizen@example.org")

    response = post(client_for(citizen))

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert not feedback.is_anonymous
    assert feedback.ip_address == "203.0.113.7"
    assert feedback.author == citizen
    assert (feedback.name, feedback.email) == ("Nino Beridze", "nino@example.org")


def test_feedback_form_prefills_a_signed_in_citizens_email(client_for):
    citizen = CitizenFactory(email="citizen@example.org")

    response = client_for(citizen).get(GENERAL)

    assert response.status_code == 200
    assert 'value="citizen@example.org"' in response.content.decode()


def test_feedback_form_explains_anonymity_and_has_a_honeypot(client):
    page = client.get(GENERAL).content.decode()

    assert "Send anonymously" in page
    assert "no IP address" in page
    assert "suspected corruption" in page
    assert 'class="honeypot"' in page


@override_settings(FEEDBACK_RESPONSE_HOURS=48)
def test_feedback_is_due_the_configured_number_of_hours_after_it_arrives(client):
    post(client)

    feedback = Feedback.objects.get()
    assert feedback.due_at - feedback.submitted_at == datetime.timedelta(hours=48)


def test_feedback_confirmation_shows_the_reference_and_the_due_time(client):
    response = post(client)
    page = client.get(response["Location"]).content.decode()

    feedback = Feedback.objects.get()
    assert f"F-{feedback.pk:06d}" in page
    assert "We aim to answer by" in page
    assert "sent to the email address you gave" in page


def test_anonymous_feedback_confirmation_offers_no_answer_and_says_the_identity_was_dropped(
    client,
):
    response = post(client, is_anonymous="on")
    page = client.get(response["Location"]).content.decode()

    assert "we cannot send you an answer" in page
    assert "was not kept, because you chose to send anonymously" in page
    assert "We aim to answer by" not in page
    assert "nino@example.org" not in page


def test_feedback_confirmation_with_a_forged_link_is_not_found(client):
    response = client.get(reverse("consultations:feedback_sent", args=["1:forged:token"]))

    assert response.status_code == 404


def test_feedback_about_a_commitment_is_linked_to_it_and_its_plan(client):
    commitment = CommitmentFactory()
    url = reverse("consultations:feedback_commitment", args=[commitment.identifier])

    assert client.get(url).status_code == 200
    response = post(client, url=url)

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.commitment, feedback.plan) == (commitment, commitment.plan)


def test_commitment_page_links_to_its_feedback_form(client):
    commitment = CommitmentFactory()

    page = client.get(commitment.get_absolute_url()).content.decode()

    assert reverse("consultations:feedback_commitment", args=[commitment.identifier]) in page


def test_feedback_form_of_an_unpublished_commitment_is_not_found(client):
    commitment = CommitmentFactory(is_published=False)
    url = reverse("consultations:feedback_commitment", args=[commitment.identifier])

    assert client.get(url).status_code == 404
    assert post(client, url=url).status_code == 404
    assert not Feedback.objects.exists()


def test_feedback_with_the_honeypot_filled_is_refused_and_nothing_stored(client):
    response = post(client, website="http://spam.example")

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_feedback_too_long_is_refused_with_the_text_kept(client):
    body = "Too long " + "x" * FEEDBACK_MAX_LENGTH

    response = post(client, body=body)

    assert response.status_code == 400
    page = response.content.decode()
    assert body in page
    assert 'aria-describedby="id_body_errors id_body_helptext"' in page
    assert not Feedback.objects.exists()


def test_feedback_without_a_message_is_refused(client):
    response = post(client, body="   ")

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_feedback_flood_from_one_address_is_cut_off(client):
    statuses = [post(client, body=f"Message {n}").status_code for n in range(12)]

    assert statuses[0] == 302
    assert statuses[-1] == 429
    assert Feedback.objects.count() < 12


def test_new_feedback_is_emailed_to_the_answering_staff_without_the_sender(
    client, moderator, django_capture_on_commit_callbacks
):
    UserFactory(username="editor-only", is_staff=True, groups=["Editors"])
    UserFactory(username="citizen-only")

    with django_capture_on_commit_callbacks(execute=True):
        post(client)

    assert [message.to for message in mail.outbox] == [[moderator.email]]
    body = mail.outbox[0].body
    assert "A clerk asked me for money" in body
    assert "nino@example.org" not in body
    assert "203.0.113.7" not in body
    assert re.search(r"/admin/consultations/feedback/\d+/change/", body)


@override_settings(FEEDBACK_NOTIFY_EMAILS=["feedback@city.example"])
def test_anonymous_feedback_notice_names_no_sender(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, is_anonymous="on")

    assert [message.to for message in mail.outbox] == [["feedback@city.example"]]
    body = mail.outbox[0].body
    assert "Sent anonymously" in body
    assert "Nino" not in body
    assert "nino@example.org" not in body
    assert "203.0.113.7" not in body


def test_form_help_text_is_in_the_visitors_language(client):
    arabic = client.get("/ar/feedback/").content.decode()
    french = client.get("/fr/feedback/").content.decode()

    assert "At most 5000 characters." not in arabic
    assert "At most 5000 characters." not in french
    assert "5000" in arabic and "5000" in french
