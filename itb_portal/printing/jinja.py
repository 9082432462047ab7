"""What page templates need for print: the page's own address, today's date, link addresses.

Registered in itb_portal/jinja2.py as globals (`print_path`, `page_address`, `printed_on`)
and a filter (`print_links`).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from markupsafe import Markup

from itb_portal.sharing.qr import NotASitePage, absolute_page_url, site_path

from .html import with_link_addresses


def print_path(request: HttpRequest, preferred: str | None = None) -> str | None:
    """The path a printout names and its QR code encodes: `preferred` (a page's canonical
    address) or the address asked for, with its query when the QR endpoint can take it,
    else without; None for an address that is not a page of ours (an error page)."""
    for candidate in (preferred, request.get_full_path(), request.path):
        if candidate:
            try:
                return site_path(candidate)
            except NotASitePage:
                continue
    return None


def page_address(request: HttpRequest, path: str) -> str:
    return absolute_page_url(path, request)


def printed_on() -> date:
    # Today in the UK. Pages may be cached for the UK day, never longer, so this stays true;
    # print.mjs also sets it again when the reader prints.
    return timezone.localdate()


def print_links(html: str, request: HttpRequest) -> Markup:
    """Sanitised section HTML whose real links carry their full address for print."""
    return Markup(with_link_addresses(html, absolute_page_url(request.path, request)))  # noqa: S704 - re-sanitised


PRINT_GLOBALS = {"print_path": print_path, "page_address": page_address, "printed_on": printed_on}
PRINT_FILTERS = {"print_links": print_links}
