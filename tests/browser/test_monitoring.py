"""The monitoring workflow in a real browser, from the invitation to the public page.

Staff invite a monitor in the admin; the monitor joins from the email, writes
a progress report with a PDF as evidence and submits it; staff respond and
publish; an anonymous visitor reads it. Every page of the way has no WCAG 2.1
A/AA violation (axe-core), in English and in Arabic (right to left), at phone
and desktop widths; screenshots kept in test-artifacts/.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from monitoring import services
from monitoring.models import CommitmentAssessment, MilestoneObservation, Report
from tests.browser.conftest import DESKTOP, PHONE, restore_staff_groups
from tests.browser.test_public_pages import WCAG_21_AA, violations_report
from tests.factories import (
    EDITORS,
    PASSWORD,
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    MonitoringBodyFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]

MONITOR_EMAIL = "lda-monitor@example.org"
MONITOR_PASSWORD = "quarterly-findings-2024"
NARRATIVE = "The budget portal is online, but the spending data stops in March."
CITY_RESPONSE = "The spending data for April to June is published this week."
OVERALL_RESPONSE = "The city thanks the monitoring body and accepts its recommendations."


def small_pdf(text: str = "Council minutes, 12 March") -> bytes:
    """A one-page PDF that a PDF reader opens: objects, cross-reference table, trailer."""
    stream = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


@pytest.fixture
def monitoring_site(transactional_db, live_server, settings, tmp_path):
    """A plan, running from half a year ago to half a year ahead, with a
    monitoring body and quarterly periods: some overdue, some still due."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = live_server.url
    settings.MONITORING_NOTIFY_EMAILS = []
    restore_staff_groups()
    today = timezone.localdate()
    plan = ActionPlanFactory(
        title="Kutaisi open budget plan",
        slug="kutaisi-open-budget",
        period_start=today - datetime.timedelta(days=200),
        period_end=today + datetime.timedelta(days=200),
    )
    budget = CommitmentFactory(
        plan=plan,
        identifier="KU0001",
        title="Publish the city budget as open data",
        short_title="Open budget data",
    )
    MilestoneFactory(commitment=budget, title="Budget portal online", completed=True)
    MilestoneFactory(commitment=budget, title="Monthly spending data published")
    CommitmentFactory(
        plan=plan,
        identifier="KU0002",
        title="Open council meetings",
        short_title="Open council meetings",
    )
    MonitoringBodyFactory(plan=plan, name="Kutaisi Local Democracy Agency")
    services.reporting_periods_generate(plan=plan)
    editor = UserFactory(
        username="city-editor",
        email="editor@example.org",
        first_name="Nino",
        is_staff=True,
        groups=[EDITORS],
    )
    return {"url": live_server.url, "plan": plan, "commitment": budget, "editor": editor}


class Checker:
    """Runs axe-core on the page; keeps every violation to report them all at the end."""

    def __init__(self, artifacts, prefix="monitoring"):
        self.axe = Axe()
        self.artifacts = artifacts
        self.prefix = prefix
        self.failures = {}

    def check(self, page, name, *, screenshot=False):
        lang = page.locator("html").get_attribute("lang")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        for width_name, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
            page.set_viewport_size(viewport)
            if screenshot:
                path = self.artifacts / f"{self.prefix}-{name}-{lang}-{width_name}.png"
                page.screenshot(path=path, full_page=True)
            results = self.axe.run(page, options=WCAG_21_AA)
            if results.violations_count:
                self.failures[f"{name} {lang} {width_name}"] = violations_report(results)

    def check_in_both_languages(self, page, name, *, screenshot=False):
        """The current English page, then the same address in Arabic, then back."""
        english = page.url
        assert "/en/" in english, english
        self.check(page, name, screenshot=screenshot)
        response = page.goto(english.replace("/en/", "/ar/", 1))
        assert response.status == 200, page.url
        self.check(page, name, screenshot=screenshot)
        page.goto(english)

    def assert_clean(self):
        assert not self.failures, "\n\n".join(
            f"{name}:\n{report}" for name, report in self.failures.items()
        )


def log_in(page, username, password):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def staff_invites_the_monitor(page, site):
    page.goto(site["url"] + "/en/admin/")
    assert "/en/accounts/login/" in page.url, "the admin hands over to the site's login"
    log_in(page, "city-editor", PASSWORD)
    page.wait_for_url("**/en/admin/")

    page.goto(site["url"] + "/en/admin/monitoring/monitorinvitation/add/")
    # The body is an autocomplete field (select2): type, then pick the match.
    page.locator("#id_body + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("Kutaisi")
    page.locator(".select2-results__option", has_text="Kutaisi Local Democracy Agency").click()
    page.fill("#id_email", MONITOR_EMAIL)
    with page.expect_navigation():
        page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_have_count(1)


def invitation_link(site) -> str:
    invitations = [message for message in mail.outbox if message.to == [MONITOR_EMAIL]]
    assert len(invitations) == 1, [message.subject for message in mail.outbox]
    assert "Kutaisi open budget plan" in invitations[0].subject
    match = re.search(r"https?://\S+/en/monitoring/invitations/\S+/", invitations[0].body)
    assert match, invitations[0].body
    assert match.group(0).startswith(site["url"])
    return match.group(0)


def monitor_joins(page, link, checker):
    page.goto(link)
    assert "Join Kutaisi Local Democracy Agency" in page.inner_text("h1")
    checker.check_in_both_languages(page, "invitation")
    page.fill("#id_name", "Tamar Beridze")
    page.fill("#id_password1", MONITOR_PASSWORD)
    page.fill("#id_password2", MONITOR_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/en/monitoring/"), page.url
    expect(page.locator(".message-success")).to_have_count(1)


def monitor_writes_the_report(page, site, checker, tmp_path) -> Report:
    # The dashboard sorts the periods: the first quarters are overdue.
    assert page.locator(".period.is-overdue").count() >= 1
    checker.check_in_both_languages(page, "dashboard", screenshot=True)
    with page.expect_navigation():
        page.locator(".period.is-overdue").first.locator("button[type=submit]").click()
    report = Report.objects.get()
    assert page.url.endswith(f"/en/monitoring/reports/{report.pk}/")
    assert report.status == Report.Status.DRAFT
    checker.check_in_both_languages(page, "report-draft", screenshot=True)

    # One commitment: rating, milestones, narrative; first a validation error.
    page.click("main table a:has-text('KU0001')")
    assessment_url = page.url
    checker.check_in_both_languages(page, "assessment", screenshot=True)
    for lang in ("en", "ar"):
        page.goto(assessment_url.replace("/en/", f"/{lang}/", 1))
        page.fill("#id_evidence-title", "A title without a link or file")
        with page.expect_navigation():
            page.click("main form.panel button[type=submit]")
        assert page.locator("#id_evidence-url").get_attribute("aria-invalid") == "true"
        expect(page.locator(".message-error")).to_have_count(1)
        checker.check(page, "assessment-error", screenshot=True)

    page.goto(assessment_url)
    page.select_option("#id_completion", "limited")
    milestones = page.locator("fieldset select")
    expect(milestones).to_have_count(2)
    milestones.nth(0).select_option("completed")
    milestones.nth(1).select_option("delayed")
    page.fill("#id_narrative", NARRATIVE)
    page.fill("#id_recommendations", "Publish the spending data every month.")
    page.fill("#id_evidence-title", "Council minutes, 12 March")
    pdf = tmp_path / "council-minutes.pdf"
    pdf.write_bytes(small_pdf())
    page.set_input_files("#id_evidence-file", pdf)
    with page.expect_navigation():
        page.click("main form.panel button[type=submit]")
    assert page.url.endswith(f"/en/monitoring/reports/{report.pk}/"), page.url
    expect(page.locator(".message-success")).to_have_count(1)

    assessment = CommitmentAssessment.objects.get(report=report, commitment=site["commitment"])
    assert assessment.completion == "limited"
    assert assessment.narrative == NARRATIVE
    assert sorted(
        MilestoneObservation.objects.filter(assessment=assessment).values_list(
            "observed_status", flat=True
        )
    ) == ["completed", "delayed"]
    evidence = assessment.evidence.get()
    assert evidence.content_type == "application/pdf"
    assert evidence.original_name == "council-minutes.pdf"
    # Back on the form, the file is listed with its remove button.
    page.goto(assessment_url)
    expect(page.locator(".evidence-list .inline-form button")).to_have_count(1)
    checker.check(page, "assessment-saved", screenshot=True)
    with page.expect_navigation():
        page.click("main nav.breadcrumbs li:nth-child(2) a")

    page.fill("#id_overall_findings", "Half of the plan is on track.")
    with page.expect_navigation():
        page.click("section[aria-labelledby=findings-form-title] button[type=submit]")
    expect(page.locator(".message-success")).to_have_count(1)
    with page.expect_navigation():
        page.click("section[aria-labelledby=submit-title] button[type=submit]")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert "Submitted" in page.inner_text(".status-label")
    return report


def staff_respond_and_publish(page, site, report, checker):
    page.goto(site["url"] + "/en/monitoring/review/")
    expect(page.locator("#awaiting-response-title")).to_have_count(1)
    checker.check_in_both_languages(page, "review-list")
    page.click(f"a[href$='/en/monitoring/review/{report.pk}/']")
    checker.check_in_both_languages(page, "review", screenshot=True)

    assessment = report.assessments.get(commitment=site["commitment"])
    page.fill("#id_city_response", OVERALL_RESPONSE)
    page.fill(f"#id_response_{assessment.pk}", CITY_RESPONSE)
    with page.expect_navigation():
        page.click("section[aria-labelledby=respond-title] button[type=submit]")
    expect(page.locator(".message-success")).to_have_count(1)
    with page.expect_navigation():
        page.click("section[aria-labelledby=publish-title] button[type=submit]")
    assert page.url.endswith("/en/monitoring/review/"), page.url
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED


def visitor_reads_the_report(page, site, report, checker):
    page.goto(f"{site['url']}/en/plans/{site['plan'].slug}/reports/")
    checker.check_in_both_languages(page, "public-reports", screenshot=True)
    with page.expect_navigation():
        page.click(f"main a[href$='/en/reports/{report.pk}/']")
    main = page.inner_text("main")
    assert NARRATIVE in main
    assert CITY_RESPONSE in main
    assert OVERALL_RESPONSE in main
    evidence_link = page.locator(".evidence-list a", has_text="Council minutes, 12 March")
    expect(evidence_link).to_have_count(1)
    download = page.request.get(site["url"] + evidence_link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body() == small_pdf()
    checker.check_in_both_languages(page, "public-report", screenshot=True)

    page.emulate_media(media="print")
    page.set_viewport_size(DESKTOP)
    page.screenshot(
        path=checker.artifacts / "monitoring-public-report-en-print.png", full_page=True
    )
    assert not page.locator(".breadcrumbs").is_visible()
    page.emulate_media(media="screen")


def test_monitoring_report_goes_from_invitation_to_the_public_page(
    browser, monitoring_site, artifacts, tmp_path
):
    site = monitoring_site
    checker = Checker(artifacts)
    staff = browser.new_context()
    monitor = browser.new_context()
    visitor = browser.new_context()
    try:
        staff_page = staff.new_page()
        staff_invites_the_monitor(staff_page, site)

        monitor_page = monitor.new_page()
        monitor_joins(monitor_page, invitation_link(site), checker)
        report = monitor_writes_the_report(monitor_page, site, checker, tmp_path)
        submitted = [m for m in mail.outbox if m.to == [site["editor"].email]]
        assert len(submitted) == 1 and "submitted" in submitted[0].subject

        staff_respond_and_publish(staff_page, site, report, checker)
        published = [m for m in mail.outbox if m.to == [MONITOR_EMAIL]]
        assert [m.subject for m in published][-1].startswith("Your report is published")

        visitor_reads_the_report(visitor.new_page(), site, report, checker)
    finally:
        staff.close()
        monitor.close()
        visitor.close()
    checker.assert_clean()
