import pytest

from tests.factories import MonitoringBodyFactory, MonitoringBodyMemberFactory
from tests.validation import clean_errors, codes

pytestmark = pytest.mark.django_db


def test_member_email_is_public_only_with_consent():
    member = MonitoringBodyMemberFactory(email="nino@example.org", email_is_public=False)

    assert member.public_email == ""

    member.email_is_public = True
    assert member.public_email == "nino@example.org"


def test_plan_has_at_most_one_monitoring_body():
    body = MonitoringBodyFactory()
    second = MonitoringBodyFactory.build(plan=body.plan)

    assert codes(clean_errors(second), "plan") == ["unique"]


def test_monitoring_body_lists_its_accounts(monitor):
    body = MonitoringBodyFactory(accounts=[monitor])

    assert list(monitor.monitoring_bodies.all()) == [body]
