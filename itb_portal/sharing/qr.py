"""QR codes for pages of this site, drawn on the server with segno.

A QR code only ever points at a page of this site: anything else (another host,
a scheme such as javascript:, a protocol-relative //host path) is refused, so
the endpoint can never be used to send someone off the site.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve

# The longest page address shared or drawn as a QR code: a checker result with every sign ticked fits.
MAX_PATH_LENGTH = 800
# Addresses on this site that are not pages someone reads.
NOT_PAGES = {"health", "sharing:qr", "sharing:share", "sharing:sitemap", "sharing:robots", "search:index"}
NOT_PAGES |= {"feedback:answer", "feedback:comment", "feedback:tell_us_more", "feedback:thanks"}


class NotASitePage(ValueError):
    """The address given is not a page of this site."""


def site_path(value: str) -> str:
    """`value` as a path on this site, with its query, or NotASitePage saying why not."""
    if not value:
        raise NotASitePage("No page address was given.")
    if len(value) > MAX_PATH_LENGTH:
        raise NotASitePage("The page address is too long.")
    if any(ch in value for ch in "\\\r\n\t") or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise NotASitePage("The page address has characters a web address cannot have.")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        raise NotASitePage("Only pages of this website can have a QR code.")
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise NotASitePage("There is no page at that address on this website.") from None
    if match.view_name in NOT_PAGES or parts.path.startswith("/" + settings.ADMIN_URL):
        raise NotASitePage("Only pages of this website can have a QR code.")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def absolute_page_url(path: str, request: HttpRequest | None = None) -> str:
    """The full address of a page, from ITB_SITE_URL when set, else from the request."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        raise ValueError("ITB_SITE_URL is not set and there is no request to take the host from")
    return request.build_absolute_uri(path)


def qr_svg(url: str, *, title: str | None = None) -> str:
    """A standalone SVG of a QR code for `url`.

    Dark modules on a white quiet zone, so it scans on screen and on paper; it has a
    viewBox and no fixed size, so it scales sharply to whatever size it is shown at.
    """
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out,
        kind="svg",
        dark="#000",
        light="#fff",
        border=4,
        title=title or f"QR code for {url}",
        svgclass="app-qr",
        lineclass=None,
        xmldecl=False,
        svgns=True,
        omitsize=True,
    )
    return out.getvalue().decode()
