"""Printouts people can read (issue 22), printed by Chromium as "Save as PDF" does and read back
with pypdf: body text of 11pt or more in every printout, 16pt or more in large print, a wallet card
with values of 8pt or more and nothing running through its cut marks; and (issue 24) no printout ends
on a near-empty sheet, whether it is printed at 10am on a weekday or at 11pm on a Saturday."""

import io
from datetime import datetime

import pytest
import time_machine
from pypdf import PdfReader

from tests.conftest import LONDON
from tests.helpers import squash
from tests.test_browser_print import printed
from tests.test_browser_thumb_print import PRINTOUTS

pytestmark = pytest.mark.browser

TIMES = {
    "weekday-10am": datetime(2026, 12, 8, 10, 0, tzinfo=LONDON),  # a Tuesday: the team is open
    "saturday-11pm": datetime(2026, 12, 12, 23, 0, tzinfo=LONDON),
}
# Every printout's body text: chosen sections with the contacts, the whole booklet, the contacts,
# the A&E handover sheet, the emergency sheet and a result.
READABLE = [
    "/print/booklet/?section=warning-signs&section=the-trial&also=contacts",
    "/print/booklet/",
    "/contacts/",
    "/my-pump/handover/",
    "/symptoms/emergency-sheet/",
    "/symptoms/result/?sign=itching",
]
LARGE = "/print/booklet/?section=warning-signs&also=contacts&also=emergency-sheet&size=large"


def sizes_of_body_text(page, url: str) -> list[tuple[float, str]]:
    """(size in points, text) of each run of text printed, leaving out the running header, who the
    printout is for and the page number: small type on every printout, repeated on each sheet."""
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    small_print = squash(page.get_by_test_id("print-header").text_content())
    small_print += squash(page.locator(".app-print-scope").first.text_content())
    pages = PdfReader(io.BytesIO(pdf)).pages
    found = []
    for number, sheet in enumerate(pages, start=1):
        own = small_print + f"Page{number}of{len(pages)}"

        def visit(text, cm, tm, font, size, own=own):
            if text.strip() and squash(text) not in own:
                found.append((round(size * (abs(tm[3] * cm[3] + tm[2] * cm[1]) or 1), 1), text.strip()))

        sheet.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("path", READABLE)
def test_every_printouts_body_text_is_11pt_or_more(live_booklet, page, path):
    found = sizes_of_body_text(page, live_booklet.url + path)
    small = sorted({(size, text[:40]) for size, text in found if size < 11})
    assert found and not small, (path, small[:5])


def test_the_handover_sheet_stays_on_one_sheet_at_11pt(live_booklet, page):
    sheets = printed(page, live_booklet.url + "/my-pump/handover/")
    assert len(sheets) == 1


def test_large_print_is_16pt_or_more_and_999_stays_the_largest(live_booklet, page):
    found = sizes_of_body_text(page, live_booklet.url + LARGE)
    small = sorted({(size, text[:40]) for size, text in found if size < 16})
    assert found and not small, small[:5]
    biggest = max(size for size, _ in found)
    assert any(size == biggest and "999" in text for size, text in found), biggest


def test_the_chooser_offers_large_print(live_booklet, page):
    page.goto(live_booklet.url + "/print/")
    page.get_by_label("Warning signs", exact=True).check()
    page.get_by_label("Large print").check()
    page.get_by_test_id("chooser-submit").click()
    page.wait_for_url("**/print/booklet/**")
    assert "size=large" in page.url and "section=warning-signs" in page.url
    found = sizes_of_body_text(page, page.url)
    assert min(size for size, _ in found) >= 16
    # The whole booklet has its own large-print link.
    page.goto(live_booklet.url + "/print/")
    page.get_by_role("link", name="in large print").click()
    assert page.url.endswith("/print/booklet/?size=large")


# The card's own text, read from the page printed (the card is small: 8pt is its floor), and every
# piece of text on the page with the cut marks beside the card.
CARD_TEXT_AND_CUT_MARKS = """() => {
  const boxes = (nodes) => [...nodes].flatMap((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return [...range.getClientRects()].filter((r) => r.width && r.height);
  });
  const texts = [...document.querySelectorAll('main p, main h1, main h2, main dt, main dd, main li')]
    .filter((e) => e.offsetParent !== null);
  const marks = [...document.querySelectorAll('.app-cut-mark')].flatMap((mark) =>
    ['::before', '::after'].map(() => mark));
  const markBoxes = [...document.querySelectorAll('.app-cut-mark')].flatMap((mark) => {
    const at = mark.getBoundingClientRect();
    return ['::before', '::after'].map((which) => {
      const style = getComputedStyle(mark, which);
      const left = parseFloat(style.left), right = parseFloat(style.right);
      const top = parseFloat(style.top), bottom = parseFloat(style.bottom);
      const width = parseFloat(style.width) || 1, height = parseFloat(style.height) || 1;
      const x = isNaN(left) ? at.left - right - width : at.left + left;
      const y = isNaN(top) ? at.top - bottom - height : at.top + top;
      return {left: x, top: y, right: x + width, bottom: y + height};
    });
  });
  const crossing = [];
  for (const text of texts) {
    for (const r of boxes([text])) {
      for (const m of markBoxes) {
        if (r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom) {
          crossing.push(text.textContent.trim().slice(0, 40));
        }
      }
    }
  }
  return {crossing, marks: marks.length,
          overflow: [...document.querySelectorAll('.app-wallet-card__side')].map((s) => s.scrollHeight - s.clientHeight)};
}"""


def test_the_wallet_cards_values_are_8pt_or_more_and_nothing_runs_through_its_cut_marks(live_booklet, page):
    found = sizes_of_body_text(page, live_booklet.url + "/my-pump/card/")
    assert found and min(size for size, _ in found) >= 8, sorted(found)[:3]
    numbers = [size for size, text in found if "0113 392 2178" in text]
    assert numbers and min(numbers) >= 8
    laid_out = page.evaluate(CARD_TEXT_AND_CUT_MARKS)
    assert laid_out["marks"] == 8
    assert laid_out["crossing"] == []
    assert laid_out["overflow"] == [0, 0], "the card's text is cut off at its edge"


@pytest.mark.parametrize("at", TIMES.values(), ids=TIMES.keys())
@pytest.mark.parametrize("path", PRINTOUTS)
def test_no_printout_ends_on_a_near_empty_sheet_by_day_or_by_night(live_booklet, page, path, at):
    # The server's clock only ("open now", who to call): the browser keeps its own.
    with time_machine.travel(at, tick=False):
        sheets = printed(page, live_booklet.url + path)
    if len(sheets) > 1:
        fullest = max(len(sheet.body) for sheet in sheets[:-1])
        # At least a fifth of a full sheet, and more than who the printout is for.
        scope = squash(page.locator(".app-print-scope").first.text_content())
        assert len(sheets[-1].body) >= fullest / 5, (path, [len(sheet.body) for sheet in sheets])
        assert sheets[-1].body != scope, (path, "a sheet holding only who the printout is for")
