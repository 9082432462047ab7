"""What page templates need for print: the page's own address and today's date.

Registered in itb_portal/jinja2.py as globals (`print_path`, `printed_on`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils import timezone

from itb_portal.addresses import NotASitePage, page_match, site_path
from itb_portal.page_registry import is_shareable


def print_path(request: HttpRequest, preferred: str | None = None) -> str | None:
    """The path a printout names and its QR code encodes: `preferred` (a page's canonical
    address) or the address asked for, with its query when the QR endpoint can take it,
    else without; None for an address that is not a page of ours (an error page)."""
    for candidate in (preferred, request.get_full_path(), request.path):
        if candidate:
            try:
                path = site_path(candidate)
            except NotASitePage:
                continue
            if is_shareable(page_match(urlsplit(path).path).view_name):
                return path
    return None


def printed_on() -> date:
    # Today in the UK. Pages may be cached for the UK day, never longer, so this stays true;
    # print.mjs also sets it again when the reader prints.
    return timezone.localdate()


PRINT_GLOBALS = {"print_path": print_path, "printed_on": printed_on}
