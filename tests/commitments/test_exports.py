"""The open-data files: columns, values, languages, visibility, streaming."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import exports
from commitments.models import Commitment, Milestone
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    InstitutionFactory,
    MilestoneFactory,
    MonitoringBodyFactory,
    MonitoringBodyMemberFactory,
    PolicyAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# DOMAIN.md: the columns OGP publishes its commitments data with, in its order.
OGP_COLUMNS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "National Or Local",
    "Action Plan Number",
    "Commitment Number",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "OGP Value Access To Information",
    "OGP Value Civic Participation",
    "OGP Value Public Accountability",
    "OGP Value Technology",
    "Specificity",
    "Potential Impact",
    "Completion (Progress Report)",
    "Did It Open Government (Overall)",
    "URL",
]
FORMATS = ["csv", "xlsx", "json"]
DATASETS = ["commitments", "milestones", "indicators"]


def download(client, path) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.streaming, path
    return b"".join(response.streaming_content)


def csv_rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(body: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    return [[cell.value for cell in row] for row in sheet.rows]


def as_text(body: bytes, fmt: str) -> str:
    """Everything a file says, as text, whatever its format."""
    if fmt == "xlsx":
        return "\n".join(" ".join(str(value) for value in row) for row in xlsx_rows(body))
    return body.decode("utf-8-sig")


@pytest.fixture
def commitment():
    plan = ActionPlanFactory(slug="kutaisi-2022-2025", submission_date=datetime.date(2022, 3, 1))
    supporting = [InstitutionFactory(name="Zeta NGO"), InstitutionFactory(name="Alpha University")]
    commitment = CommitmentFactory(
        plan=plan,
        identifier="KUT0001",
        title="Accessible website",
        title_fr="Site web accessible",
        short_title="Website",
        description="Make the website **accessible**.",
        lead_institution=InstitutionFactory(name="Mayor's office"),
        supporting_institutions=supporting,
        policy_areas=[PolicyAreaFactory(name="E-government")],
        value_civic_participation=True,
        irm_verifiable=Commitment.IrmVerifiable.YES,
        irm_completion=Commitment.Completion.LIMITED,
        ogp_url="https://www.opengovpartnership.org/members/kutaisi/commitments/KUT0001/",
    )
    MilestoneFactory(commitment=commitment, order=1, completed=True)
    MilestoneFactory(commitment=commitment, order=2, weight=3)
    IndicatorFactory(commitment=commitment, order=1, baseline=0, target=100, current_value=40)
    return commitment


def test_commitments_file_starts_with_ogp_columns_in_ogp_order(client, commitment):
    rows = list(csv.reader(io.StringIO(download(client, "/en/open-data/commitments.csv").decode())))

    assert rows[0][0] == "\ufeff" + OGP_COLUMNS[0]
    assert [rows[0][0].lstrip("\ufeff"), *rows[0][1:23]] == OGP_COLUMNS
    assert rows[0][23:] == exports.DATASETS["commitments"].headers[23:]
    assert "Latest Monitor Rating" in rows[0]


def test_commitment_row_holds_its_values_and_computed_figures(client, commitment):
    (row,) = csv_rows(download(client, "/en/open-data/commitments.csv"))

    assert row["Commitment Unique Identifier"] == "KUT0001"
    assert row["Action Plan Number"] == "1"
    assert row["Year Of Submission"] == "2022"
    assert row["Action Plan End Year"] == "2025"
    assert row["Full Text"] == "Make the website **accessible**."
    assert row["Start Date"] == "2023-01-01"
    assert row["Lead Institution"] == "Mayor's office"
    assert row["Supporting Institution(s)"] == "Alpha University; Zeta NGO"
    assert row["OGP Value Civic Participation"] == "Yes"
    assert row["OGP Value Technology"] == "No"
    assert row["Specificity"] == "Verifiable"
    assert row["Completion (Progress Report)"] == "Limited"
    assert row["Potential Impact"] == ""
    assert row["Action Plan"] == "kutaisi-2022-2025"
    assert row["Portal URL"] == "http://testserver/en/commitments/KUT0001/"
    assert row["Policy Areas"] == "E-government"
    assert row["Milestones"] == "2"
    assert row["Milestones Completed"] == "1"
    assert row["Progress (%)"] == "25"
    assert row["At Risk"] in ("Yes", "No")
    assert row["Latest Monitor Rating"] == ""


def test_milestones_and_indicators_name_their_commitment(client, commitment):
    milestones = csv_rows(download(client, "/en/open-data/milestones.csv"))
    indicators = csv_rows(download(client, "/en/open-data/indicators.csv"))

    assert [(m["Commitment Unique Identifier"], m["Milestone Order"]) for m in milestones] == [
        ("KUT0001", "1"),
        ("KUT0001", "2"),
    ]
    assert milestones[0]["Status"] == "Completed"
    assert milestones[0]["Completion Date"] == "2024-12-31"
    assert milestones[1]["Weight"] == "3"
    assert indicators[0]["Baseline"] == "0.00"
    assert indicators[0]["Current Value"] == "40.00"
    assert indicators[0]["Achievement (%)"] == "40"


def test_export_speaks_the_language_of_the_address_with_the_pages_fallback(client, commitment):
    CommitmentFactory(plan=commitment.plan, identifier="KUT0002", title="Only in English")

    rows = csv_rows(download(client, "/fr/open-data/commitments.csv"))

    assert [row["Commitment Title"] for row in rows] == ["Site web accessible", "Only in English"]
    assert rows[0]["OGP Value Civic Participation"] == "Oui"
    assert rows[0]["Portal URL"] == "http://testserver/fr/commitments/KUT0001/"
    assert "Commitment Title" in rows[0]  # headers are never translated


def test_one_plan_file_holds_that_plan_only(client, commitment):
    CommitmentFactory(identifier="OTH0001")

    rows = csv_rows(download(client, "/en/open-data/plans/kutaisi-2022-2025/commitments.csv"))
    everything = csv_rows(download(client, "/en/open-data/commitments.csv"))

    assert [row["Commitment Unique Identifier"] for row in rows] == ["KUT0001"]
    assert len(everything) == 2


def test_json_file_is_an_array_of_typed_objects_keyed_by_the_columns(client, commitment):
    records = json.loads(download(client, "/en/open-data/commitments.json"))
    indicators = json.loads(download(client, "/en/open-data/indicators.json"))

    (record,) = records
    assert list(record) == exports.DATASETS["commitments"].headers
    assert record["Commitment Number"] == 1
    assert record["OGP Value Civic Participation"] is True
    assert record["Start Date"] == "2023-01-01"
    assert record["Potential Impact"] is None
    assert record["Status Quo"] is None  # empty text
    assert record["Latest Monitor Rating"] is None
    assert indicators[0]["Current Value"] == 40.0


def test_json_file_without_rows_is_an_empty_array(client):
    assert json.loads(download(client, "/en/open-data/milestones.json")) == []


def test_xlsx_file_has_the_columns_and_typed_cells(client, commitment):
    header, row = xlsx_rows(download(client, "/en/open-data/commitments.xlsx"))

    values = dict(zip(header, row, strict=True))
    assert header[:23] == OGP_COLUMNS
    assert values["Commitment Number"] == 1
    assert values["Start Date"] == datetime.datetime(2023, 1, 1)
    assert values["OGP Value Civic Participation"] == "Yes"
    assert values["Short Title"] == "Website"


def test_xlsx_file_keeps_text_that_looks_like_a_formula_as_text(client):
    CommitmentFactory(title='=HYPERLINK("http://example.org")', short_title="tab\x0bchar")

    body = download(client, "/en/open-data/commitments.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("Commitment Title") + 1)
    short = sheet.cell(row=2, column=header.index("Short Title") + 1)

    assert title.data_type == "s"
    assert title.value == '=HYPERLINK("http://example.org")'
    assert short.value == "tabchar"


def test_files_hold_no_unpublished_item_and_no_personal_data(client, commitment):
    draft_plan = ActionPlanFactory(draft=True, slug="draft-plan")
    hidden = [
        CommitmentFactory(plan=draft_plan, identifier="DRF0001", title="Secret draft plan item"),
        CommitmentFactory(plan=commitment.plan, identifier="UNP0001", is_published=False),
    ]
    for item in hidden:
        MilestoneFactory(commitment=item, title="Hidden milestone")
        IndicatorFactory(commitment=item, description="Hidden indicator")
    body = MonitoringBodyFactory(
        plan=commitment.plan, contact_email="body@example.org", contact_phone="+995 555 0101"
    )
    MonitoringBodyMemberFactory(body=body, name="Nino Monitor", email="nino@example.org")
    staff = UserFactory(
        username="staffer", first_name="Tamar", last_name="Editor", email="tamar@example.org"
    )
    # A change by a named staff member, kept in the commitment's history.
    commitment._history_user = staff
    commitment.title = "Accessible website, updated"
    commitment.save()

    for dataset in DATASETS:
        for fmt in FORMATS:
            for path in [
                f"/en/open-data/{dataset}.{fmt}",
                f"/en/open-data/plans/kutaisi-2022-2025/{dataset}.{fmt}",
            ]:
                text = as_text(download(client, path), fmt)
                for secret in [
                    "DRF0001",
                    "UNP0001",
                    "Hidden",
                    "Secret",
                    "@",
                    "555 0101",
                    "Nino",
                    "Tamar",
                    "staffer",
                ]:
                    assert secret not in text, (path, secret)
    assert "KUT0001" in as_text(download(client, "/en/open-data/milestones.csv"), "csv")
    assert client.get("/en/open-data/plans/draft-plan/commitments.csv").status_code == 404


def test_export_reads_a_number_of_queries_that_grows_only_by_chunk(client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    plan = ActionPlanFactory()

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            download(client, path)
        return len(captured)

    counts = {}
    for total in (10, 20):
        while Commitment.objects.count() < total:
            item = CommitmentFactory(plan=plan, supporting_institutions=[InstitutionFactory()])
            MilestoneFactory(commitment=item)
            IndicatorFactory(commitment=item)
        counts[total] = {dataset: queries(f"/en/open-data/{dataset}.csv") for dataset in DATASETS}

    # One more chunk: the commitment query reads on, plus one query per prefetch.
    assert counts[20]["commitments"] - counts[10]["commitments"] <= 3
    assert counts[20]["milestones"] - counts[10]["milestones"] <= 1
    assert counts[20]["indicators"] - counts[10]["indicators"] <= 1
    assert counts[10]["commitments"] <= 6


def test_csv_and_json_are_streamed_and_xlsx_is_served_from_a_file(client, commitment):
    for fmt in ("csv", "json"):
        response = client.get(f"/en/open-data/commitments.{fmt}")
        assert response.streaming
        assert response["Content-Type"] == exports.FORMATS[fmt]
        assert response["Content-Disposition"] == (
            f'attachment; filename="all-plans-commitments-en.{fmt}"'
        )
        b"".join(response.streaming_content)  # consumed, so the request finishes
    response = client.get("/fr/open-data/plans/kutaisi-2022-2025/milestones.xlsx")
    assert response.streaming
    assert response["Content-Type"] == exports.FORMATS["xlsx"]
    assert 'filename="kutaisi-2022-2025-milestones-fr.xlsx"' in response["Content-Disposition"]
    b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("today", "at_risk", "overdue"),
    [
        (datetime.date(2023, 1, 1), "No", ["No", "No"]),
        (datetime.date(2024, 12, 1), "Yes", ["Yes", "No"]),
    ],
)
def test_at_risk_and_overdue_are_computed_on_the_day_of_the_download(
    client, monkeypatch, today, at_risk, overdue
):
    monkeypatch.setattr(exports.progress, "today", lambda: today)
    late = CommitmentFactory(identifier="LAT0001")
    MilestoneFactory(commitment=late, order=1, end_date=datetime.date(2023, 6, 30))
    MilestoneFactory(commitment=late, order=2, status=Milestone.Status.CANCELLED)

    (row,) = csv_rows(download(client, "/en/open-data/commitments.csv"))
    milestones = csv_rows(download(client, "/en/open-data/milestones.csv"))

    assert row["At Risk"] == at_risk
    assert [m["Overdue"] for m in milestones] == overdue
