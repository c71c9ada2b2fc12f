"""The downloads page in a real browser: no WCAG 2.1 A/AA violation (axe-core)
in English and Arabic, at phone and desktop widths; screenshots kept in
test-artifacts/."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_downloads_page_has_no_accessibility_violations(page, demo_site, lang, artifacts):
    axe = Axe()
    failures = {}
    for width_name, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        page.set_viewport_size(viewport)
        response = page.goto(f"{demo_site}/{lang}/open-data/")
        assert response.status == 200
        page.screenshot(path=artifacts / f"open-data-{lang}-{width_name}.png", full_page=True)
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures[width_name] = [
                (violation["id"], [node["target"][0] for node in violation["nodes"][:5]])
                for violation in results.response["violations"]
            ]
    assert not failures, failures


def test_a_file_downloads_from_the_page(page, demo_site):
    page.goto(f"{demo_site}/en/open-data/")
    with page.expect_download() as download:
        page.click("a[href='/en/open-data/plans/georgia-2018-2019/commitments.csv']")

    assert download.value.suggested_filename == "georgia-2018-2019-commitments-en.csv"
    with open(download.value.path(), "rb") as file:
        assert file.read(3) == b"\xef\xbb\xbf"
