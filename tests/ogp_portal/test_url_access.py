"""Every URL of the portal, found by walking the URL patterns, is either public
on purpose or refuses anonymous visitors; anonymous visits change nothing in
the database; every answer carries the security headers.

A new URL pattern is public only once it is named here (PUBLIC_NAMES), or
lives in a namespace or under a name prefix that is public as a whole (the
API, the open data, the feeds, the embeddable pages). Otherwise an anonymous
visitor must be sent to the login page or refused (401, 403, 404).
"""

import itertools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from commitments import exports
from consultations.services import citizens as citizen_services
from consultations.views import feedback as feedback_views
from monitoring import services
from monitoring.models import CommitmentAssessment, Evidence, Report
from tests.factories import (
    CommentFactory,
    CommitmentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
    EndorsementFactory,
    FeedbackFactory,
    FollowFactory,
    IndicatorFactory,
    MeetingParticipationFactory,
    MilestoneFactory,
    MonitoringBodyMemberFactory,
    MonitorInvitationFactory,
    ParticipationFigureFactory,
    PolicyAreaFactory,
    ProposalFactory,
    ReportFactory,
    ReportingPeriodFactory,
    UserFactory,
    VoteOptionFactory,
)

pytestmark = pytest.mark.django_db

# Public pages, each named: a new page is public only once added here.
PUBLIC_NAMES = {
    "plans:home",
    "plans:plan_detail",
    "plans:about_figures",
    "commitments:commitment_list",
    "commitments:commitment_detail",
    "commitments:commitment_poster",
    "sitemap",
    "robots_txt",
    "liveness",
    "set_language",
    # Published monitoring reports, their exports and evidence; the invitation
    # page answers whoever holds a valid signed link.
    "monitoring:public_plan_reports",
    "monitoring:public_plan_reports_csv",
    "monitoring:public_plan_reports_json",
    "monitoring:public_report",
    "monitoring:public_commitment_reports",
    "monitoring:evidence_download",
    "monitoring:invitation_accept",
    # The one login page (ogp_portal/accounts.py), and the admin's, which
    # hands over to it.
    "accounts:login",
    "admin:login",
    # Participation: the co-creation record, consultations and what citizens
    # wrote there, feedback and how quickly it is answered.
    "consultations:plan_cocreation",
    "consultations:consultation_list",
    "consultations:consultation_detail",
    "consultations:section_detail",
    "consultations:proposal_list",
    "consultations:proposal_detail",
    "consultations:comment_flag",
    "consultations:feedback_general",
    "consultations:feedback_commitment",
    "consultations:feedback_sent",
    "consultations:responsiveness",
    # Citizens join, confirm their email from a signed link, read the privacy
    # notice, and leave a notice list from a signed link without logging in.
    "accounts:signup",
    "accounts:signup_done",
    "accounts:signup_confirm",
    "accounts:privacy",
    "consultations:unsubscribe",
    # Anyone who forgot their password asks for a link, and follows it.
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
# News feeds and calendars (RSS, Atom, iCalendar) of the public pages.
PUBLIC_FEEDS = {
    "plans:changes_rss",
    "plans:changes_atom",
    "plans:plan_changes_rss",
    "plans:plan_changes_atom",
    "plans:plan_calendar",
    "commitments:commitment_changes_rss",
    "commitments:commitment_changes_atom",
}
# Public as a whole: read-only open data by design.
PUBLIC_NAMESPACES = {"api", "open_data", "feeds"}
# Public, and the only pages other sites may frame (ogp_portal/embed.py): the
# "embed" namespace, and any URL name starting with "embed".
EMBED = "embed"
# What a public URL answers an anonymous GET, where not 200.
PUBLIC_STATUS = {
    "set_language": 302,  # a GET changes nothing: back to the page
    "api:<not_found>": 404,  # anything else under /api/
    "admin:login": 302,  # to accounts:login, keeping `next`
}
# Catch-all patterns, by namespace and view: the URL to try. (Other unnamed
# patterns, such as the admin's <object_id>/ redirects, are built from their route.)
UNNAMED = {
    "api:<not_found>": "/api/no-such-endpoint/",
    "admin:<catch_all_view>": "/en/admin/no-such-page/",
}
# Views whose regular expression has unnamed groups: what each group is.
POSITIONAL = {"history_form_view": ("object_id", "history_id")}
REFUSED_STATUS = {401, 403, 404, 405}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "namespace:<view>" when unnamed
    pattern: str
    parameters: tuple[str, ...]
    callback: object
    named: bool

    def __str__(self):
        return self.name if self.named else f"{self.name} {self.pattern}"


def walk(patterns, *, namespaces=(), prefix="", parameters=()):
    """Every URL pattern under `patterns`, through includes and language prefixes."""
    for entry in patterns:
        names = tuple(entry.pattern.regex.groupindex) or tuple(
            getattr(entry.pattern, "converters", {})
        )
        if isinstance(entry, URLResolver):
            yield from walk(
                entry.url_patterns,
                namespaces=namespaces + ((entry.namespace,) if entry.namespace else ()),
                prefix=prefix + str(entry.pattern),
                parameters=parameters + names,
            )
        else:
            assert isinstance(entry, URLPattern)
            view_name = getattr(entry.callback, "__name__", "view")
            if entry.pattern.regex.groups > len(entry.pattern.regex.groupindex):
                names = POSITIONAL[view_name]
            yield Route(
                name=":".join((*namespaces, entry.name or f"<{view_name}>")),
                pattern=prefix + str(entry.pattern),
                parameters=parameters + names,
                callback=entry.callback,
                named=bool(entry.name),
            )


ROUTES = list(walk(get_resolver().url_patterns))


def is_embed(route: Route) -> bool:
    return route.name.startswith(f"{EMBED}:") or route.name.rpartition(":")[2].startswith(EMBED)


def is_public(route: Route) -> bool:
    namespace = route.name.partition(":")[0] if ":" in route.name else ""
    return (
        route.name in PUBLIC_NAMES | PUBLIC_FEEDS
        or namespace in PUBLIC_NAMESPACES
        or is_embed(route)
    )


@pytest.fixture
def sample(settings, tmp_path):
    """One published record of each kind the URLs take as parameters."""
    settings.MEDIA_ROOT = tmp_path / "media"
    commitment = CommitmentFactory(policy_areas=[PolicyAreaFactory()])
    plan = commitment.plan
    EndorsementFactory(plan=plan)
    ParticipationFigureFactory(plan=plan)
    body = MonitoringBodyMemberFactory(body__plan=plan).body
    period = ReportingPeriodFactory(plan=plan)
    published = ReportFactory(period=period, body=body, status=Report.Status.PUBLISHED)
    draft = ReportFactory(
        period=period, body=body, kind=Report.Kind.FINAL, status=Report.Status.DRAFT
    )
    assessment = CommitmentAssessment.objects.create(report=draft, commitment=commitment)
    consultation = ConsultationFactory(plan=plan)
    return {
        "monitoring": {
            "report": published,
            "draft": draft,
            "period": period,
            "assessment": assessment,
            "evidence": Evidence.objects.create(
                report=published,
                title="Minutes",
                file=ContentFile(b"%PDF-1.4\n", name="minutes.pdf"),
                content_type="application/pdf",
                size=9,
            ),
            "invitation": MonitorInvitationFactory(body=body),
        },
        "report": published,
        "plan": plan,
        "commitment": commitment,
        "milestone": MilestoneFactory(commitment=commitment),
        "indicator": IndicatorFactory(commitment=commitment),
        "meeting": MeetingParticipationFactory(meeting__plan=plan).meeting,
        "consultation": consultation,
        "participation": {
            "consultation": consultation,
            "section": ConsultationSectionFactory(consultation=consultation),
            "proposal": ProposalFactory(consultation=consultation),
            "option": VoteOptionFactory(consultation=consultation),
            "comment": CommentFactory(plan=plan, consultation=consultation),
            "commitment": commitment,
            "follow": FollowFactory(commitment=commitment),
            "feedback": FeedbackFactory(commitment=commitment),
            "newcomer": UserFactory(is_active=False),
        },
    }


def model_admin_of(callback):
    """The ModelAdmin behind an admin view, if any."""
    return getattr(callback, "model_admin", None) or getattr(
        getattr(callback, "__wrapped__", None), "__self__", None
    )


def first_pk(model) -> str:
    return str(model._base_manager.order_by("pk").values_list("pk", flat=True).first() or 1)


def parameter_values(route: Route, parameter: str, sample) -> list[str]:
    """Values to try for one URL parameter."""
    if route.name.startswith("monitoring:"):
        return monitoring_parameter_values(route, parameter, sample["monitoring"])
    if route.name.startswith(("consultations:", "accounts:")):
        return participation_parameter_values(route, parameter, sample["participation"])
    api_basename = route.name.removeprefix("api:").rsplit("-", 1)[0]
    model_admin = model_admin_of(route.callback)
    if parameter in ("object_id", "id", "pk") and model_admin is not None:
        return [first_pk(model_admin.model)]
    if parameter in ("history_id", "version_id") and model_admin is not None:
        return [first_pk(model_admin.model.history.model)]
    if parameter == "slug":
        if api_basename == "jurisdiction":
            return [sample["plan"].jurisdiction.slug]
        return [sample["plan"].slug]
    if parameter == "pk" and api_basename in sample:
        return [str(sample[api_basename].pk)]
    values = {
        "identifier": [sample["commitment"].identifier],
        "format": ["json"],
        "dataset": list(exports.DATASETS),
        "fmt": list(exports.FORMATS),
        "app_label": ["plans"],
        "content_type_id": [str(ContentType.objects.get_for_model(sample["commitment"]).pk)],
        "object_id": [str(sample["commitment"].pk)],
    }
    if parameter not in values:
        pytest.fail(f"No sample value for <{parameter}> of {route.name}: add one to this test")
    return values[parameter]


def participation_parameter_values(route: Route, parameter: str, participation) -> list[str]:
    consultation = participation["consultation"]
    confirm = urlsplit(citizen_services.signup_link(participation["newcomer"])).path.split("/")
    values = {
        "pk": [str(participation["comment"].pk if "comment" in route.name else consultation.pk)],
        "section_pk": [str(participation["section"].pk)],
        "proposal_pk": [str(participation["proposal"].pk)],
        "slug": [consultation.plan.slug],
        "identifier": [participation["commitment"].identifier],
        "uidb64": [confirm[-3]],
        "token": [
            citizen_services.unsubscribe_token(follow=participation["follow"])
            if route.name.endswith("unsubscribe")
            else confirm[-2]
            if route.name.endswith("signup_confirm")
            else signing.dumps(
                {"pk": participation["feedback"].pk, "discarded": False},
                salt=feedback_views.SENT_SALT,
            )
        ],
    }
    if parameter not in values:
        pytest.fail(f"No sample value for <{parameter}> of {route.name}: add one to this test")
    return values[parameter]


def monitoring_parameter_values(route: Route, parameter: str, monitoring) -> list[str]:
    view = route.name.partition(":")[2]
    if parameter == "pk":
        if view.startswith("evidence_"):
            return [str(monitoring["evidence"].pk)]
        if view.startswith("public_"):
            return [str(monitoring["report"].pk)]
        # A published report's workspace page sends visitors to its public page.
        return [str(monitoring["draft"].pk)]
    values = {
        "period_pk": [str(monitoring["period"].pk)],
        "commitment_pk": [str(monitoring["assessment"].commitment_id)],
        "token": [services.invitation_token(monitoring["invitation"])],
        "slug": [monitoring["period"].plan.slug],
        "identifier": [monitoring["assessment"].commitment.identifier],
    }
    if parameter not in values:
        pytest.fail(f"No sample value for <{parameter}> of {route.name}: add one to this test")
    return values[parameter]


ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def urls_for(route: Route, sample) -> list[str]:
    if route.name in UNNAMED:
        return [UNNAMED[route.name]]
    parameters = list(dict.fromkeys(route.parameters))
    choices = [parameter_values(route, parameter, sample) for parameter in parameters]
    if not route.named and "^" in route.pattern:
        pytest.fail(f"Unnamed URL pattern {route}: name it or add it to UNNAMED")
    positional = route.callback.__name__ in POSITIONAL
    urls = []
    translation.activate("en")
    for values in itertools.product(*choices):
        kwargs = dict(zip(parameters, values, strict=True))
        if not route.named:  # a plain route, such as the admin's <object_id>/ redirect
            urls.append("/" + ROUTE_PARAMETER.sub(lambda m, kw=kwargs: kw[m[1]], route.pattern))
        elif positional:
            urls.append(reverse(route.name, args=values))
        else:
            urls.append(reverse(route.name, kwargs=kwargs))
    return urls


def get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # run the whole export
    return response


def redirect_destination(client, response) -> str:
    """Where a chain of redirects ends (the admin's logout goes to its index, then login)."""
    for _ in range(5):
        path = urlsplit(response["Location"]).path
        response = client.get(path)
        if response.status_code != 302:
            return path
    pytest.fail("Too many redirects")


def assert_security_headers(response, *, embeddable: bool):
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] in ("same-origin", COOP_EXCEPTION)
    if embeddable:
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in policy
    else:
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in policy


# drf-spectacular's Swagger UI page lowers COOP to let OAuth pop-ups talk back;
# the API has no OAuth, and the page keeps every other header.
COOP_EXCEPTION = "unsafe-none"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_url_is_public_on_purpose_or_refuses_anonymous_visitors(client, sample, route):
    for url in urls_for(route, sample):
        response = get(client, url)

        if is_public(route):
            expected = PUBLIC_STATUS.get(route.name, 200)
            assert response.status_code == expected, url
        elif response.status_code == 302:
            assert redirect_destination(client, response) == reverse("accounts:login"), url
        else:
            assert response.status_code in REFUSED_STATUS, url
        assert_security_headers(response, embeddable=is_embed(route))
        if response.get("Cross-Origin-Opener-Policy") == COOP_EXCEPTION:
            assert route.name == "api:docs", url


def test_walk_finds_the_public_pages_and_the_admin():
    names = {route.name for route in ROUTES}

    assert names >= PUBLIC_NAMES
    assert {"admin:index", "admin:commitments_commitment_change", "api:api-root"} <= names
    assert set(UNNAMED) <= names


def snapshot() -> dict[str, list]:
    """Every row of every table Django knows, history and sessions included."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def test_anonymous_crawl_of_every_url_changes_no_row(client, sample):
    before = snapshot()
    assert before["sessions.Session"] == []

    for route in ROUTES:
        for url in urls_for(route, sample):
            get(client, url)

    after = snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert changed == []


def test_embed_pages_may_be_framed_by_the_sites_in_embed_frame_ancestors(client, sample, settings):
    embeds = [route for route in ROUTES if is_embed(route)]
    if not embeds:
        pytest.skip("No embeddable page yet (URL names starting with 'embed')")
    allowed = " ".join(settings.EMBED_FRAME_ANCESTORS)

    for route in embeds:
        for url in urls_for(route, sample):
            response = get(client, url)
            assert response.status_code == 200, url
            assert f"frame-ancestors {allowed};" in response["Content-Security-Policy"] + ";"
            assert "X-Frame-Options" not in response
