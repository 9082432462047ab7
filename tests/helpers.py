"""Helpers many test files share: what a reader sees in a page, a PDF or a printout.

The fixed London moments every test runs at (`LONDON`, `TUESDAY_MORNING`, `SATURDAY_NIGHT`) live
in tests/conftest.py, beside the fixture that sets the clock; import them from there."""

import html
import io
import re

from pypdf import PdfReader

TAG = re.compile(r"<[^>]+>")


def squash(text: str) -> str:
    """Text with every space and line break removed, so words match whatever a PDF or a page's
    layout did to the spaces between them."""
    return re.sub(r"\s+", "", text)


def even_spaces(text: str) -> str:
    """Text on one line, with one space between words."""
    return " ".join(text.split())


def text_of(page) -> str:
    """The words a reader sees in HTML (a string, or a response holding it): tags removed,
    entities such as &amp; decoded, spaces evened out."""
    markup = page if isinstance(page, str) else page.content.decode()
    return even_spaces(html.unescape(TAG.sub(" ", markup)))


def pdf_text(pdf: bytes) -> str:
    """Every page's text in a PDF, as pypdf reads it, joined by spaces."""
    return " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)


def printed_pdf(page, url: str) -> bytes:
    """What a browser prints (A4) for the page at this address."""
    page.goto(url)
    page.emulate_media(media="print")
    return page.pdf(format="A4")


def printed_text(page, url: str) -> str:
    """The words a browser prints for the page at this address, spaces evened out."""
    return even_spaces(pdf_text(printed_pdf(page, url)))
