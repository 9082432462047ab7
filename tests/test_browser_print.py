"""Printing in a real Chromium: every printable page rendered to PDF (as "Save as PDF" does) and
read back as text with pypdf, so no poppler is needed. Only the content prints; every printed
sheet carries the page's full address, the date printed and its review dates; the emergency
sheet is one A4 page."""

import io
from dataclasses import dataclass

import pytest
from django.utils import timezone
from pypdf import PdfReader

from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import contacts_review
from itb_portal.jinja2 import uk_date
from itb_portal.symptoms.review import rules_review
from itb_portal.symptoms.rules import load_rules
from tests.helpers import squash

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)
# How an element looks, as far as a focus indicator changes it.
LOOK = (
    "e => { const s = getComputedStyle(e); return [s.outline, s.boxShadow, s.backgroundColor, s.color].join(' | '); }"
)
# Words that only the site's header, banner, footer, pagination and buttons use.
NAVIGATION_TEXT = [
    "Skip to main content",
    "Check symptoms",
    "Print the booklet",
    "Accessibility statement",
    "Get help now or see who to call",
    "©",
    "Print this page",
    "Previous page",
    "Next page",
]


@dataclass(frozen=True)
class Sheet:
    """One printed page: its running header, and everything below it, whitespace removed."""

    header: str
    body: str
    size: tuple[float, float]

    @property
    def text(self) -> str:
        return self.header + self.body


def text_runs(page) -> list[tuple[float, float, float, str]]:
    """Each run of text on a PDF page as (top, left, baseline, text), in points from the top left.

    pypdf reports a run with its text matrix and the current transformation; together they place
    its baseline. Its top is one font size above that, which is all the ordering below needs."""
    height = float(page.mediabox.height)
    runs = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        # The text matrix times the transformation matrix: where the run starts, and its scale.
        left = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        baseline = height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        scale = abs(tm[2] * cm[1] + tm[3] * cm[3])
        runs.append((baseline - size * scale, left, baseline, text))

    page.extract_text(visitor_text=visit)
    return runs


def sheets_of(pdf: bytes, header: str) -> list[Sheet]:
    """Each page of `pdf`, read with pypdf. On every page the runs of text nearest the top must
    spell the running header, and no other run may start above the header's last line: text never
    runs under it. The page number ("Page 2 of 5") must be there too; it is left out of `body`."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    sheets = []
    for number, page in enumerate(pages, start=1):
        words = [(top, left, bottom, squash(text)) for top, left, bottom, text in text_runs(page)]
        top_down = sorted(range(len(words)), key=lambda i: (round(words[i][0]), words[i][1]))
        taken, count = "", 0
        while len(taken) < len(header) and count < len(words):
            taken += words[top_down[count]][3]
            count += 1
        assert taken == header, f"sheet {number} does not start with the running header: {taken!r}"
        in_header = set(top_down[:count])
        header_bottom = max(words[i][2] for i in in_header)
        under = [words[i][3] for i in range(len(words)) if i not in in_header and words[i][0] < header_bottom]
        assert not under, f"sheet {number}: text under the running header: {under}"
        body = "".join(words[i][3] for i in range(len(words)) if i not in in_header)
        page_number = f"Page{number}of{len(pages)}"
        has_number = body.startswith(page_number) or body.endswith(page_number)
        assert has_number or len(pages) == 1, f"sheet {number} has no page number"
        body = body.removeprefix(page_number).removesuffix(page_number)
        sheets.append(Sheet(header, body, (float(page.mediabox.width), float(page.mediabox.height))))
    return sheets


def printed(page, url: str) -> list[Sheet]:
    """`url` printed to A4 as Chromium's "Save as PDF" does, one Sheet per page."""
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    # Read after printing: print.mjs sets today's date just before the page prints.
    return sheets_of(pdf, squash(page.get_by_test_id("print-header").text_content()))


def assert_clean_printout(sheets: list[Sheet], address: str, review) -> None:
    """No navigation anywhere; every sheet names the address, the date printed and the review dates."""
    today = uk_date(timezone.localdate())
    for number, sheet in enumerate(sheets, start=1):
        where = f"{address} sheet {number} of {len(sheets)}"
        for words in (address, f"Printed on {today}", *review.summary):
            assert squash(words) in sheet.header, (where, words)
        for words in NAVIGATION_TEXT:
            assert squash(words) not in sheet.text, (where, words)
        assert "tel:" not in sheet.text, where


def test_every_section_prints_clean_with_its_address_and_dates_on_every_sheet(live_booklet, page):
    for section in Section.objects.published():
        address = live_booklet.url + section.get_absolute_url()
        sheets = printed(page, address)
        assert_clean_printout(sheets, address, section.review)
        assert sheets[0].body.startswith(squash(section.title)), section.slug
        if section.slug == "the-trial":
            # Links print their full address: here, the glossary entry a term links to.
            assert squash(f"({live_booklet.url}/booklet/glossary/#bolus)") in "".join(s.body for s in sheets)


def test_the_whole_booklet_prints_as_one_document_of_a_sane_length(live_booklet, page):
    sections = list(Section.objects.published())
    address = live_booklet.url + "/print/booklet/"
    sheets = printed(page, address)
    assert_clean_printout(sheets, address, Section.objects.published().review_dates())
    # The contents share the first sheet with the first section (never a sheet of contents alone);
    # the other sections run on after it, in booklet order (issue 22: no near-empty sheets).
    assert sheets[0].body.startswith(squash("The ITB pump booklet Contents"))
    assert squash(sections[0].title) in sheets[0].body
    text = "".join(sheet.body for sheet in sheets)
    # Each section's heading after the contents list (which names them all first).
    after_contents = text.index(squash(sections[0].title), len(squash("The ITB pump booklet Contents")) + 1)
    found = [text.find(squash(s.title), after_contents) for s in sections]
    assert -1 not in found and found == sorted(found), found
    # Measured at 28 A4 sheets for the 17 sections of content/ (about 9,000 words), at 11pt, the
    # sections running on. Fewer than one sheet per two sections means sections went missing; more
    # than 55 means the layout broke (for example every paragraph pushed onto a sheet of its own).
    # Content that honestly grows past this should move the bound, with a look at the printout first.
    assert len(sections) // 2 <= len(sheets) <= 55, len(sheets)
    fullest = max(len(sheet.body) for sheet in sheets)
    assert all(len(sheet.body) >= fullest / 5 for sheet in sheets), [len(sheet.body) for sheet in sheets]
    # Links to another section of the printout name it, rather than a web address.
    assert squash("(see Glossary)") in text
    assert squash(f"({live_booklet.url}/booklet/") not in text


def test_chosen_sections_print_in_booklet_order_after_their_contents_list(live_booklet, page):
    chosen = list(Section.objects.published().filter(slug__in=["risks", "the-trial", "glossary"]))
    review = Section.objects.filter(pk__in=[s.pk for s in chosen]).review_dates()
    address = live_booklet.url + "/print/booklet/?section=the-trial&section=risks&section=glossary"
    sheets = printed(page, live_booklet.url + "/print/booklet/?section=glossary&section=risks&section=the-trial")
    assert_clean_printout(sheets, address, review)
    assert sheets[0].body.startswith(
        squash("Sections from the ITB pump booklet Contents 1. The trial 2. Risks and complications 3. Glossary")
    )
    # The first section follows its contents on the first sheet, and the others run on after it,
    # in booklet order: a few chosen sections leave no half-empty sheets between them.
    assert squash(chosen[0].title) in sheets[0].body
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    lines = [line.strip() for sheet in pdf.pages for line in sheet.extract_text().splitlines()]
    headings = [line for line in lines if line in {s.title for s in chosen}]
    # Each section's own heading, in booklet order (the contents list numbers its lines).
    assert headings == [s.title for s in chosen], headings


def test_the_result_contacts_and_home_pages_print_clean(live_booklet, page):
    # Each page's own review statement: the checker's rules, the contacts, or the whole booklet.
    reviews = {
        "/symptoms/": rules_review(),
        "/contacts/": contacts_review(),
        "/": Section.objects.published().review_dates(),
    }
    for path in ["/symptoms/result/?sign=seizures", "/symptoms/result/?sign=itching", "/contacts/", "/"]:
        address = live_booklet.url + path
        sheets = printed(page, address)
        assert_clean_printout(
            sheets, address, next(review for start, review in reviews.items() if path.startswith(start))
        )
        assert len(sheets) <= 3, (path, len(sheets))
        if path == "/contacts/":
            # "Open now" is true only at the moment of printing; paper is kept far longer.
            text = "".join(sheet.body for sheet in sheets)
            assert "Opennow" not in text and "Closednow" not in text and "UKtime" not in text
    # Care cards keep their borders on paper, where their coloured headings are not printed.
    for path in ["/symptoms/result/?sign=seizures", "/"]:
        page.goto(live_booklet.url + path)
        page.emulate_media(media="print")
        border = page.locator(".nhsuk-card--care").first.evaluate(
            "card => { const s = getComputedStyle(card); return [s.borderTopStyle, parseFloat(s.borderTopWidth)]; }"
        )
        assert border[0] == "solid" and border[1] >= 1, (path, border)


def test_the_emergency_sheet_prints_on_at_most_two_a4_pages_with_everything_a_carer_needs(live_booklet, page):
    address = live_booklet.url + "/symptoms/emergency-sheet/"
    sheets = printed(page, address)
    # Advice by reason (issue 20) made the sheet longer; issue 22 allows any page count, none nearly empty.
    assert 1 <= len(sheets) <= 2
    # A4 is 595 x 842 points; Chromium rounds the page size to whole pixels.
    assert all(abs(got - want) < 2 for got, want in zip(sheets[0].size, A4_POINTS, strict=True)), sheets[0].size
    assert_clean_printout(sheets, address, Section.objects.published().review_dates())
    text = " ".join(sheet.body for sheet in sheets)
    rules = load_rules()
    for sign in rules.signs.values():  # every sign on the checker, in its words
        assert squash(sign.label[:1].lower() + sign.label[1:]) in text, sign.label
    for level in ("call-999", "go-to-ae"):  # each action said once, its first sentence in bold
        assert squash(rules.levels[level].advice.action) in text
    for route in ("team-open", "team-closed", "recent-operation"):
        assert squash(rules.levels["urgent"].routes[route].heading) in text
    for line in load_directory().lines:
        assert squash(line.hours_text) in text, line.id
        for phone in line.phones:
            assert squash(phone.number) in text, phone.number
    for label in ("Pump type", "Drug concentration", "Dose"):
        assert squash(label) in text


def test_collapsed_details_print_open_without_javascript(live_booklet, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/the-trial/")
    page.locator("[data-testid=section-body]").evaluate(
        "body => body.insertAdjacentHTML('beforeend',"
        " '<details class=\"nhsuk-details\"><summary>More</summary><p>Words folded away</p></details>')"
    )
    assert not page.get_by_text("Words folded away").is_visible()
    pdf = page.pdf(format="A4")
    header = squash(page.get_by_test_id("print-header").text_content())
    assert "Wordsfoldedaway" in "".join(sheet.body for sheet in sheets_of(pdf, header))
    context.close()


def test_the_print_button_prints_and_puts_todays_date_on_the_printout(live_booklet, page):
    page.goto(live_booklet.url + "/booklet/the-trial/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button = page.get_by_role("button", name="Print this page")
    assert button.is_visible()
    assert not page.get_by_test_id("print-fallback").is_visible()
    unfocused = button.evaluate(LOOK)
    button.focus()
    assert button.evaluate(LOOK) != unfocused  # a visible focus indicator
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.evaluate("window.printed") == 2
    # A page left open since yesterday still prints today's date.
    page.locator("[data-print-date]").evaluate("date => { date.textContent = 'yesterday'; }")
    sheets = sheets_of(page.pdf(format="A4"), squash(page.get_by_test_id("print-header").text_content()))
    assert squash(f"Printed on {uk_date(timezone.localdate())}") in sheets[0].header
    assert "yesterday" not in "".join(sheet.text for sheet in sheets)


def test_without_javascript_there_is_no_button_but_a_link_to_the_printable_section(live_booklet, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/the-trial/")
    assert page.get_by_role("button", name="Print this page").count() == 0
    assert page.get_by_test_id("print-fallback").is_visible()
    link = page.get_by_role("link", name="open this section ready to print")
    unfocused = link.evaluate(LOOK)
    link.focus()
    assert link.evaluate(LOOK) != unfocused  # a visible focus indicator
    page.keyboard.press("Enter")
    page.wait_for_url("**/print/booklet/?section=the-trial")
    assert page.locator("h1").inner_text() == "Sections from the ITB pump booklet"
    # One section needs no list of contents.
    assert page.locator("h2").all_inner_texts()[:1] == ["The trial"]
    context.close()
