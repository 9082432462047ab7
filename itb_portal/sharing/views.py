"""Sharing a page: a QR code for any page of this site."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from .qr import NotASitePage, absolute_page_url, qr_svg, site_path


@require_safe
def qr(request: HttpRequest) -> HttpResponse:
    """`/qr/?page=/booklet/the-trial/`: an SVG QR code for that page, or 400 if it is not one of ours."""
    try:
        path = site_path(request.GET.get("page", ""))
    except NotASitePage as problem:
        return HttpResponseBadRequest(f"{problem}\n", content_type="text/plain; charset=utf-8")
    response = HttpResponse(qr_svg(absolute_page_url(path, request)), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = 'inline; filename="qr-code.svg"'
    return response
