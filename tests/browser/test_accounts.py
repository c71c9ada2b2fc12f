"""The account pages in a real browser: a monitor logs in, sets up an
authenticator app from the key shown, and the pages, errors included, have
no WCAG 2.1 A/AA violation (axe-core), left to right and right to left."""

from base64 import b32decode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_public_pages import WCAG_21_AA, violations_report
from tests.factories import MONITORS, PASSWORD, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_monitor_sets_up_two_step_login_without_violations(page, demo_site, lang, artifacts):
    UserFactory(username="browser-monitor", groups=[MONITORS])
    axe = Axe()
    page.set_viewport_size(PHONE)

    def check(name):
        page.screenshot(path=artifacts / f"accounts-{name}-{lang}.png", full_page=True)
        results = axe.run(page, options=WCAG_21_AA)
        assert not results.violations_count, violations_report(results)

    page.goto(f"{demo_site}/{lang}/accounts/login/")
    page.fill("#id_username", "browser-monitor")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    check("login-error")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{demo_site}/{lang}/accounts/two-step/")
    check("setup")
    secret = page.inner_text(".secret-key").replace(" ", "")
    page.fill("#id_code", "12345")
    page.click("main form.account-form button[type=submit]")
    check("setup-error")
    page.fill("#id_code", f"{totp(b32decode(secret)):06d}")
    page.click("main form.account-form button[type=submit]")

    expect(page.locator(".message-success")).to_have_count(1)
    check("enabled")
