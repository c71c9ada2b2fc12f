"""Consultation pages: the list, a consultation with its sections, proposals
and vote, a section to comment on, proposals and Cartagena's vote.

Views parse the request, ask selectors (the access rules) what the visitor
may see and services to write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from consultations.antispam import public_write_limits
from consultations.forms.consultations import ProposalFilterForm, ProposalForm, VoteForm
from consultations.selectors import consultations as selectors
from consultations.selectors.citizens import citizen_can_participate, public_name
from consultations.services import consultations as services
from ogp_portal.page_cache import public_page

CONSULTATIONS_PER_PAGE = 20
PROPOSALS_PER_PAGE = 20
# The consultation's page lists this many proposals, then links to them all.
PROPOSALS_ON_DETAIL = 10


def _phase_labels():
    # Translated when the page is drawn, in the visitor's language.
    return {
        selectors.OPEN: _("Open now"),
        selectors.UPCOMING: _("Upcoming"),
        selectors.CLOSED: _("Closed"),
    }


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_author_names(proposals):
    """The proposals, each with `author_name`: the public name, never the email."""
    proposals = list(proposals)
    for proposal in proposals:
        proposal.author_name = public_name(proposal.author)
    return proposals


def _signup_url() -> str | None:
    # The citizens' sign-up page comes with the citizens' area of issue 5.
    try:
        return reverse("accounts:signup")
    except NoReverseMatch:
        return None


def _citizen_required(request, consultation):
    """The page for a signed-in account that may not take part yet."""
    return render(
        request,
        "consultations/consultations/citizen_required.html",
        {"consultation": consultation, "signup_url": _signup_url()},
        status=403,
    )


# Public pages


@require_safe
@public_page
def consultation_list(request):
    plan_slug = request.GET.get("plan", "")[:100]
    plans = list(selectors.consultation_plans_public())
    plan = next((plan for plan in plans if plan.slug == plan_slug), None)
    consultations = selectors.consultation_list_public(plan_slug=plan_slug or None)
    page = Paginator(consultations, CONSULTATIONS_PER_PAGE).get_page(request.GET.get("page"))
    labels = _phase_labels()
    for consultation in page.object_list:
        consultation.phase_label = labels[consultation.phase]
    return render(
        request,
        "consultations/consultations/consultation_list.html",
        {
            "page_obj": page,
            "consultations": page.object_list,
            "plans": plans,
            "plan": plan,
            "plan_slug": plan_slug,
            "query_without_page": _query_without_page(request),
        },
    )


@require_safe
@public_page
def consultation_detail(request, pk):
    consultation = selectors.consultation_get_visible(user=request.user, pk=pk)
    proposals = selectors.proposal_list_public(consultation=consultation)
    first_proposals = _with_author_names(proposals[: PROPOSALS_ON_DETAIL + 1])
    options = list(selectors.option_list(consultation=consultation))
    return render(
        request,
        "consultations/consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "sections": selectors.section_list(consultation=consultation),
            "proposals": first_proposals[:PROPOSALS_ON_DETAIL],
            "more_proposals": len(first_proposals) > PROPOSALS_ON_DETAIL,
            "options": options,
            "results": selectors.vote_results(consultation=consultation, options=options),
        },
    )


@require_safe
@public_page
def section_detail(request, pk, section_pk):
    consultation = selectors.consultation_get_visible(user=request.user, pk=pk)
    section = selectors.section_get_visible(consultation=consultation, section_pk=section_pk)
    previous, following = selectors.section_neighbours(section=section)
    return render(
        request,
        "consultations/consultations/section_detail.html",
        {
            "consultation": consultation,
            "section": section,
            "previous": previous,
            "next": following,
        },
    )


@require_safe
@public_page
def proposal_list(request, pk):
    consultation = selectors.consultation_get_visible(user=request.user, pk=pk)
    form = ProposalFilterForm(request.GET)
    valid = form.is_valid()
    proposals = selectors.proposal_list_public(
        consultation=consultation, status=form.cleaned_data["status"] if valid else None
    )
    if not valid:
        proposals = proposals.none()
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/consultations/proposal_list.html",
        {
            "consultation": consultation,
            "form": form,
            "page_obj": page,
            "proposals": _with_author_names(page.object_list),
            "query_without_page": _query_without_page(request),
        },
        status=200 if valid else 400,
    )


@require_safe
@public_page
def proposal_detail(request, pk, proposal_pk):
    consultation = selectors.consultation_get_visible(user=request.user, pk=pk)
    proposal = selectors.proposal_get_visible(consultation=consultation, proposal_pk=proposal_pk)
    proposal.author_name = public_name(proposal.author)
    return render(
        request,
        "consultations/consultations/proposal_detail.html",
        {"consultation": consultation, "proposal": proposal},
    )


# Taking part: signed-in citizens with a confirmed email


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@public_write_limits("proposal")
def proposal_create(request, pk):
    consultation = selectors.consultation_get_public(pk=pk)
    if not citizen_can_participate(request.user):
        return _citizen_required(request, consultation)
    if not (consultation.accepts_proposals and consultation.is_open()):
        return render(
            request,
            "consultations/consultations/proposals_closed.html",
            {"consultation": consultation},
            status=403,
        )
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(
                consultation=consultation,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you: your proposal is received. Staff will evaluate it and say why."),
            )
            return redirect(proposal)
    return render(
        request,
        "consultations/consultations/proposal_form.html",
        {"consultation": consultation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def vote(request, pk):
    """Cast a ballot, or see the one cast. Not rate-limited: each citizen has
    one ballot, and the database refuses a second one however fast it comes."""
    consultation = selectors.consultation_get_public(pk=pk)
    options = list(selectors.option_list(consultation=consultation))
    if not options:
        raise Http404
    if not citizen_can_participate(request.user):
        return _citizen_required(request, consultation)
    ballot = selectors.ballot_of(consultation=consultation, user=request.user)
    posted = request.method == "POST"
    form = VoteForm(
        request.POST if posted and ballot is None else None,
        options=options,
        max_choices=consultation.max_choices,
    )
    refusal = None
    status = 200
    if posted and ballot is not None:
        refusal, status = _("You have already voted in this consultation."), 409
    elif posted:
        status = 400
        if form.is_valid():
            try:
                services.ballot_cast(
                    consultation=consultation,
                    voter=request.user,
                    option_ids=form.cleaned_data["options"],
                )
            except ValidationError as error:
                if error.code == services.ALREADY_VOTED:
                    status = 409
                    ballot = selectors.ballot_of(consultation=consultation, user=request.user)
                form.add_error(None, error)
                refusal = " ".join(error.messages)
            else:
                messages.success(request, _("Your vote is recorded. Thank you for taking part."))
                return redirect("consultations:vote", pk=consultation.pk)
    return render(
        request,
        "consultations/consultations/vote.html",
        {
            "consultation": consultation,
            "options": options,
            "form": form,
            "ballot": ballot,
            "refusal": refusal,
            "is_open": consultation.is_open(),
            "results": selectors.vote_results(consultation=consultation, options=options),
        },
        status=status,
    )


urlpatterns = [
    path("consultations/", consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", consultation_detail, name="consultation_detail"),
    path(
        "consultations/<int:pk>/sections/<int:section_pk>/",
        section_detail,
        name="section_detail",
    ),
    path("consultations/<int:pk>/proposals/", proposal_list, name="proposal_list"),
    path(
        "consultations/<int:pk>/proposals/<int:proposal_pk>/",
        proposal_detail,
        name="proposal_detail",
    ),
    path("consultations/<int:pk>/propose/", proposal_create, name="proposal_create"),
    path("consultations/<int:pk>/vote/", vote, name="vote"),
]
