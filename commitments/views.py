from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ogp_portal.embed import embeddable, iframe_code
from ogp_portal.page_cache import public_page
from ogp_portal.text import localised

from . import changelog, qrcodes, selectors
from .filters import CommitmentFilter

PAGE_SIZE = 20


@require_safe
@public_page
def commitment_list(request):
    filterset = CommitmentFilter(
        request.GET,
        queryset=selectors.commitment_list_public(),
        policy_areas=selectors.policy_areas_in_use(),
        lead_institutions=selectors.lead_institutions_in_use(),
    )
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "commitments": page.object_list,
            "query_without_page": query.urlencode(),
            "is_filtered": valid and filterset.is_filtered,
        },
        status=200 if valid else 400,
    )


@require_safe
@public_page
def commitment_detail(request, identifier):
    commitment = selectors.commitment_get_public(identifier=identifier)
    page_url = request.build_absolute_uri(commitment.get_absolute_url())
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "milestones": commitment.milestones.all(),
            "indicators": commitment.indicators.all(),
            "changes": changelog.commitment_change_log(commitment),
            "page_url": page_url,
            "qr_svg": qrcodes.inline_svg(page_url),
            "embed_code": iframe_code(
                request,
                path=reverse("embed:commitment", kwargs={"identifier": commitment.identifier}),
                title=_("Progress of %(identifier)s: %(title)s")
                % {
                    "identifier": commitment.identifier,
                    "title": localised(commitment, "title").text,
                },
                height=420,
            ),
        },
    )


@embeddable
@require_safe
@public_page
def commitment_embed(request, identifier):
    """The commitment's progress on a small page that other websites may frame."""
    commitment = selectors.commitment_get_public(identifier=identifier)
    return render(
        request,
        "commitments/commitment_embed.html",
        {
            "commitment": commitment,
            "milestones": commitment.milestones.all(),
            "page_url": request.build_absolute_uri(commitment.get_absolute_url()),
        },
    )


@require_safe
def commitment_poster(request, identifier):
    """A printable A4 poster (SVG) with the QR code, for public-works boards and desks."""
    commitment = selectors.commitment_get_public(identifier=identifier)
    page_url = request.build_absolute_uri(commitment.get_absolute_url())
    response = HttpResponse(
        qrcodes.poster_svg(commitment=commitment, url=page_url),
        content_type="image/svg+xml; charset=utf-8",
    )
    filename = slugify(f"{commitment.identifier}-poster") + ".svg"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
