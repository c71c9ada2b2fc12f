import pytest
from django.urls import reverse

from plans.models import ActionPlan, Sector
from tests.admin_forms import add_inline_forms, form_data
from tests.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


def change_url(plan):
    return reverse("admin:plans_actionplan_change", args=[plan.pk])


def test_editor_changes_a_plan_without_being_superuser(editor, editor_client):
    plan = ActionPlanFactory(title="Kutaisi 2022-2025", draft=True)
    data = form_data(editor_client.get(change_url(plan)))
    data.update(
        title_en="Kutaisi action plan 2022-2025",
        vision_fr="Une ville ouverte.",
        status=ActionPlan.Status.IN_IMPLEMENTATION,
    )

    response = editor_client.post(change_url(plan), data)

    assert not editor.is_superuser
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title_en == "Kutaisi action plan 2022-2025"
    assert plan.vision_fr == "Une ville ouverte."
    assert plan.status == ActionPlan.Status.IN_IMPLEMENTATION


def test_editor_records_endorsements_and_participation_in_the_plan_form(editor_client):
    plan = ActionPlanFactory()
    data = form_data(editor_client.get(change_url(plan)))
    add_inline_forms(
        data,
        "endorsements",
        [
            {
                "order": "1",
                "name": "Nino B.",
                "role_en": "Director",
                "organisation_en": "LDA Georgia",
            }
        ],
    )
    add_inline_forms(
        data,
        "participation_figures",
        [{"order": "1", "sector": Sector.ACADEMIA, "label_en": "Academics", "count": "7"}],
    )

    response = editor_client.post(change_url(plan), data)

    assert response.status_code == 302
    assert list(plan.endorsements.values_list("name", "organisation_en")) == [
        ("Nino B.", "LDA Georgia")
    ]
    assert list(plan.participation_figures.values_list("sector", "count")) == [(Sector.ACADEMIA, 7)]


def test_plan_period_ending_before_it_starts_is_refused_in_the_admin(editor_client):
    plan = ActionPlanFactory()
    data = form_data(editor_client.get(change_url(plan)))
    data.update(period_start="2025-01-01", period_end="2022-01-01")

    response = editor_client.post(change_url(plan), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["period_end"] == [
        "The end date cannot be before the start date."
    ]
    plan.refresh_from_db()
    assert plan.period_end.year == 2025


def test_participation_above_the_headcount_limit_is_refused_in_the_admin(editor_client):
    plan = ActionPlanFactory()
    data = form_data(editor_client.get(change_url(plan)))
    add_inline_forms(
        data,
        "participation_figures",
        [{"order": "1", "sector": Sector.CITIZENS, "count": "10000001"}],
    )

    response = editor_client.post(change_url(plan), data)

    assert response.status_code == 200
    assert not plan.participation_figures.exists()


def test_moderator_reads_a_plan_but_cannot_change_it(moderator_client):
    plan = ActionPlanFactory(title="Untouched")

    assert moderator_client.get(change_url(plan)).status_code == 200
    response = moderator_client.post(change_url(plan), {"title_en": "Changed"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title_en == "Untouched"
