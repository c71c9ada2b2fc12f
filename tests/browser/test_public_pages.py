"""The public pages in a real browser: no WCAG 2.1 A/AA violation (axe-core),
in English and in Arabic, at phone and desktop widths; screenshots kept in
test-artifacts/ for people to look at."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

PAGES = {
    "home": "/{lang}/",
    "plan": "/{lang}/plans/kutaisi-2022-2025/",
    "list": "/{lang}/commitments/?plan=georgia-2018-2019&value=civic_participation&sort=-progress",
    "commitment": "/{lang}/commitments/GE0067/",
    "plan-embed": "/{lang}/embed/plans/georgia-2018-2019/",
    "commitment-embed": "/{lang}/embed/commitments/GE0067/",
    "login": "/{lang}/accounts/login/",
}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]


def violations_report(results) -> str:
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_public_pages_have_no_accessibility_violations(page, demo_site, lang, artifacts):
    axe = Axe()
    failures = {}
    for name, path in PAGES.items():
        for width_name, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
            page.set_viewport_size(viewport)
            response = page.goto(demo_site + path.format(lang=lang))
            assert response.status == 200, path
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            page.screenshot(path=artifacts / f"{name}-{lang}-{width_name}.png", full_page=True)
            results = axe.run(page, options=WCAG_21_AA)
            if results.violations_count:
                failures[f"{name} {lang} {width_name}"] = violations_report(results)
    assert not failures, "\n\n".join(f"{page}:\n{report}" for page, report in failures.items())


def test_skip_link_moves_focus_to_the_main_content(page, demo_site):
    page.goto(demo_site + "/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_filters_work_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/en/commitments/")
    page.select_option("#id_plan", "georgia-2018-2019")
    # Without JavaScript the click only starts a navigation: wait for the new page to load.
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "plan=georgia-2018-2019" in page.url
    expect(page.locator(".commitment-card")).to_have_count(20)
    with page.expect_navigation():
        page.click("a[rel=next]")
    assert "page=2" in page.url and "plan=georgia-2018-2019" in page.url
    context.close()


def test_language_switcher_keeps_the_page(page, demo_site):
    page.goto(demo_site + "/en/commitments/GE0067/")
    with page.expect_navigation():
        page.click(".language-nav a[hreflang=ar]")
    assert page.url.endswith("/ar/commitments/GE0067/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
