"""A citizen's participation in a real browser, from sign-up to feedback.

The citizen signs up, confirms their email from the link in the test mailbox,
comments on a commitment, submits a proposal, votes, follows the commitment
and sends feedback; staff change a milestone and the follower is emailed
once. Every page of the way has no WCAG 2.1 A/AA violation (axe-core), in
English and in Arabic (right to left), at phone and desktop widths.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from commitments.models import Milestone
from consultations.models import Ballot, Comment, Feedback, Follow, Proposal
from tests.browser.conftest import restore_staff_groups
from tests.browser.test_monitoring import Checker
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
    MilestoneFactory,
    VoteOptionFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]

EMAIL = "tamar.citizen@example.org"
PASSWORD = "open-budget-for-kutaisi-2025"
COMMENT = "Please publish the spending data every month, not every quarter."
PROPOSAL = "Publish contracts above 10,000 GEL within a week of signature."


@pytest.fixture
def participation_site(transactional_db, live_server, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    settings.PORTAL_BASE_URL = live_server.url
    restore_staff_groups()
    today = timezone.localdate()
    plan = ActionPlanFactory(
        title="Kutaisi open budget plan",
        slug="kutaisi-open-budget",
        period_start=today - datetime.timedelta(days=200),
        period_end=today + datetime.timedelta(days=200),
    )
    commitment = CommitmentFactory(
        plan=plan, identifier="KU0001", title="Publish the city budget as open data"
    )
    milestone = MilestoneFactory(commitment=commitment, title="Budget portal online")
    consultation = ConsultationFactory(
        plan=plan,
        title="Which initiative should the city take up next?",
        accepts_proposals=True,
        results_visibility="live",
    )
    ConsultationSectionFactory(consultation=consultation, title="Open contracting")
    for title in ["Open council meetings", "Participatory budget", "Budget kiosks"]:
        VoteOptionFactory(consultation=consultation, title=title)
    return {
        "url": live_server.url,
        "commitment": commitment,
        "milestone": milestone,
        "consultation": consultation,
    }


def confirmation_link() -> str:
    [message] = [m for m in mail.outbox if EMAIL in m.to]
    return re.search(r"https?://\S+/signup/confirm/\S+/", message.body)[0]


def test_citizen_signs_up_comments_proposes_votes_follows_and_sends_feedback(
    page, participation_site, artifacts
):
    site = participation_site
    checker = Checker(artifacts, prefix="participation")

    # Sign up.
    page.goto(site["url"] + "/en/accounts/signup/")
    checker.check_in_both_languages(page, "signup", screenshot=True)
    page.fill("#id_email", EMAIL)
    page.fill("#id_display_name", "Tamar")
    page.fill("#id_password", PASSWORD)
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/signup/done/" in page.url
    checker.check_in_both_languages(page, "signup-done")

    # Confirm the email address from the link in the mailbox.
    page.goto(confirmation_link())
    checker.check(page, "signup-confirm")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/profile/" in page.url
    checker.check_in_both_languages(page, "profile", screenshot=True)

    # Comment on the commitment, and follow it.
    page.goto(site["url"] + "/en/commitments/KU0001/")
    page.fill("#comment_body", COMMENT)
    with page.expect_navigation():
        page.click("button:has-text('Publish comment')")
    assert page.locator("main").get_by_text(COMMENT).is_visible()
    with page.expect_navigation():
        page.click("button:has-text('Follow this commitment')")
    assert page.locator("button:has-text('Stop following this commitment')").is_visible()
    checker.check_in_both_languages(page, "commitment-signed-in", screenshot=True)

    # Propose, then vote.
    consultation = site["consultation"]
    page.goto(f"{site['url']}/en/consultations/{consultation.pk}/")
    checker.check_in_both_languages(page, "consultation", screenshot=True)
    page.goto(f"{site['url']}/en/consultations/{consultation.pk}/propose/")
    checker.check_in_both_languages(page, "propose")
    page.fill("#id_title", "Open contracts")
    page.fill("#id_body", PROPOSAL)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.get_by_text(PROPOSAL).first.is_visible()

    page.goto(f"{site['url']}/en/consultations/{consultation.pk}/vote/")
    checker.check_in_both_languages(page, "vote", screenshot=True)
    page.get_by_label("Participatory budget").check()
    with page.expect_navigation():
        page.click("main button[type=submit]")
    checker.check_in_both_languages(page, "voted", screenshot=True)

    # Send feedback about the commitment.
    page.goto(site["url"] + "/en/commitments/KU0001/")
    with page.expect_navigation():
        page.click("text=Send feedback about this commitment")
    checker.check_in_both_languages(page, "feedback", screenshot=True)
    page.fill("#id_body", "When will the 2025 budget be online?")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/feedback/sent/" in page.url
    checker.check(page, "feedback-sent")

    # What the browser did is in the database, once.
    assert Comment.objects.get().body == COMMENT
    assert Proposal.objects.get().body == PROPOSAL
    ballot = Ballot.objects.get()
    assert [option.title for option in ballot.options.all()] == ["Participatory budget"]
    assert Follow.objects.get().commitment == site["commitment"]
    feedback = Feedback.objects.get()
    assert feedback.email == EMAIL and feedback.commitment == site["commitment"]

    # Staff complete the milestone: the follower hears of it once.
    mail.outbox.clear()
    milestone = site["milestone"]
    milestone.status = Milestone.Status.COMPLETED
    milestone.completion_date = timezone.localdate()
    milestone.save()
    assert [message.to for message in mail.outbox] == [[EMAIL]]

    # An anonymous visitor sees the comment with the public name, not the email.
    page.context.clear_cookies()
    page.goto(site["url"] + "/en/commitments/KU0001/")
    main = page.locator("main").inner_text()
    assert COMMENT in main and "Tamar" in main and EMAIL not in page.content()
    checker.check_in_both_languages(page, "commitment-anonymous")
    page.goto(f"{site['url']}/en/feedback/responsiveness/")
    checker.check_in_both_languages(page, "responsiveness", screenshot=True)

    checker.assert_clean()
