"""No unpublished item and no personal data in the open interfaces: a crawl
of every API list and detail, every feed, calendar and embeddable page finds
none of the secrets planted around the public data."""

import datetime
import json

import pytest

from commitments.models import Milestone
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    MeetingFactory,
    MilestoneFactory,
    MonitoringBodyFactory,
    MonitoringBodyMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    # staff who edit, and their accounts
    "staff-editor-login",
    "staff-editor@example.org",
    "Ketevan",
    "Beridze",
    # monitoring body members' emails, consented or not, and the body's phone
    "member-private@example.org",
    "member-consented@example.org",
    "+995 431 24 00 00",
    # unpublished things and everything in them
    "UNPUBLISHED-COMMITMENT",
    "UNPUBLISHED-MILESTONE",
    "UNPUBLISHED-INDICATOR",
    "unpublished-contact@example.org",
    "DRAFT-PLAN",
    "DRAFT-COMMITMENT",
    "DRAFT-MEETING",
    "draft-body@example.org",
    "DRAFT-MEMBER",
    "DR0001",
    "PV0001",
]
PERSONAL_KEYS = {"email", "phone", "contact_phone", "user", "user_id", "username",
                 "history_user", "history_user_id", "accounts", "password"}  # fmt: skip


@pytest.fixture
def planted():
    editor = UserFactory(
        username="staff-editor-login",
        email="staff-editor@example.org",
        first_name="Ketevan",
        last_name="Beridze",
        is_staff=True,
    )
    plan = ActionPlanFactory(slug="public-plan", title="PUBLIC-PLAN")
    public = CommitmentFactory(plan=plan, identifier="PB0001", title="PUBLIC-COMMITMENT")
    milestone = MilestoneFactory(commitment=public, title="PUBLIC-MILESTONE")
    milestone.status = Milestone.Status.IN_PROGRESS
    milestone._history_user = editor
    milestone.save()
    public.objective = "Changed by staff."
    public._history_user = editor
    public.save()
    IndicatorFactory(commitment=public)
    MeetingFactory(plan=plan, title="PUBLIC-MEETING", start_time=datetime.time(10))
    body = MonitoringBodyFactory(
        plan=plan, contact_email="office@monitors.example.org", contact_phone="+995 431 24 00 00"
    )
    body.accounts.set([editor])
    MonitoringBodyMemberFactory(body=body, name="PUBLIC-MEMBER", email="member-private@example.org")
    MonitoringBodyMemberFactory(
        body=body, email="member-consented@example.org", email_is_public=True
    )

    hidden = CommitmentFactory(
        plan=plan,
        identifier="PV0001",
        title="UNPUBLISHED-COMMITMENT",
        description="Write to unpublished-contact@example.org",
        is_published=False,
    )
    MilestoneFactory(commitment=hidden, title="UNPUBLISHED-MILESTONE")
    IndicatorFactory(commitment=hidden, description="UNPUBLISHED-INDICATOR")

    draft = ActionPlanFactory(slug="draft-plan", title="DRAFT-PLAN", draft=True)
    CommitmentFactory(plan=draft, identifier="DR0001", title="DRAFT-COMMITMENT")
    MeetingFactory(plan=draft, title="DRAFT-MEETING")
    draft_body = MonitoringBodyFactory(plan=draft, contact_email="draft-body@example.org")
    MonitoringBodyMemberFactory(body=draft_body, name="DRAFT-MEMBER")
    return plan, public


def api_crawl(client) -> dict[str, str]:
    """Every API answer reachable from the root: all pages of every list, every detail."""
    pages = {}
    root = client.get("/api/v1/").json()
    for list_url in root.values():
        url = f"{list_url}?page_size=100"
        while url:
            data = client.get(url).json()
            pages[url] = json.dumps(data, ensure_ascii=False)
            for item in data["results"]:
                detail = item["api_url"]
                for lang in ["en", "fr"]:
                    response = client.get(f"{detail}?lang={lang}")
                    assert response.status_code == 200, detail
                    pages[f"{detail}?lang={lang}"] = json.dumps(response.json(), ensure_ascii=False)
            url = data["next"]
    return pages


def keys_of(value):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from keys_of(child)
    elif isinstance(value, list):
        for child in value:
            yield from keys_of(child)


def test_api_shows_no_unpublished_item_and_no_personal_data(client, planted):
    pages = api_crawl(client)

    everything = "\n".join(pages.values())
    for expected in ["PUBLIC-PLAN", "PUBLIC-COMMITMENT", "PUBLIC-MILESTONE", "PUBLIC-MEETING",
                     "PUBLIC-MEMBER", "office@monitors.example.org"]:  # fmt: skip
        assert expected in everything, expected
    for url, text in pages.items():
        for secret in SECRETS:
            assert secret not in text, (secret, url)
        assert not PERSONAL_KEYS & set(keys_of(json.loads(text))), url


def test_feeds_calendars_and_embeds_show_no_unpublished_item_and_no_personal_data(client, planted):
    urls = ["/en/feeds/changes.rss", "/fr/feeds/changes.atom"]
    for slug in ["public-plan"]:
        urls += [f"/en/plans/{slug}/changes.rss", f"/en/plans/{slug}/changes.atom",
                 f"/en/plans/{slug}/calendar.ics", f"/en/embed/plans/{slug}/"]  # fmt: skip
    urls += ["/en/commitments/PB0001/changes.rss", "/ar/commitments/PB0001/changes.atom",
             "/en/embed/commitments/PB0001/"]  # fmt: skip

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "PUBLIC-" in text, url
        for secret in SECRETS:
            assert secret not in text, (secret, url)

    for url in ["/en/plans/draft-plan/changes.rss", "/en/plans/draft-plan/calendar.ics",
                "/en/embed/plans/draft-plan/", "/en/commitments/PV0001/changes.atom",
                "/en/embed/commitments/DR0001/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url
