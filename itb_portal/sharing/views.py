"""Sharing a page: the share page for nurses, QR codes, and what search engines read
(sitemap.xml and robots.txt)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from itb_portal.addresses import NotASitePage, absolute_url
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.page_registry import PAGES
from itb_portal.pagecache.pages import cached_page

from .pages import shared_page
from .preview import link_preview_png
from .qr import qr_png, qr_svg


def _not_a_page(problem: NotASitePage) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(f"{problem}\n", content_type="text/plain; charset=utf-8")


@require_safe
def qr(request: HttpRequest) -> HttpResponse:
    """`/qr/?page=/booklet/the-trial/`: an SVG QR code for that page, or 400 if it is not one of ours.

    With `format=png`, a PNG of the same code. With `download=1` the browser saves it as a file
    named after the page."""
    kind = request.GET.get("format", "svg")
    if kind not in ("svg", "png"):
        return HttpResponseBadRequest("format must be svg or png\n", content_type="text/plain; charset=utf-8")
    try:
        page = shared_page(request.GET.get("page", ""), request)
    except NotASitePage as problem:
        return _not_a_page(problem)
    # Its address holds a query, which may hold someone's symptom choices: QueriesAreNeverCached
    # (itb_portal/middleware.py) makes sure no browser, proxy or CDN keeps it.
    if kind == "png":
        response = HttpResponse(qr_png(page.url), content_type="image/png")
        filename = page.qr_png_filename
    else:
        response = HttpResponse(qr_svg(page.url), content_type="image/svg+xml")
        filename = page.qr_filename
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def share(request: HttpRequest) -> HttpResponse:
    """`/share/?page=/booklet/the-trial/`: the page's address in large type, its QR code and
    plain links to send it. Where the Share button leads when JavaScript is off."""
    try:
        page = shared_page(request.GET.get("page", ""), request)
    except NotASitePage as problem:
        return render(request, "sharing/not_a_page.html", {"problem": str(problem), "review": None}, status=400)
    # Printed, the sheet's header names and encodes the shared page, as its big QR code does.
    # The share page itself is not a page to share or to list in search results (`shown`).
    return render(
        request,
        "sharing/share.html",
        {
            "page": page,
            "canonical_path": page.path,
            "shown": None,
            "review": Section.objects.published().review_dates(),
        },
    )


# The same for every request until a release changes the service's data: kept like any page.
@cached_page()
@require_safe
def link_preview(request: HttpRequest) -> HttpResponse:
    """The picture link previews show (og:image), naming the team and hospital from the data."""
    return HttpResponse(link_preview_png(load_directory().service), content_type="image/png")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    # The admin's address is never named here: it is configurable so it can stay obscure.
    lines = [
        "User-agent: *",
        *(f"Disallow: {reverse(name)}" for name, page in PAGES.items() if not page.crawled),
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(reverse('sharing:sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
