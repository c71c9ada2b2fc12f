"""A plan's published monitoring reports as CSV (one row per commitment per
report) and JSON (the reports with their assessments nested).

Only published reports of public plans are read (selectors.reports_public_for_plan);
no account, email or staff name is written.
"""

from django.urls import reverse

from ogp_portal.text import localised

from . import selectors

CSV_HEADERS = [
    "Report",
    "Kind",
    "Period Start",
    "Period End",
    "Published",
    "Commitment ID",
    "Commitment Title",
    "Monitor Completion",
    "City Progress (%)",
    "City Progress As Completion",
    "Ratings Differ",
    "Milestones Observed",
    "Narrative",
    "Challenges",
    "Recommendations",
    "City Response",
]


class Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


def _percent(progress):
    return "" if progress is None else round(progress * 100)


def report_rows(*, plan):
    yield CSV_HEADERS
    for report in selectors.reports_public_for_plan(plan=plan):
        for row in selectors.assessment_rows(report=report):
            assessment = row["assessment"]
            observed = "; ".join(
                f"{localised(observation.milestone, 'title').text}: "
                f"{observation.get_observed_status_display() or '-'}"
                for observation in assessment.milestone_observations.all()
            )
            yield [
                report.pk,
                report.get_kind_display(),
                report.period.start.isoformat(),
                report.period.end.isoformat(),
                report.published_at.date().isoformat() if report.published_at else "",
                row["commitment"].identifier,
                localised(row["commitment"], "title").text,
                row["monitor_completion"],
                _percent(row["city_progress"]),
                row["city_completion"],
                "yes" if row["disagree"] else "no",
                observed,
                assessment.narrative,
                assessment.challenges,
                assessment.recommendations,
                assessment.city_response,
            ]


def csv_lines(writer, rows):
    """UTF-8 with a byte order mark, so spreadsheets read Arabic and Georgian right."""
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def _evidence(items, request):
    return [
        {
            "title": item.title,
            "link": item.url
            or request.build_absolute_uri(reverse("monitoring:evidence_download", args=[item.pk])),
            "kind": "file" if item.file else "link",
        }
        for item in items
    ]


def report_document(*, plan, request) -> dict:
    reports = []
    for report in selectors.reports_public_for_plan(plan=plan):
        reports.append(
            {
                "id": report.pk,
                "url": request.build_absolute_uri(report.get_absolute_url()),
                "kind": report.kind,
                "kind_label": report.get_kind_display(),
                "period": {"start": report.period.start, "end": report.period.end},
                "monitoring_body": localised(report.body, "name").text,
                "submitted": report.submitted_at,
                "published": report.published_at,
                "overall_findings": report.overall_findings,
                "city_response": report.city_response,
                "evidence": _evidence(report.evidence.all(), request),
                "commitments": [
                    {
                        "identifier": row["commitment"].identifier,
                        "title": localised(row["commitment"], "title").text,
                        "monitor_completion": row["assessment"].completion or None,
                        "city_progress_percent": None
                        if row["city_progress"] is None
                        else _percent(row["city_progress"]),
                        "ratings_differ": row["disagree"],
                        "milestones_observed": [
                            {
                                "milestone": localised(observation.milestone, "title").text,
                                "observed_status": observation.observed_status or None,
                                "city_status": observation.milestone.status,
                            }
                            for observation in row["assessment"].milestone_observations.all()
                        ],
                        "narrative": row["assessment"].narrative,
                        "challenges": row["assessment"].challenges,
                        "recommendations": row["assessment"].recommendations,
                        "city_response": row["assessment"].city_response,
                        "evidence": _evidence(row["assessment"].evidence.all(), request),
                    }
                    for row in selectors.assessment_rows(report=report)
                ],
            }
        )
    return {"plan": plan.slug, "title": localised(plan, "title").text, "reports": reports}
