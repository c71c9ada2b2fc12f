"""Staff import the open-data files back: round trip, stable identifiers,
all or nothing, the admin's preview and confirmation, who may import."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats import base_formats

from commitments import exports
from commitments.models import Commitment, Indicator, Milestone
from commitments.resources import CommitmentResource, IndicatorResource, MilestoneResource
from plans.models import ActionPlan, Institution
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    InstitutionFactory,
    JurisdictionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
)
from tests.ogp_portal.test_no_cdn import external_assets

pytestmark = pytest.mark.django_db

DATASETS = ["commitments", "milestones", "indicators"]
RESOURCES = {
    "commitments": CommitmentResource,
    "milestones": MilestoneResource,
    "indicators": IndicatorResource,
}


def download(client, dataset, fmt="csv", language="en") -> bytes:
    response = client.get(f"/{language}/open-data/{dataset}.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def dataset_of(body: bytes, fmt="csv"):
    if fmt == "xlsx":
        return base_formats.XLSX().create_dataset(body)
    return base_formats.CSV().create_dataset(body.decode("utf-8-sig"))


def import_file(dataset, body: bytes, fmt="csv", **kwargs):
    return RESOURCES[dataset]().import_data(dataset_of(body, fmt), **kwargs)


def cells(body: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    return [[cell.value for cell in row] for row in sheet.rows]


def csv_file(rows: list[dict]) -> bytes:
    """A CSV file as a spreadsheet saves it, with the given columns only."""
    buffer = io.StringIO()
    columns = list(dict.fromkeys(column for row in rows for column in row))
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def empty_of_commitments():
    """What an import fills: commitments, milestones, indicators, institutions.
    Plans, jurisdictions and the policy-area vocabulary stay."""
    Milestone.objects.all().delete()
    Indicator.objects.all().delete()
    Commitment.objects.all().delete()
    for plan in ActionPlan.objects.all():
        plan.lead_institutions.clear()
    Institution.objects.all().delete()


@pytest.fixture
def portal():
    """Two plans with commitments that use every column, in several scripts."""
    georgia = JurisdictionFactory(name="Kutaisi", name_ka="ქუთაისი")
    kutaisi = ActionPlanFactory(jurisdiction=georgia, slug="kutaisi-2022-2025")
    older = ActionPlanFactory(
        jurisdiction=georgia,
        slug="kutaisi-2018-2020",
        period_start=datetime.date(2018, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        submission_date=None,
    )
    areas = [PolicyAreaFactory(name="E-government"), PolicyAreaFactory(name="Public participation")]
    mayor = InstitutionFactory(name="Mayor's office", name_fr="Mairie")
    full = CommitmentFactory(
        plan=kutaisi,
        identifier="KUT0001",
        title='Feedback answered "within 24 hours", online',
        title_fr="Réponse aux avis en 24 heures",
        title_ka="უკუკავშირი 24 საათში",
        short_title="Feedback",
        description="Line one.\nLine two, with a comma; and a semicolon.",
        problem="Answers take a month.",
        objective="=Answer within a day",
        status_quo="",
        lead_institution=mayor,
        supporting_institutions=[InstitutionFactory(name="Local Democracy Agency"), mayor],
        policy_areas=areas,
        value_civic_participation=True,
        value_technology=True,
        novelty="ongoing",
        ogp_url="https://www.opengovpartnership.org/members/kutaisi/commitments/KUT0001/",
        irm_verifiable=Commitment.IrmVerifiable.YES,
        irm_relevant=Commitment.IrmRelevance.YES,
        irm_potential_for_results=Commitment.PotentialForResults.MODEST,
        irm_completion=Commitment.Completion.SUBSTANTIAL,
        irm_early_results=Commitment.EarlyResults.MARGINAL,
        irm_promising=True,
        irm_report="IRM Kutaisi report 2024",
        irm_summary="A **useful** step.",
        irm_next_steps="Publish the answer times.",
    )
    MilestoneFactory(
        commitment=full,
        order=1,
        title="Kiosks installed",
        completed=True,
        completion_date=datetime.date(2023, 6, 30),
        responsible_institution=InstitutionFactory(name="Technical department"),
        evidence="[Report](https://example.org/report.pdf)",
        weight=2,
    )
    MilestoneFactory(
        commitment=full,
        order=2,
        title="Survey of 5,000 participants",
        novelty="ongoing",
        status=Milestone.Status.DELAYED,
        start_date=datetime.date(2023, 7, 1),
    )
    MilestoneFactory(commitment=full, order=3, status=Milestone.Status.CANCELLED)
    IndicatorFactory(commitment=full, order=1, baseline=0, target=100, current_value="62.50")
    IndicatorFactory(
        commitment=full,
        order=2,
        description="Feedback entries within 6 months",
        baseline=None,
        target=500,
        current_value=None,
        unit="entries",
    )
    CommitmentFactory(
        plan=older,
        identifier="KUT0002",
        title="ملف بيانات مفتوح",
        short_title="",
        lead_institution=None,
        start_date=None,
        end_date=None,
        irm_potential_impact=Commitment.PotentialImpact.MODERATE,
        irm_starred=False,
    )
    return kutaisi


def test_import_resources_accept_exactly_the_columns_of_the_export():
    for dataset, resource_class in RESOURCES.items():
        resource = resource_class()
        imported = [field.column_name for field in resource.get_import_fields()]
        export = exports.DATASETS[dataset]

        assert sorted(imported + resource.ignored_columns()) == sorted(export.headers)
        assert "Progress (%)" not in imported


def test_csv_round_trip_into_an_empty_database_gives_identical_files(client, portal):
    first = {dataset: download(client, dataset) for dataset in DATASETS}
    empty_of_commitments()

    for dataset in DATASETS:
        result = import_file(dataset, first[dataset])
        assert not result.has_errors() and not result.has_validation_errors(), dataset
    second = {dataset: download(client, dataset) for dataset in DATASETS}

    assert Commitment.objects.count() == 2
    assert Milestone.objects.count() == 3
    assert Indicator.objects.count() == 2
    for dataset in DATASETS:
        assert second[dataset] == first[dataset], dataset


def test_xlsx_round_trip_into_an_empty_database_gives_identical_cells(client, portal):
    first = {dataset: download(client, dataset, "xlsx") for dataset in DATASETS}
    empty_of_commitments()

    for dataset in DATASETS:
        result = import_file(dataset, first[dataset], "xlsx")
        assert not result.has_errors() and not result.has_validation_errors(), dataset
    second = {dataset: download(client, dataset, "xlsx") for dataset in DATASETS}

    for dataset in DATASETS:
        assert cells(second[dataset]) == cells(first[dataset]), dataset
    assert cells(first["commitments"])[1][0] == "KUT0001"


def test_importing_a_file_again_updates_instead_of_duplicating(client, portal):
    files = {dataset: download(client, dataset) for dataset in DATASETS}
    changed = files["commitments"].replace(b"Feedback answered", b"All feedback answered")

    commitments = import_file("commitments", changed)
    milestones = import_file("milestones", files["milestones"])
    indicators = import_file("indicators", files["indicators"])

    assert commitments.totals["update"] == 1
    assert commitments.totals["skip"] == 1  # unchanged: not saved, no new history entry
    assert milestones.totals["skip"] == 3 and indicators.totals["skip"] == 2
    assert Commitment.objects.count() == 2
    assert Milestone.objects.count() == 3
    assert Indicator.objects.count() == 2
    assert Commitment.objects.get(identifier="KUT0001").title_en.startswith("All feedback")


def test_a_bad_row_makes_the_whole_import_change_nothing(portal):
    rows = [
        {"Commitment Unique Identifier": "KUT0009", "Action Plan": "kutaisi-2022-2025",
         "Commitment Number": "9", "Commitment Title": "A good new row"},
        {"Commitment Unique Identifier": "KUT0001", "Action Plan": "kutaisi-2022-2025",
         "Commitment Number": "1", "Commitment Title": "A good update"},
        {"Commitment Unique Identifier": "KUT0010", "Action Plan": "no-such-plan",
         "Commitment Number": "10", "Commitment Title": "A bad row"},
    ]  # fmt: skip

    result = import_file("commitments", csv_file(rows))

    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 3
    assert invalid.error_dict == {"plan": ["No action plan has the slug “no-such-plan”."]}
    assert not Commitment.objects.filter(identifier="KUT0009").exists()
    assert Commitment.objects.get(identifier="KUT0001").title_en.startswith("Feedback")


def test_blank_lines_below_the_data_are_skipped(portal):
    rows = [
        {"Commitment Unique Identifier": "KUT0003", "Action Plan": "kutaisi-2022-2025",
         "Commitment Number": "3", "Commitment Title": "Third"},
        {"Commitment Unique Identifier": "", "Action Plan": "", "Commitment Number": " ",
         "Commitment Title": ""},
    ]  # fmt: skip

    result = import_file("commitments", csv_file(rows))

    assert not result.has_validation_errors() and not result.has_errors()
    assert [row.import_type for row in result.rows] == ["new", "skip"]


@pytest.mark.parametrize(
    ("column", "value", "field", "message"),
    [
        ("Start Date", "31/12/2024", "start_date", "Give a date as YYYY-MM-DD, e.g. 2024-12-31."),
        ("Commitment Number", "two", "number", "Give a whole number, e.g. 3."),
        ("OGP Value Technology", "maybe", "value_technology", "Write Yes or No."),
        ("Policy Areas", "Astrology", "policy_areas", "No policy area is called “Astrology”."),
        ("Commitment Unique Identifier", "kut-1", "identifier", None),
    ],
)
def test_each_bad_value_is_reported_on_its_row_and_field(portal, column, value, field, message):
    row = {
        "Commitment Unique Identifier": "KUT0003",
        "Action Plan": "kutaisi-2022-2025",
        "Commitment Number": "3",
        "Commitment Title": "Third",
        column: value,
    }

    result = import_file("commitments", csv_file([row]))

    (invalid,) = result.invalid_rows
    assert list(invalid.error_dict) == [field]
    if message:
        assert invalid.error_dict[field] == [message]
    assert not Commitment.objects.filter(title_en="Third").exists()


def test_milestone_of_an_unknown_commitment_or_outside_its_dates_is_refused(portal):
    rows = [
        {"Commitment Unique Identifier": "ZZZ0404", "Milestone Order": "1",
         "Milestone Title": "Orphan"},
        {"Commitment Unique Identifier": "KUT0001", "Milestone Order": "9",
         "Milestone Title": "Too late", "End Date": "2030-01-01"},
    ]  # fmt: skip

    result = import_file("milestones", csv_file(rows))

    first, second = result.invalid_rows
    assert first.error_dict == {
        "commitment": ["No commitment has the identifier “ZZZ0404”."],
    }
    assert list(second.error_dict) == ["end_date"]
    assert Milestone.objects.count() == 3


def test_computed_columns_are_ignored_on_import(client, portal):
    rows = list(csv.DictReader(io.StringIO(download(client, "commitments").decode("utf-8-sig"))))
    computed = {
        "Progress (%)": "99",
        "Milestones": "7",
        "At Risk": "Yes",
        "Country/Locality": "Atlantis",
        "Portal URL": "https://example.org/elsewhere",
    }
    for row in rows:
        row.update(computed)

    result = import_file("commitments", csv_file(rows))

    assert result.totals["skip"] == 2  # nothing the import reads has changed
    commitment = Commitment.objects.get(identifier="KUT0001")
    assert commitment.milestones_total == 2
    assert round(commitment.progress * 100) == 67


def test_import_creates_missing_institutions_and_finds_existing_ones_in_any_language(portal):
    row = {
        "Commitment Unique Identifier": "KUT0003",
        "Action Plan": "kutaisi-2022-2025",
        "Commitment Number": "3",
        "Commitment Title": "Third",
        "Lead Institution": "Mairie",
        "Supporting Institution(s)": "Youth Council; Local Democracy Agency",
        "Policy Areas": "e-government",
    }

    result = import_file("commitments", csv_file([row]))

    assert not result.has_validation_errors(), result.invalid_rows
    commitment = Commitment.objects.get(identifier="KUT0003")
    assert commitment.lead_institution.name_en == "Mayor's office"
    assert sorted(i.name for i in commitment.supporting_institutions.all()) == [
        "Local Democracy Agency",
        "Youth Council",
    ]
    youth = Institution.objects.get(name_en="Youth Council")
    assert youth.kind == Institution.Kind.GOVERNMENT
    assert [area.name for area in commitment.policy_areas.all()] == ["E-government"]
    assert not commitment.is_published  # no Published column: not public yet


def test_import_writes_texts_in_the_admin_language_and_keeps_fallbacks(client, portal):
    from django.utils import translation

    french = download(client, "commitments", language="fr")
    rows = list(csv.DictReader(io.StringIO(french.decode("utf-8-sig"))))
    rows[0]["Short Title"] = "Avis"

    with translation.override("fr"):
        result = import_file("commitments", csv_file(rows))

    assert result.totals["update"] == 1 and result.totals["skip"] == 1
    commitment = Commitment.objects.get(identifier="KUT0001")
    assert commitment.short_title_fr == "Avis"
    assert commitment.short_title_en == "Feedback"
    # The English title, shown in the French file as a fallback, stayed English only.
    assert commitment.title_fr == "Réponse aux avis en 24 heures"
    assert Commitment.objects.get(identifier="KUT0002").title_fr in (None, "")


# ----------------------------------------------------------------- the admin


def upload(client, model, body: bytes, name="commitments.csv", fmt="0"):
    url = reverse(f"admin:commitments_{model}_import")
    file = SimpleUploadedFile(name, body)
    return client.post(url, {"resource": "0", "format": fmt, "import_file": file})


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial[name] for name in form.fields}
    return client.post(reverse(f"admin:commitments_{model}_process_import"), data)


def test_editor_previews_an_import_then_confirms_it(client, editor_client, portal):
    files = {dataset: download(client, dataset) for dataset in DATASETS}
    empty_of_commitments()

    preview = upload(editor_client, "commitment", files["commitments"])

    assert preview.status_code == 200
    assert "Confirm import" in preview.content.decode()
    assert Commitment.objects.count() == 0  # the preview is a dry run
    assert confirm(editor_client, "commitment", preview).status_code == 302
    assert Commitment.objects.count() == 2
    for model, dataset in [("milestone", "milestones"), ("indicator", "indicators")]:
        preview = upload(editor_client, model, files[dataset], name=f"{dataset}.csv")
        assert confirm(editor_client, model, preview).status_code == 302
    assert download(client, "commitments") == files["commitments"]
    assert Milestone.objects.count() == 3 and Indicator.objects.count() == 2


def test_editor_imports_an_xlsx_file(client, editor_client, portal):
    body = download(client, "milestones", "xlsx")
    Milestone.objects.all().delete()

    preview = upload(editor_client, "milestone", body, name="milestones.xlsx", fmt="1")
    assert confirm(editor_client, "milestone", preview).status_code == 302

    assert Milestone.objects.count() == 3
    assert Milestone.objects.get(order=1).completion_date == datetime.date(2023, 6, 30)


def test_preview_reports_each_bad_row_and_offers_no_confirmation(editor_client, portal):
    rows = [
        {"Commitment Unique Identifier": "KUT0009", "Action Plan": "kutaisi-2022-2025",
         "Commitment Number": "9", "Commitment Title": "Fine"},
        {"Commitment Unique Identifier": "KUT0010", "Action Plan": "nowhere",
         "Commitment Number": "10", "Commitment Title": "Bad plan"},
    ]  # fmt: skip

    preview = upload(editor_client, "commitment", csv_file(rows))

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Some rows failed to validate" in html
    assert "No action plan has the slug “nowhere”." in html
    assert "Confirm import" not in html
    assert not Commitment.objects.filter(identifier="KUT0009").exists()


def test_a_row_that_breaks_between_preview_and_confirmation_rolls_all_back(
    client, editor_client, portal
):
    rows = [
        {"Commitment Unique Identifier": "KUT0009", "Action Plan": "kutaisi-2018-2020",
         "Commitment Number": "9", "Commitment Title": "New in the old plan"},
        {"Commitment Unique Identifier": "KUT0010", "Action Plan": "kutaisi-2022-2025",
         "Commitment Number": "10", "Commitment Title": "New in the current plan"},
    ]  # fmt: skip
    preview = upload(editor_client, "commitment", csv_file(rows))
    ActionPlan.objects.filter(slug="kutaisi-2022-2025").update(slug="kutaisi-renamed")

    response = confirm(editor_client, "commitment", preview)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "No action plan has the slug “kutaisi-2022-2025”." in html
    assert not Commitment.objects.filter(identifier__in=["KUT0009", "KUT0010"]).exists()


def test_editors_see_the_import_button_and_moderators_may_not_import(
    editor_client, moderator_client, client, portal
):
    for model in ("commitment", "milestone", "indicator"):
        changelist = reverse(f"admin:commitments_{model}_changelist")
        import_url = reverse(f"admin:commitments_{model}_import")

        assert import_url in editor_client.get(changelist).content.decode()
        assert editor_client.get(import_url).status_code == 200
        assert import_url not in moderator_client.get(changelist).content.decode()
        assert moderator_client.get(import_url).status_code == 403
        body = csv_file([{"Commitment Unique Identifier": "KUT0001"}])
        assert upload(moderator_client, model, body).status_code == 403
        assert client.get(import_url).status_code == 302  # to the login page


def test_import_page_lists_the_ignored_columns_and_loads_only_local_assets(editor_client):
    html = editor_client.get(reverse("admin:commitments_commitment_import")).content.decode()

    assert "Progress (%)" in html and "Latest Monitor Rating" in html
    for url in [
        reverse("admin:commitments_commitment_import"),
        reverse("admin:commitments_commitment_changelist"),
    ]:
        assert external_assets(editor_client.get(url).content.decode()) == [], url
