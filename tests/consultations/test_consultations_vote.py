"""Cartagena's vote: one ballot per person, inside the dates, among the
consultation's own options, up to the number staff set."""

import datetime
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Ballot, BallotChoice, Consultation
from consultations.services.consultations import ballot_cast
from tests.factories import (
    BallotChoiceFactory,
    CitizenFactory,
    ConsultationFactory,
    UserFactory,
    VoteOptionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def vote_consultation(**kwargs):
    consultation = ConsultationFactory(subject=Consultation.Subject.INITIATIVES, **kwargs)
    options = VoteOptionFactory.create_batch(3, consultation=consultation)
    return consultation, options


def vote_url(consultation):
    return reverse("consultations:vote", kwargs={"pk": consultation.pk})


def test_vote_page_offers_radio_buttons_in_a_fieldset_for_a_single_choice(client_for):
    consultation, options = vote_consultation()

    response = client_for(CitizenFactory()).get(vote_url(consultation))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<fieldset" in html and "<legend>" in html
    assert html.count('type="radio" name="options"') == 3
    assert 'type="checkbox"' not in html


def test_vote_cast_records_the_ballot_and_shows_the_voter_their_choice(client_for):
    consultation, options = vote_consultation()
    client = client_for(CitizenFactory())

    response = client.post(vote_url(consultation), {"options": [options[1].pk]}, follow=True)

    assert response.status_code == 200
    ballot = Ballot.objects.get()
    assert [option.pk for option in ballot.options.all()] == [options[1].pk]
    html = response.content.decode()
    assert "Your vote is recorded" in html
    assert options[1].title in html


def test_vote_cast_twice_keeps_one_vote(client_for):
    consultation, options = vote_consultation()
    client = client_for(CitizenFactory())
    client.post(vote_url(consultation), {"options": [options[0].pk]})

    response = client.post(vote_url(consultation), {"options": [options[1].pk]})

    assert response.status_code == 409
    assert "You have already voted in this consultation." in response.content.decode()
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.get().option == options[0]


def test_ballot_cast_a_second_time_is_refused_by_the_database_constraint():
    consultation, options = vote_consultation()
    voter = CitizenFactory()
    ballot_cast(consultation=consultation, voter=voter, option_ids=[options[0].pk])

    with pytest.raises(ValidationError) as refused:
        ballot_cast(consultation=consultation, voter=voter, option_ids=[options[1].pk])

    assert refused.value.code == "already_voted"
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (datetime.timedelta(days=1), datetime.timedelta(days=8), "Voting has not started yet"),
        (-datetime.timedelta(days=8), -datetime.timedelta(seconds=1), "Voting closed on"),
    ],
    ids=["before opening", "after closing"],
)
def test_vote_outside_the_dates_is_refused(client_for, opens, closes, message):
    now = timezone.now()
    consultation, options = vote_consultation(opens_at=now + opens, closes_at=now + closes)

    response = client_for(CitizenFactory()).post(
        vote_url(consultation), {"options": [options[0].pk]}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_cast_after_closing_is_refused_by_the_service():
    now = timezone.now()
    consultation, options = vote_consultation(
        opens_at=now - datetime.timedelta(days=8), closes_at=now
    )

    with pytest.raises(ValidationError) as refused:
        ballot_cast(consultation=consultation, voter=CitizenFactory(), option_ids=[options[0].pk])

    assert refused.value.code == "closed"
    assert not Ballot.objects.exists()


def test_vote_for_an_option_of_another_consultation_is_refused(client_for):
    consultation, _options = vote_consultation()
    _other, other_options = vote_consultation()

    response = client_for(CitizenFactory()).post(
        vote_url(consultation), {"options": [other_options[0].pk]}
    )

    assert response.status_code == 400
    assert "Choose among the options of this vote." in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_cast_with_an_option_of_another_consultation_stores_nothing():
    consultation, options = vote_consultation(max_choices=2)
    _other, other_options = vote_consultation()

    with pytest.raises(ValidationError) as refused:
        ballot_cast(
            consultation=consultation,
            voter=CitizenFactory(),
            option_ids=[options[0].pk, other_options[0].pk],
        )

    assert refused.value.code == "invalid_option"
    assert not Ballot.objects.exists()
    assert not BallotChoice.objects.exists()


def test_vote_with_more_choices_than_allowed_is_refused(client_for):
    consultation, options = vote_consultation(max_choices=2)

    response = client_for(CitizenFactory()).post(
        vote_url(consultation), {"options": [option.pk for option in options]}
    )

    assert response.status_code == 400
    assert "Choose at most 2 options." in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_cast_with_more_choices_than_allowed_is_refused_by_the_service():
    consultation, options = vote_consultation(max_choices=1)

    with pytest.raises(ValidationError) as refused:
        ballot_cast(
            consultation=consultation,
            voter=CitizenFactory(),
            option_ids=[options[0].pk, options[1].pk],
        )

    assert refused.value.code == "too_many"


def test_vote_without_a_choice_is_refused(client_for):
    consultation, _options = vote_consultation()

    response = client_for(CitizenFactory()).post(vote_url(consultation), {})

    assert response.status_code == 400
    assert "Choose an option." in response.content.decode()
    assert not Ballot.objects.exists()


def test_vote_with_checkboxes_records_several_choices(client_for):
    consultation, options = vote_consultation(max_choices=2)
    client = client_for(CitizenFactory())

    page = client.get(vote_url(consultation)).content.decode()
    response = client.post(vote_url(consultation), {"options": [options[0].pk, options[2].pk]})

    assert page.count('type="checkbox" name="options"') == 3
    assert "Choose up to 2 options." in page
    assert response.status_code == 302
    assert {choice.option_id for choice in BallotChoice.objects.all()} == {
        options[0].pk,
        options[2].pk,
    }


def test_vote_asks_an_anonymous_visitor_to_log_in(client):
    consultation, options = vote_consultation()

    response = client.post(vote_url(consultation), {"options": [options[0].pk]})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Ballot.objects.exists()


def test_vote_refuses_an_account_without_a_confirmed_email(client_for):
    consultation, options = vote_consultation()

    response = client_for(UserFactory()).post(vote_url(consultation), {"options": [options[0].pk]})

    assert response.status_code == 403
    assert reverse("accounts:login") in response.content.decode()
    assert not Ballot.objects.exists()


def test_vote_page_of_a_consultation_without_options_is_not_found(client_for):
    consultation = ConsultationFactory()

    assert client_for(CitizenFactory()).get(vote_url(consultation)).status_code == 404


def test_vote_results_are_hidden_until_closing_when_shown_after_closing(client):
    consultation, options = vote_consultation(
        results_visibility=Consultation.ResultsVisibility.AFTER_CLOSING
    )
    BallotChoiceFactory(ballot__consultation=consultation, option=options[0])

    response = client.get(consultation.get_absolute_url())

    html = response.content.decode()
    assert "Results so far" not in html
    assert "Votes per option" not in html
    assert "Results are published when the vote closes." in html


def test_vote_results_are_shown_live_when_staff_chose_live(client):
    consultation, options = vote_consultation(
        results_visibility=Consultation.ResultsVisibility.LIVE
    )
    BallotChoiceFactory(ballot__consultation=consultation, option=options[0])
    BallotChoiceFactory(ballot__consultation=consultation, option=options[0])
    BallotChoiceFactory(ballot__consultation=consultation, option=options[1])

    html = client.get(consultation.get_absolute_url()).content.decode()

    assert "Results so far" in html
    assert "3 ballots cast." in html
    assert "67%" in html and "33%" in html


def test_vote_results_are_shown_once_the_consultation_closed(client):
    now = timezone.now()
    consultation, options = vote_consultation(
        opens_at=now - datetime.timedelta(days=10), closes_at=now - datetime.timedelta(days=1)
    )
    BallotChoiceFactory(ballot__consultation=consultation, option=options[2])

    html = client.get(consultation.get_absolute_url()).content.decode()

    assert "Results of the vote" in html
    assert "1 ballot cast." in html
    assert "100%" in html


# Twenty submissions at the same instant, through a real server


def _post_form(url, data, cookie_header, results, index, barrier):
    body = urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(  # noqa: S310 - the live server's http URL
        url,
        data=body,
        method="POST",
        headers={
            "Cookie": cookie_header,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": url,
        },
    )
    barrier.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            results[index] = response.status
    except urllib.error.HTTPError as error:
        results[index] = error.code
    except Exception as error:  # noqa: BLE001 - reported by the assertion below
        results[index] = repr(error)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_vote_under_twenty_concurrent_posts_on_postgresql_stores_exactly_one_ballot(
    live_server,
):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writes need PostgreSQL (SQLite serialises every write)")
    consultation, options = vote_consultation()
    client = Client()
    client.force_login(CitizenFactory())
    url = live_server.url + vote_url(consultation)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # A CSRF cookie and token from the form itself, as a browser would get them.
    session = f"{settings.SESSION_COOKIE_NAME}={session_cookie}"
    page = urllib.request.Request(url, headers={"Cookie": session})  # noqa: S310
    with urllib.request.urlopen(page, timeout=30) as response:  # noqa: S310
        html = response.read().decode()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie"):
            cookies.load(header)
    csrf_cookie = cookies[settings.CSRF_COOKIE_NAME].value
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    cookie_header = f"{session}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}"
    urllib.request.install_opener(urllib.request.build_opener(_NoRedirect))
    try:
        results = [None] * 20
        barrier = threading.Barrier(20)
        threads = [
            threading.Thread(
                target=_post_form,
                args=(
                    url,
                    {"csrfmiddlewaretoken": token, "options": [options[index % 3].pk]},
                    cookie_header,
                    results,
                    index,
                    barrier,
                ),
            )
            for index in range(20)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    finally:
        urllib.request.install_opener(None)

    assert all(isinstance(status, int) and 200 <= status < 500 for status in results), results
    assert results.count(302) == 1, results
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 1
