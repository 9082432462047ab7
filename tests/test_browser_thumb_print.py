"""Printouts a carer can use (issue 11), printed by Chromium as "Save as PDF" does and read back
with pypdf: the chooser adds the contacts and the emergency sheet to any sections; the warning
signs and the contacts fit on four A4 sheets; no printout ends on a near-empty sheet, holds a sheet
of contents alone, or says "tap"; the emergency sheet is at most two A4 pages, what to do on the
first, at 11pt or larger, 999 in bold, no line said twice."""

import io
import re

import pytest
from pypdf import PdfReader

from itb_portal.symptoms.rules import load_rules
from tests.helpers import even_spaces, pdf_text, printed_pdf, squash
from tests.test_browser_print import printed

pytestmark = pytest.mark.browser

CARER = "/print/booklet/?section=warning-signs&also=contacts"
# Printouts a carer is likely to make, to check for near-empty last sheets and "tap".
PRINTOUTS = [
    CARER,
    "/print/booklet/?section=warning-signs&also=contacts&also=emergency-sheet",
    "/print/booklet/?section=warning-signs&also=emergency-sheet",
    "/print/booklet/?section=the-trial&section=risks&also=contacts",
    "/print/booklet/?chosen=yes&also=contacts&also=emergency-sheet",
    "/print/booklet/?section=warning-signs",
    "/contacts/",
    "/symptoms/emergency-sheet/",
    "/symptoms/result/?sign=itching",
]


def runs(pdf: bytes, number: int = 0) -> list[tuple[float, str, str]]:
    """(size in points, font name, text) of each run of text on one page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = abs(tm[3] * cm[3] + tm[2] * cm[1]) or 1
            found.append((round(size * scale, 1), str((font or {}).get("/BaseFont", "")), text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[number].extract_text(visitor_text=visit)
    return found


def test_the_chooser_adds_the_contacts_and_the_emergency_sheet_to_chosen_sections(live_booklet, page):
    page.goto(live_booklet.url + "/print/")
    page.get_by_label("Warning signs", exact=True).check()
    page.get_by_label("Contacts and opening hours").check()
    page.get_by_label("The one-page emergency sheet").check()
    page.get_by_test_id("chooser-submit").click()
    page.wait_for_url("**/print/booklet/**")
    assert "section=warning-signs" in page.url and "also=contacts" in page.url and "also=emergency-sheet" in page.url
    document = page.get_by_test_id("print-document")
    assert document.locator("[data-section=warning-signs]").count() == 1
    assert document.get_by_test_id("contact-table").count() == 1
    assert document.get_by_test_id("emergency-sheet").count() == 1
    sheets = printed(page, page.url)
    # The emergency sheet starts a sheet of its own and ends the printout. Since advice by reason
    # (issue 20) it may take two sheets (what to do first, then the numbers), as on its own page.
    title = squash("ITB pump: what to do in an emergency")
    starts = [number for number, sheet in enumerate(sheets) if sheet.body.startswith(title)]
    assert len(starts) == 1 and len(sheets) - starts[0] in (1, 2), [sheet.body[:40] for sheet in sheets]
    assert squash("Phone numbers") in "".join(sheet.body for sheet in sheets[starts[0] :])


def test_the_warning_signs_and_the_contacts_print_on_four_a4_sheets_at_most(live_booklet, page):
    # At 11pt, the size every printout keeps to (issue 22): three sheets at 10pt, four at 11pt.
    sheets = printed(page, live_booklet.url + CARER)
    assert len(sheets) <= 4, len(sheets)
    text = "".join(sheet.body for sheet in sheets)
    for number in ["0113 392 2178", "0776 636 0404", "0113 392 7424", "111"]:
        assert squash(number) in text
    assert squash("Signs of too little baclofen") in text and squash("Contacts and opening hours") in text


@pytest.mark.parametrize("path", PRINTOUTS)
def test_no_printout_says_tap_ends_near_empty_or_has_a_sheet_of_contents_alone(live_booklet, page, path):
    sheets = printed(page, live_booklet.url + path)
    words = " ".join(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[n].extract_text() for n in range(len(sheets)))
    assert not re.search(r"\btap(ping)?\b", words, re.IGNORECASE), path
    if len(sheets) > 1:
        # The last sheet holds at least a fifth of what a full sheet before it holds.
        fullest = max(len(sheet.body) for sheet in sheets[:-1])
        assert len(sheets[-1].body) >= fullest / 5, (path, [len(sheet.body) for sheet in sheets])
        for sheet in sheets:
            assert not sheet.body.endswith(squash("Contents")), path
            body = sheet.body.removeprefix(squash("Sections from the ITB pump booklet"))
            assert not (body.startswith("Contents") and len(body) < 400), (path, "a sheet of contents alone")


def test_the_emergency_sheet_is_at_most_two_pages_what_to_do_first_at_11pt_or_more_with_999_in_bold(live_booklet, page):
    pdf = printed_pdf(page, live_booklet.url + "/symptoms/emergency-sheet/")
    # Advice by reason (issue 20) made the sheet longer; issue 22 allows any page count, none nearly empty.
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert 1 <= pages <= 2, pages
    header = squash(page.get_by_test_id("print-header").text_content())
    scope = squash(page.locator(".app-print-scope").text_content())
    first = squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    for level in ("call-999", "go-to-ae"):  # what to do in an emergency, on the first page
        assert squash(load_rules().levels[level].advice.action) in first, level
    found = [run for number in range(pages) for run in runs(pdf, number)]
    # Everything but the running header and who the sheet is for (both in small type on every
    # printout), and the page numbers of a two-page sheet, is 11pt or larger.
    sheet_text = [
        (size, font, text)
        for size, font, text in found
        if squash(text) not in header + scope
        and not (size < 11 and re.fullmatch(r"Page|of|\d{1,2}|Page \d+ of \d+", text))
    ]
    assert sheet_text and min(size for size, _, _ in sheet_text) >= 11, sorted({s for s, _, _ in sheet_text})[:3]
    nines = [(size, font) for size, font, text in sheet_text if "999" in text]
    assert nines and all("Bold" in font for _, font in nines), nines
    # 999 is the largest thing on the sheet.
    biggest = max(size for size, _, _ in sheet_text)
    assert any(size == biggest and "999" in text for size, _, text in sheet_text), biggest


def test_the_emergency_sheet_says_each_thing_once(live_booklet, page):
    pdf = printed_pdf(page, live_booklet.url + "/symptoms/emergency-sheet/")
    text = even_spaces(pdf_text(pdf))
    # The running header is on every page of a two-page sheet: the sheet's own words are said once.
    header = squash(page.get_by_test_id("print-header").text_content())
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 4 and squash(s) not in header]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert repeated == set()
    assert "Call 999 now. Call 999" not in text
