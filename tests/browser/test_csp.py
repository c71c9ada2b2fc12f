"""The Content Security Policy in a real browser: the admin (language tabs with
jQuery UI, select2, inlines, calendars), the API docs and the public pages
work under it, and Chromium reports no violation."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from commitments.models import Commitment
from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]

# Every violation a document reports, from the moment it starts loading.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""


@pytest.fixture
def watched_page(page):
    """The page, recording CSP violations (events and console) and script errors."""
    page.set_viewport_size(DESKTOP)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.reported = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.reported.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.reported.append(f"script error: {error}"))
    return page


def violations(page) -> list[str]:
    """What the page reported since the last call."""
    reported = page.evaluate("window.__cspViolations") + page.reported
    page.reported = []
    return reported


@pytest.fixture
def editor_page(watched_page, demo_site):
    editor = UserFactory(username="csp-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page = watched_page
    page.goto(demo_site + "/en/admin/login/")
    page.fill("#id_username", "csp-editor")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/en/admin/")
    assert violations(page) == []
    return page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_admin_commitment_page_works_under_the_csp(editor_page, demo_site, lang):
    page = editor_page
    commitment = Commitment.objects.get(identifier="GE0067")
    page.goto(f"{demo_site}/{lang}/admin/commitments/commitment/{commitment.pk}/change/")
    page.wait_for_load_state("networkidle")

    # modeltranslation's language tabs (jQuery UI): the French tab opens.
    assert page.locator(".ui-tabs-nav").first.is_visible()
    page.locator(".ui-tabs-nav a", has_text="fr").first.click()
    assert page.locator("#id_title_fr").is_visible()
    assert "Plateforme" in page.input_value("#id_title_fr")
    # select2 (autocomplete fields) opens and lists choices from the server.
    page.locator(".select2-selection").first.click()
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    # An inline form is added, and a calendar opens.
    page.locator(".add-row a").first.click()
    page.locator(".datetimeshortcuts a[id^=calendarlink]:visible").first.click()
    expect(page.locator(".calendarbox:visible")).to_have_count(1)

    assert violations(page) == []


def test_admin_pages_have_no_csp_violations(editor_page, demo_site):
    page = editor_page
    commitment = Commitment.objects.get(identifier="GE0067")
    for path in [
        "/en/admin/",
        "/en/admin/commitments/commitment/",
        "/ar/admin/commitments/commitment/?plan__id__exact={commitment.plan_id}",
        "/en/admin/commitments/commitment/add/",
        f"/en/admin/commitments/commitment/{commitment.pk}/history/",
        f"/en/admin/plans/actionplan/{commitment.plan_id}/change/",
        "/en/admin/commitments/commitment/import/",
        "/en/admin/consultations/meeting/add/",
        "/en/admin/password_change/",
    ]:
        page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path


def test_api_docs_render_under_the_csp(watched_page, demo_site):
    page = watched_page
    page.goto(demo_site + "/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_load_state("networkidle")

    assert violations(page) == []


def test_public_pages_have_no_csp_violations(watched_page, demo_site):
    page = watched_page
    for path in [
        "/en/",
        "/ar/plans/kutaisi-2022-2025/",
        "/en/commitments/?plan=georgia-2018-2019&sort=-progress",
        "/en/commitments/GE0067/",
        "/en/about/figures/",
        "/en/open-data/",
    ]:
        page.goto(demo_site + path)
        assert violations(page) == [], path
