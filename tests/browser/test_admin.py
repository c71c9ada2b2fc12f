"""The staff admin in a real browser: an editor logs in and works in English,
French and Arabic (right to left); screenshots kept in test-artifacts/."""

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


@pytest.fixture
def editor_page(page, demo_site):
    editor = UserFactory(username="browser-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page.set_viewport_size(DESKTOP)
    page.goto(demo_site + "/en/admin/login/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/en/admin/")
    return page


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [
        ("en", "ltr", "Change commitment"),
        ("fr", "ltr", "Modification de"),
        ("ar", "rtl", "تعديل"),
    ],  # fmt: skip
)
def test_editor_works_on_a_commitment_in_each_language(
    editor_page, demo_site, artifacts, lang, direction, heading
):
    page = editor_page
    commitment = Commitment.objects.get(identifier="GE0067")
    page.goto(f"{demo_site}/{lang}/admin/commitments/commitment/{commitment.pk}/change/")

    assert page.locator("html").get_attribute("dir") == direction
    assert heading in page.locator("h1, h2").first.inner_text() or heading in page.content()
    # Translated fields are in tabs, one per language; the French text is there.
    assert "Plateforme" in page.input_value("#id_title_fr")
    page.screenshot(path=artifacts / f"admin-commitment-{lang}.png", full_page=False)

    page.goto(
        f"{demo_site}/{lang}/admin/commitments/commitment/?plan__id__exact={commitment.plan_id}"
    )
    page.screenshot(path=artifacts / f"admin-commitments-{lang}.png", full_page=False)
    assert page.locator("#result_list tbody tr").count() >= 20


def test_editor_saves_a_milestone_change_and_it_reaches_the_public_page(editor_page, demo_site):
    page = editor_page
    commitment = Commitment.objects.get(identifier="GE0067")
    page.goto(f"{demo_site}/en/admin/commitments/commitment/{commitment.pk}/change/")
    page.fill("#id_title_en", "Innovative citizen engagement platform")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_have_count(1)

    page.goto(f"{demo_site}/en/commitments/GE0067/")
    assert "Innovative citizen engagement platform" in page.inner_text("h1")
