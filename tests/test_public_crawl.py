"""An anonymous visitor who follows every link of the site (pages, feeds,
calendars, exports, the API) never meets a citizen's email address or phone
number, although citizens commented, proposed, voted, followed, sent
feedback and reported abuse with them in their accounts."""

import io
import re
import zipfile
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone

from consultations.models import Comment, Consultation, Feedback, Proposal
from tests.factories import (
    ActionPlanFactory,
    BallotChoiceFactory,
    CitizenFactory,
    CommentFactory,
    CommentFlagFactory,
    CommitmentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
    FeedbackFactory,
    FollowFactory,
    MeetingFactory,
    MilestoneFactory,
    ProposalFactory,
    VoteOptionFactory,
)

pytestmark = pytest.mark.django_db

CITIZEN_EMAILS = [
    "nino.secret@example.org",
    "giorgi.private@example.org",
    "anon.sender@example.org",
]
CITIZEN_PHONES = ["+995555123456", "+573001234567", "+995 555 12 34 56", "555123456"]
# Where the crawl never goes: pages for staff and signed-in people, files.
SKIPPED_PREFIXES = ("/static/", "/media/", "/i18n/")
SKIPPED_PARTS = ("/admin/", "/accounts/")
MAX_PAGES = 1500


@pytest.fixture
def citizens_data():
    plan = ActionPlanFactory(slug="open-city", title="OPEN-CITY-PLAN")
    commitment = CommitmentFactory(plan=plan, identifier="OC0001", title="OPEN-COMMITMENT")
    MilestoneFactory(commitment=commitment)
    MeetingFactory(plan=plan, title="OPEN-MEETING")
    now = timezone.now()
    consultation = ConsultationFactory(
        plan=plan,
        title="OPEN-CONSULTATION",
        subject=Consultation.Subject.INITIATIVES,
        results_visibility=Consultation.ResultsVisibility.LIVE,
        allow_anonymous_comments=True,
    )
    section = ConsultationSectionFactory(consultation=consultation, title="OPEN-SECTION")
    closed = ConsultationFactory(
        plan=plan,
        title="CLOSED-CONSULTATION",
        opens_at=now - timezone.timedelta(days=30),
        closes_at=now - timezone.timedelta(days=1),
    )

    nino = CitizenFactory(email=CITIZEN_EMAILS[0], username="nino-login")
    nino.citizen_profile.display_name = "Nino"
    nino.citizen_profile.phone = CITIZEN_PHONES[0]
    nino.citizen_profile.sms_notifications = True
    nino.citizen_profile.save()
    giorgi = CitizenFactory(email=CITIZEN_EMAILS[1], username="giorgi-login")
    giorgi.citizen_profile.display_name = "Giorgi"
    giorgi.citizen_profile.phone = CITIZEN_PHONES[1]
    giorgi.citizen_profile.save()

    for author in (nino, giorgi):
        top = CommentFactory(plan=plan, author=author, body=f"PLAN-COMMENT {author.pk}")
        CommentFactory(plan=plan, author=giorgi, parent=top, body="PLAN-REPLY")
        CommentFactory(plan=plan, commitment=commitment, author=author, body="COMMITMENT-COMMENT")
        CommentFactory(plan=plan, consultation=consultation, author=author, body="CONSULT-COMMENT")
        CommentFactory(
            plan=plan, consultation=consultation, section=section, author=author, body="SECTION-C"
        )
        ProposalFactory(consultation=consultation, author=author, title="OPEN-PROPOSAL")
        ProposalFactory(
            consultation=closed,
            author=author,
            title="RETAINED-PROPOSAL",
            status=Proposal.Status.SELECTED,
            public_reason="Feasible this year.",
        )
        FollowFactory(user=author, commitment=commitment)
        FollowFactory(user=author, commitment=None, plan=plan)
    CommentFactory(
        plan=plan, consultation=consultation, author=None, is_anonymous=True,
        status=Comment.Status.PUBLISHED, body="ANONYMOUS-COMMENT",
    )  # fmt: skip
    flagged = CommentFactory(plan=plan, author=nino, body="FLAGGED-COMMENT")
    CommentFlagFactory(comment=flagged, reporter=giorgi, details=f"Call me {CITIZEN_PHONES[2]}")
    option = VoteOptionFactory(consultation=consultation, title="OPEN-OPTION")
    BallotChoiceFactory(ballot__consultation=consultation, ballot__voter=nino, option=option)
    BallotChoiceFactory(ballot__consultation=consultation, ballot__voter=giorgi, option=option)

    FeedbackFactory(
        commitment=commitment, plan=plan, author=nino, email=CITIZEN_EMAILS[0], name="Nino",
        ip_address="203.0.113.9", body=f"My number is {CITIZEN_PHONES[3]}",
    )  # fmt: skip
    FeedbackFactory(email=CITIZEN_EMAILS[2], name="Sender", ip_address="203.0.113.10")
    answered = FeedbackFactory(email=CITIZEN_EMAILS[1], name="Giorgi")
    answered.answer = "Thank you."
    answered.answered_at = answered.submitted_at + timezone.timedelta(hours=2)
    answered.save()
    FeedbackFactory(
        is_anonymous=True, name="", email="", category=Feedback.Category.CORRUPTION
    )  # fmt: skip


def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:  # XLSX: a zip of XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
JSON_URL = re.compile(r'"(https?://testserver/[^"]+)"')


def links_in(base: str, text: str) -> list[str]:
    found = [urljoin(base, link) for link in LINK.findall(text)] + JSON_URL.findall(text)
    paths = []
    for link in found:
        parts = urlsplit(link.replace("&amp;", "&"))
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(SKIPPED_PREFIXES) or any(part in path for part in SKIPPED_PARTS):
            continue
        paths.append(path)
    return paths


def crawl(client, starts) -> dict[str, str]:
    seen, pages = set(starts), {}
    queue = deque(starts)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200:
            continue
        text = text_of(response)
        pages[path] = text
        content_type = response.get("Content-Type", "")
        if "html" in content_type or "json" in content_type or "xml" in content_type:
            for link in links_in(path, text):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return pages


def test_anonymous_crawl_finds_no_citizen_email_or_phone(client, citizens_data):
    # The embeddable pages are given to other sites as code, not linked.
    starts = ["/en/", "/ar/", "/fr/feeds/changes.atom", "/api/v1/",
              "/en/embed/plans/open-city/", "/en/embed/commitments/OC0001/"]  # fmt: skip
    pages = crawl(client, starts)

    everything = "\n".join(pages.values())
    # The crawl reached what citizens wrote...
    reached = ["COMMITMENT-COMMENT", "PLAN-REPLY", "OPEN-PROPOSAL", "RETAINED-PROPOSAL",
               "OPEN-CONSULTATION", "SECTION-C", "OPEN-OPTION", "Nino", "Giorgi"]  # fmt: skip
    for expected in reached:
        assert expected in everything, expected
    # ...and never the addresses and numbers of their accounts and feedback.
    for path, text in pages.items():
        for secret in [*CITIZEN_EMAILS, *CITIZEN_PHONES, "nino-login", "giorgi-login",
                       "203.0.113."]:  # fmt: skip
            assert secret not in text, (secret, path)
    # ...through every kind of public interface.
    for kind in [".rss", ".atom", ".ics", ".csv", ".xlsx", "/api/v1/consultations/", "/embed/",
                 "/consultations/", "/co-creation/", "/reports/"]:  # fmt: skip
        assert any(kind in path for path in pages), kind
