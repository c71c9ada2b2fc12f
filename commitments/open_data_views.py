"""The open-data downloads: a page that lists the files with their data
dictionary and licence, and the files themselves (built by exports.py)."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ogp_portal.page_cache import public_page
from ogp_portal.text import current_language
from plans import selectors as plan_selectors

from . import exports


@require_safe
@public_page
def downloads(request):
    return render(
        request,
        "open_data/downloads.html",
        {
            "plans": plan_selectors.plan_list_public().order_by("-period_start", "title"),
            "datasets": exports.DATASETS.values(),
            "formats": exports.FORMATS,
            "licence_name": settings.OPEN_DATA_LICENCE_NAME,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
        },
    )


@require_safe
def download(request, dataset, fmt, slug=None):
    """One dataset of one public plan (or of all), streamed in the page's language."""
    spec = exports.DATASETS.get(dataset)
    if spec is None:
        raise Http404(_("There is no data set of that name."))
    if fmt not in exports.FORMATS:
        message = _("Unknown format “%(format)s”. Available formats: %(formats)s.") % {
            "format": fmt,
            "formats": ", ".join(exports.FORMATS),
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    plan = plan_selectors.plan_get_public(slug=slug) if slug else None
    language = current_language()
    export = exports.Export(
        spec,
        plan=plan,
        context=exports.ExportContext.load(
            language=language, site_url=request.build_absolute_uri("/").rstrip("/")
        ),
    )
    filename = f"{slug or 'all-plans'}-{spec.slug}-{language}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            export.xlsx_file(),
            as_attachment=True,
            filename=filename,
            content_type=exports.FORMATS["xlsx"],
        )
    chunks = export.csv_chunks() if fmt == "csv" else export.json_chunks()
    response = StreamingHttpResponse(chunks, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
