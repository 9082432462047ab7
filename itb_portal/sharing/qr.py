"""QR codes for pages of this site, drawn on the server with segno.

A QR code only ever points at a page of this site (itb_portal.addresses.site_path). It comes as
SVG (sharp at any size) and as PNG, for the word processors and leaflet tools that take no SVG;
segno writes PNG itself, so no imaging library is needed.
"""

from __future__ import annotations

import io

import segno


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


# 12 pixels a module: a version 3 code (29 modules and the quiet zone) is 444 pixels square, about
# 3.7 cm at 300 dpi: big enough to scan from a printed leaflet.
PNG_SCALE = 12


def qr_png(url: str) -> bytes:
    """A PNG of the same QR code as `qr_svg`: black on white, with the same quiet zone."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", dark="#000", light="#fff", border=4, scale=PNG_SCALE)
    return out.getvalue()
