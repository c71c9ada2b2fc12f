"""Pages of the monitoring workflow: the monitor's, the city's review, and the public's.

Views parse the request, ask selectors.py what the user may see and
services.py to write; the access rules live in selectors.py alone.
"""

import csv
import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commitments import selectors as commitment_selectors
from ogp_portal.page_cache import public_page
from plans import selectors as plan_selectors

from . import exports, forms, selectors, services
from .evidence import evidence_download_response


def _workflow_refused(request, report):
    messages.info(
        request,
        _("This report is now “%(status)s”: it can no longer be changed that way.")
        % {"status": report.get_status_display()},
    )
    return redirect("monitoring:report_detail", pk=report.pk)


# The monitor's pages


@login_required
@require_GET
def dashboard(request):
    dashboard = selectors.monitor_dashboard(user=request.user)
    if not dashboard and not selectors.is_city_reviewer(request.user):
        raise Http404
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "dashboard": dashboard,
            "start_form": forms.ReportStartForm(),
            "is_reviewer": selectors.is_city_reviewer(request.user),
        },
    )


@login_required
@require_POST
def report_start(request, period_pk):
    period = selectors.period_get_for_monitor(user=request.user, pk=period_pk)
    form = forms.ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of report to write."))
        return redirect("monitoring:dashboard")
    report = services.report_start(period=period, kind=form.cleaned_data["kind"], by=request.user)
    return redirect("monitoring:report_detail", pk=report.pk)


def report_detail(request, pk):
    report = selectors.report_get_visible(user=request.user, pk=pk)
    involved = selectors.is_monitor_of(user=request.user, report=report)
    if not involved and not selectors.is_city_reviewer(request.user):
        # Others may see only published reports: on the public page, which
        # names no account.
        return redirect("monitoring:public_report", pk=report.pk)
    editable = report.status == report.Status.DRAFT and involved
    findings_form = forms.FindingsForm(
        request.POST if editable and request.method == "POST" else None,
        initial={"overall_findings": report.overall_findings},
    )
    evidence_form = forms.EvidenceForm(
        request.POST if editable and request.method == "POST" else None,
        request.FILES if editable and request.method == "POST" else None,
        prefix="evidence",
    )
    if request.method == "POST":
        if not editable:
            return _workflow_refused(request, report)
        if findings_form.is_valid() and evidence_form.is_valid():
            response = _save_draft_page(
                request,
                report=report,
                assessment=None,
                evidence_form=evidence_form,
                save=lambda: services.report_save_findings(
                    report=report,
                    overall_findings=findings_form.cleaned_data["overall_findings"],
                    by=request.user,
                ),
                saved_message=_("Report saved."),
            )
            if response is not None:
                return response
        messages.error(request, _("The report was not saved: see the messages below."))
    return render(
        request,
        "monitoring/report_detail.html",
        {
            "report": report,
            "editable": editable,
            "findings_form": findings_form,
            "evidence_form": evidence_form,
            "is_reviewer": selectors.is_city_reviewer(request.user),
            "rows": selectors.assessment_rows(report=report),
        },
        status=400 if request.method == "POST" else 200,
    )


def _save_draft_page(request, *, report, assessment, evidence_form, save, saved_message):
    """Save a draft page's fields and the evidence sent with them, all or nothing.

    Returns the answer to give, or None when the evidence was refused: its
    message is then on the form, and the page is shown again with all it held.
    """
    try:
        with transaction.atomic():
            save()
            if evidence_form.has_evidence():
                services.evidence_add(
                    report=report,
                    assessment=assessment,
                    title=evidence_form.cleaned_data["title"],
                    url=evidence_form.cleaned_data["url"],
                    uploaded=evidence_form.cleaned_data["file"],
                    by=request.user,
                )
    except services.WorkflowError:
        return _workflow_refused(request, report)
    except ValidationError as error:
        evidence_form.add_error(None, error)
        return None
    messages.success(request, saved_message)
    return redirect("monitoring:report_detail", pk=report.pk)


@login_required
def assessment_edit(request, pk, commitment_pk):
    report = selectors.report_get_editable(user=request.user, pk=pk)
    assessment = selectors.assessment_get_editable(report=report, commitment_pk=commitment_pk)
    posted = request.method == "POST"
    form = forms.AssessmentForm(request.POST if posted else None, instance=assessment)
    evidence_form = forms.EvidenceForm(
        request.POST if posted else None, request.FILES if posted else None, prefix="evidence"
    )
    if posted:
        if form.is_valid() and evidence_form.is_valid():
            response = _save_draft_page(
                request,
                report=report,
                assessment=assessment,
                evidence_form=evidence_form,
                save=lambda: services.assessment_save(
                    assessment=assessment,
                    values=form.cleaned_data,
                    observed=form.observed(),
                    by=request.user,
                ),
                saved_message=_("Your assessment of %(commitment)s is saved.")
                % {"commitment": assessment.commitment.identifier},
            )
            if response is not None:
                return response
        messages.error(request, _("Nothing was saved: see the messages below."))
    return render(
        request,
        "monitoring/assessment_form.html",
        {"report": report, "assessment": assessment, "form": form, "evidence_form": evidence_form},
        status=400 if posted else 200,
    )


@login_required
@require_POST
def evidence_remove(request, pk):
    evidence = selectors.evidence_get_removable(user=request.user, pk=pk)
    report = evidence.report
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except services.WorkflowError:
        return _workflow_refused(request, report)
    messages.success(
        request, _("The evidence “%(title)s” was removed.") % {"title": evidence.title}
    )
    return redirect("monitoring:report_detail", pk=report.pk)


@require_GET
def evidence_download(request, pk):
    evidence = selectors.evidence_get_downloadable(user=request.user, pk=pk)
    return evidence_download_response(evidence)


@login_required
@require_POST
def report_submit(request, pk):
    try:
        report = selectors.report_get_editable(user=request.user, pk=pk)
    except Http404:
        # A second click arrives after the first submitted the report.
        report = selectors.report_get_visible(user=request.user, pk=pk)
        if not selectors.is_monitor_of(user=request.user, report=report):
            raise
        return _workflow_refused(request, report)
    try:
        services.report_submit(report=report, by=request.user)
    except services.WorkflowError:
        return _workflow_refused(request, report)
    messages.success(
        request, _("Report submitted. The city has been told; it is now locked for editing.")
    )
    return redirect("monitoring:report_detail", pk=report.pk)


# The city's review


@login_required
@require_GET
def review_list(request):
    return render(request, "monitoring/review_list.html", selectors.review_queue(user=request.user))


@login_required
def review_report(request, pk):
    report = selectors.report_get_for_review(user=request.user, pk=pk)
    posted = request.method == "POST"
    form = forms.ResponseForm(request.POST if posted else None, report=report)
    if posted and form.is_valid():
        try:
            services.report_respond(
                report=report,
                overall_response=form.cleaned_data["city_response"],
                responses=form.responses(),
                by=request.user,
            )
        except services.WorkflowError:
            return _workflow_refused(request, report)
        messages.success(request, _("The city's response is saved."))
        return redirect("monitoring:review_report", pk=report.pk)
    return render(
        request,
        "monitoring/review_report.html",
        {
            "report": report,
            "form": form,
            "can_publish": selectors.can_publish(request.user),
            "rows": selectors.assessment_rows(report=report),
        },
        status=400 if posted else 200,
    )


@login_required
@require_POST
def report_publish(request, pk):
    try:
        report = selectors.report_get_publishable(user=request.user, pk=pk)
    except Http404:
        report = selectors.report_get_visible(user=request.user, pk=pk)
        if not selectors.can_publish(request.user):
            raise
        return _workflow_refused(request, report)
    try:
        services.report_publish(report=report, by=request.user)
    except services.WorkflowError:
        return _workflow_refused(request, report)
    messages.success(request, _("The report is published."))
    return redirect("monitoring:review_report_list")


# Invitations


def invitation_accept(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as error:
        return render(
            request, "monitoring/invitation_invalid.html", {"reason": str(error)}, status=404
        )
    existing = selectors.account_for_email(email=invitation.email)
    form = None
    if existing is not None:
        # The address already has an account: its owner signs in, then accepts.
        if request.method == "POST" and request.user == existing:
            services.invitation_accept(invitation=invitation, user=existing)
            messages.success(request, _("You joined %(body)s.") % {"body": invitation.body.name})
            return redirect("monitoring:dashboard")
    else:
        form = forms.InvitationAcceptForm(
            request.POST if request.method == "POST" else None, email=invitation.email
        )
        if request.method == "POST" and form.is_valid():
            try:
                user = services.invitation_accept(
                    invitation=invitation,
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Welcome. You joined %(body)s and can file its reports.")
                    % {"body": invitation.body.name},
                )
                return redirect("monitoring:dashboard")
    return render(
        request,
        "monitoring/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
        status=400 if request.method == "POST" else 200,
    )


# Public pages


@public_page
@require_GET
def public_plan_reports(request, slug):
    plan = plan_selectors.plan_get_public(slug=slug)
    reports = selectors.reports_public_for_plan(plan=plan)
    return render(
        request,
        "monitoring/public_plan_reports.html",
        {"plan": plan, "reports": reports, "comparison": selectors.plan_comparison(plan=plan)},
    )


@public_page
@require_GET
def public_report(request, pk):
    report = get_object_or_404(selectors.reports_public(), pk=pk)
    return render(
        request,
        "monitoring/public_report.html",
        {"report": report, "rows": selectors.assessment_rows(report=report)},
    )


@public_page
@require_GET
def public_commitment_reports(request, identifier):
    commitment = commitment_selectors.commitment_get_public(identifier=identifier)
    return render(
        request,
        "monitoring/public_commitment_reports.html",
        {
            "commitment": commitment,
            "assessments": selectors.assessments_public_for_commitment(commitment=commitment),
        },
    )


@require_GET
def public_plan_reports_csv(request, slug):
    plan = plan_selectors.plan_get_public(slug=slug)
    rows = exports.report_rows(plan=plan)
    writer = csv.writer(exports.Echo())
    response = StreamingHttpResponse(
        exports.csv_lines(writer, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-monitoring-reports.csv"'
    return response


@require_GET
def public_plan_reports_json(request, slug):
    plan = plan_selectors.plan_get_public(slug=slug)
    body = json.dumps(
        exports.report_document(plan=plan, request=request),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-monitoring-reports.json"'
    return response
