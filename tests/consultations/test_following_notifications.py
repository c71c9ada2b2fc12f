"""Following plans and commitments, the notices of their changes (email and
text message, one per change per follower), and one-click unsubscribing."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from commitments.models import Commitment, Milestone
from consultations import sms
from consultations.models import Follow, Notification
from consultations.notifications import notify_history_change, notify_report_published
from consultations.services.citizens import unsubscribe_token
from monitoring import services as monitoring_services
from monitoring.models import Report
from plans.models import ActionPlan
from tests.factories import (
    ActionPlanFactory,
    CitizenFactory,
    CitizenProfileFactory,
    CommitmentFactory,
    FollowFactory,
    MilestoneFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FOLLOW = reverse("consultations:follow")
UNFOLLOW = reverse("consultations:unfollow")


@pytest.fixture(autouse=True)
def empty_outboxes():
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def commitment(db):
    return CommitmentFactory()


@pytest.fixture
def milestone(commitment):
    return MilestoneFactory(commitment=commitment)


def change_status(milestone, status, committed):
    with committed(execute=True):
        milestone.status = status
        milestone.save()


# ---------------------------------------------------------------- following


def test_citizen_follows_and_unfollows_a_commitment(client_for, commitment):
    citizen = CitizenFactory()
    client = client_for(citizen)

    response = client.post(FOLLOW, {"kind": "commitment", "id": commitment.pk})

    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    assert Follow.objects.filter(user=citizen, commitment=commitment).count() == 1
    client.post(FOLLOW, {"kind": "commitment", "id": commitment.pk})  # twice: still one
    assert Follow.objects.filter(user=citizen, commitment=commitment).count() == 1

    client.post(UNFOLLOW, {"kind": "commitment", "id": commitment.pk})

    assert not Follow.objects.filter(user=citizen).exists()


def test_citizen_follows_a_plan_and_goes_back_where_they_were(client_for):
    plan = ActionPlanFactory()
    citizen = CitizenFactory()

    response = client_for(citizen).post(
        FOLLOW, {"kind": "plan", "id": plan.pk, "next": "/en/commitments/"}
    )

    assert response["Location"] == "/en/commitments/"
    assert Follow.objects.filter(user=citizen, plan=plan).exists()


def test_follow_refuses_a_next_address_on_another_site(client_for, commitment):
    response = client_for(CitizenFactory()).post(
        FOLLOW, {"kind": "commitment", "id": commitment.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == commitment.get_absolute_url()


@pytest.mark.parametrize("kind", ["commitment", "plan"])
def test_unpublished_subjects_cannot_be_followed(client_for, kind):
    draft_plan = ActionPlanFactory(status=ActionPlan.Status.DRAFT)
    hidden = CommitmentFactory(is_published=False)
    pk = hidden.pk if kind == "commitment" else draft_plan.pk

    response = client_for(CitizenFactory()).post(FOLLOW, {"kind": kind, "id": pk})

    assert response.status_code == 404
    assert not Follow.objects.exists()


@pytest.mark.parametrize("data", [{"kind": "meeting", "id": 1}, {"kind": "plan", "id": "x"}, {}])
def test_follow_with_bad_input_answers_404(client_for, data):
    assert client_for(CitizenFactory()).post(FOLLOW, data).status_code == 404


def test_anonymous_follow_is_sent_to_the_login_page(client, commitment):
    response = client.post(FOLLOW, {"kind": "commitment", "id": commitment.pk})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Follow.objects.exists()


def test_account_without_a_citizen_profile_cannot_follow(client_for, commitment):
    response = client_for(UserFactory(is_staff=True)).post(
        FOLLOW, {"kind": "commitment", "id": commitment.pk}
    )

    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_follow_and_unfollow_flood_is_cut_off(client_for, commitment, settings):
    settings.PARTICIPATION_RATE_PER_ACCOUNT = "3/m"
    client = client_for(CitizenFactory())
    data = {"kind": "commitment", "id": commitment.pk}

    statuses = [client.post(url, data).status_code for url in (FOLLOW, UNFOLLOW) * 3]

    assert statuses == [302, 302, 302, 429, 429, 429]
    assert Follow.objects.filter(commitment=commitment).count() == 1


def test_follow_is_post_only(client_for, commitment):
    assert client_for(CitizenFactory()).get(FOLLOW).status_code == 405


# -------------------------------------------------------------- the button


def render_button(subject, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load following %}{% follow_button subject %}")
    return template.render(Context({"subject": subject, "request": request, "csrf_token": "t"}))


def test_follow_button_for_anonymous_visitors_is_a_login_link_without_queries(
    commitment, django_assert_num_queries
):
    with django_assert_num_queries(0):
        html = render_button(commitment, AnonymousUser())

    assert "<form" not in html
    assert "Follow this commitment" in html
    assert f"/en/accounts/login/?next={commitment.get_absolute_url().replace('/', '%2F')}" in html


def test_follow_button_for_a_citizen_takes_one_query(commitment, django_assert_num_queries):
    citizen = CitizenFactory()

    with django_assert_num_queries(1):
        html = render_button(commitment, citizen)
    assert f'action="{FOLLOW}"' in html
    assert "Follow this commitment" in html

    Follow.objects.create(user=citizen, commitment=commitment)
    with django_assert_num_queries(1):
        html = render_button(commitment, citizen)
    assert f'action="{UNFOLLOW}"' in html
    assert "Stop following this commitment" in html


def test_follow_button_shows_nothing_to_an_account_that_may_not_follow(commitment):
    html = render_button(commitment.plan, UserFactory(is_staff=True))

    assert "<form" not in html
    assert "Follow" not in html


def test_detail_pages_show_the_button(client, client_for, commitment):
    anonymous = client.get(commitment.get_absolute_url()).content.decode()
    signed_in = client_for(CitizenFactory()).get(commitment.get_absolute_url()).content.decode()
    plan_page = client.get(commitment.plan.get_absolute_url()).content.decode()

    assert "Follow this commitment" in anonymous
    assert f'action="{FOLLOW}"' not in anonymous
    assert f'action="{FOLLOW}"' in signed_in
    assert "Follow this plan" in plan_page


def test_commitment_page_queries_stay_flat_for_a_follower_as_follows_grow(client_for, commitment):
    citizen = CitizenFactory()
    Follow.objects.create(user=citizen, commitment=commitment)
    client = client_for(citizen)
    client.get(commitment.get_absolute_url())  # warm up (session, content types)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(commitment.get_absolute_url()).status_code == 200
        return len(queries)

    before = count()
    FollowFactory.create_batch(20, commitment=commitment)
    FollowFactory.create_batch(5, commitment=None, plan=commitment.plan)

    assert count() == before


# ------------------------------------------------------------ notifications


def test_one_notification_per_change_for_a_follower_of_plan_and_commitment(
    commitment, milestone, django_capture_on_commit_callbacks
):
    citizen = CitizenFactory(email="both@example.org")
    Follow.objects.create(user=citizen, commitment=commitment)
    Follow.objects.create(user=citizen, plan=commitment.plan)

    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(user=citizen).count() == 1
    assert [message.to for message in mail.outbox] == [["both@example.org"]]
    message = mail.outbox[0]
    assert commitment.identifier in message.subject
    assert "Not started → In progress" in message.body
    assert f"http://127.0.0.1:8000{commitment.get_absolute_url()}" in message.body
    assert "/en/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(user=citizen).emailed_at is not None


def test_running_the_task_again_sends_nothing_more(
    commitment, milestone, django_capture_on_commit_callbacks
):
    FollowFactory(commitment=commitment)
    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)
    record = milestone.history.latest()

    again = notify_history_change.call(model="commitments.milestone", history_id=record.pk)

    assert again == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_two_followers_get_one_email_each(
    commitment, milestone, django_capture_on_commit_callbacks
):
    FollowFactory(commitment=commitment, user=CitizenFactory(email="a@example.org"))
    FollowFactory(commitment=None, plan=commitment.plan, user=CitizenFactory(email="b@example.org"))
    FollowFactory(commitment=CommitmentFactory(), user=CitizenFactory(email="c@example.org"))

    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]


def test_each_follower_is_told_in_the_language_of_their_profile(
    commitment, milestone, django_capture_on_commit_callbacks
):
    FollowFactory(commitment=commitment, user=CitizenFactory(email="en@example.org"))
    FollowFactory(
        commitment=commitment,
        user=CitizenFactory(email="ar@example.org", profile__language="ar"),
    )
    FollowFactory(
        commitment=None,
        plan=commitment.plan,
        user=CitizenFactory(email="fr@example.org", profile__language="fr"),
    )

    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)

    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == ["ar@example.org", "en@example.org", "fr@example.org"]
    assert Notification.objects.count() == 3
    for language in ("en", "ar", "fr"):
        with translation.override(language):
            statuses = [
                str(Milestone.Status.NOT_STARTED.label),
                str(Milestone.Status.IN_PROGRESS.label),
            ]
        message = sent[f"{language}@example.org"]
        assert all(status in message.body for status in statuses), message.body
        assert f"/{language}/commitments/{commitment.identifier}/" in message.body
        assert f"/{language}/unsubscribe/" in message.body
    assert "Not started → In progress" in sent["en@example.org"].body
    assert "Not started" not in sent["ar@example.org"].body
    assert "Not started" not in sent["fr@example.org"].body


def test_a_save_that_changes_nothing_relevant_tells_nobody(
    commitment, milestone, django_capture_on_commit_callbacks
):
    FollowFactory(commitment=commitment)

    with django_capture_on_commit_callbacks(execute=True):
        milestone.evidence = "Minutes of the meeting."
        milestone.save()
        commitment.objective = "Reworded."
        commitment.save()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_milestone_dates_change_is_notified(
    commitment, milestone, django_capture_on_commit_callbacks
):
    FollowFactory(commitment=commitment)

    with django_capture_on_commit_callbacks(execute=True):
        milestone.end_date = datetime.date(2024, 6, 30)
        milestone.save()

    assert len(mail.outbox) == 1
    assert "End date" in mail.outbox[0].body


def test_changes_to_an_unpublished_commitment_tell_nobody(django_capture_on_commit_callbacks):
    hidden = CommitmentFactory(is_published=False)
    milestone = MilestoneFactory(commitment=hidden)
    Follow.objects.create(user=CitizenFactory(), commitment=hidden)
    Follow.objects.create(user=CitizenFactory(), plan=hidden.plan)

    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        hidden.irm_completion = Commitment.Completion.SUBSTANTIAL
        hidden.save()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_rolled_back_change_tells_nobody(
    commitment, milestone, django_capture_on_commit_callbacks
):
    from django.db import transaction

    FollowFactory(commitment=commitment)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        milestone.status = Milestone.Status.DELAYED
        milestone.save()
        raise RuntimeError

    assert mail.outbox == []


def test_commitment_publication_and_irm_completion_are_notified(
    django_capture_on_commit_callbacks,
):
    commitment = CommitmentFactory(is_published=False)
    follower = CitizenFactory()
    Follow.objects.create(user=follower, plan=commitment.plan)

    with django_capture_on_commit_callbacks(execute=True):
        commitment.is_published = True
        commitment.save()
    with django_capture_on_commit_callbacks(execute=True):
        commitment.irm_completion = Commitment.Completion.SUBSTANTIAL
        commitment.save()

    assert Notification.objects.filter(user=follower).count() == 2
    assert "now published" in mail.outbox[0].body
    assert "Substantial" in mail.outbox[1].body


def test_plan_status_change_is_notified_to_its_followers(django_capture_on_commit_callbacks):
    plan = ActionPlanFactory()
    FollowFactory(commitment=None, plan=plan, user=CitizenFactory(email="plan@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        plan.status = ActionPlan.Status.IN_IMPLEMENTATION
        plan.save()

    assert [message.to for message in mail.outbox] == [["plan@example.org"]]
    assert "In implementation" in mail.outbox[0].body


def test_published_report_tells_the_followers_of_the_plans_commitments(
    commitment, django_capture_on_commit_callbacks
):
    FollowFactory(commitment=commitment, user=CitizenFactory(email="c@example.org"))
    report = ReportFactory(period__plan=commitment.plan)
    editor = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        monitoring_services.report_publish(report=report, by=editor)

    notices = [message for message in mail.outbox if message.to == ["c@example.org"]]
    assert len(notices) == 1
    assert report.get_absolute_url() in notices[0].body
    assert notify_report_published.call(report_id=report.pk) == 0  # once only


def test_unpublished_report_tells_nobody(commitment):
    FollowFactory(commitment=commitment)
    report = ReportFactory(period__plan=commitment.plan, status=Report.Status.SUBMITTED)

    assert notify_report_published.call(report_id=report.pk) == 0
    assert mail.outbox == []


def test_text_message_goes_to_followers_with_a_phone_who_asked_for_it(
    commitment, milestone, django_capture_on_commit_callbacks
):
    texting = CitizenProfileFactory(phone="+995599123456", sms_notifications=True).user
    silent = CitizenProfileFactory(phone="+995599000000", sms_notifications=False).user
    no_phone = CitizenFactory()
    for user in (texting, silent, no_phone):
        Follow.objects.create(user=user, commitment=commitment)

    change_status(milestone, Milestone.Status.DELAYED, django_capture_on_commit_callbacks)

    assert [message.to for message in sms.outbox] == ["+995599123456"]
    assert commitment.get_absolute_url() in sms.outbox[0].body
    assert len(mail.outbox) == 3
    assert Notification.objects.get(user=texting).texted_at is not None
    assert Notification.objects.get(user=silent).texted_at is None


def test_inactive_accounts_are_not_notified(
    commitment, milestone, django_capture_on_commit_callbacks
):
    follower = CitizenFactory(is_active=False)
    Follow.objects.create(user=follower, commitment=commitment)

    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)

    assert mail.outbox == []


# --------------------------------------------------------------- unsubscribe


def unsubscribe_path(token):
    return reverse("consultations:unsubscribe", args=[token])


def test_unsubscribe_get_asks_and_post_stops_the_follow():
    follow = FollowFactory()
    path = unsubscribe_path(unsubscribe_token(follow=follow))
    client = Client(enforce_csrf_checks=True)

    page = client.get(path)
    assert page.status_code == 200
    assert "<form" in page.content.decode()
    assert Follow.objects.filter(pk=follow.pk).exists()

    done = client.post(path)  # no CSRF token: one-click from the email

    assert done.status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert client.post(path).status_code == 200  # used twice: harmless


def test_one_click_unsubscribe_post_from_a_mail_provider_works():
    follow = FollowFactory()
    path = unsubscribe_path(unsubscribe_token(follow=follow))

    response = Client(enforce_csrf_checks=True).post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Follow.objects.exists()


def test_stop_all_notices_removes_every_follow_of_that_account_only():
    citizen = CitizenFactory()
    FollowFactory(user=citizen)
    FollowFactory(user=citizen, commitment=None, plan=ActionPlanFactory())
    other = FollowFactory()

    Client().post(unsubscribe_path(unsubscribe_token(user_id=citizen.pk)))

    assert list(Follow.objects.all()) == [other]


def test_tampered_unsubscribe_token_is_refused():
    follow = FollowFactory()
    token = unsubscribe_token(follow=follow)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    assert Client().get(unsubscribe_path(tampered)).status_code == 400
    assert Client().post(unsubscribe_path(tampered)).status_code == 400
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_unsubscribe_link_in_the_email_works(
    commitment, milestone, django_capture_on_commit_callbacks
):
    follow = FollowFactory(commitment=commitment)
    change_status(milestone, Milestone.Status.IN_PROGRESS, django_capture_on_commit_callbacks)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = re.search(r"<https?://[^/]+(/[^>]+)>", header).group(1)

    Client().post(path)

    assert not Follow.objects.filter(pk=follow.pk).exists()
