"""Built for a worried thumb (issue 11), measured in a real Chromium on a phone: 320 and 390 px wide,
is_mobile and touch. Phone links a fingertip can hit, the checker and contacts always in the
header, pages that open on their answer, the FAQ's questions first, the checker's button in reach,
and out of hours, when the team opens again."""

from datetime import datetime

import pytest
import time_machine

from tests.conftest import LONDON
from tests.public_pages import public_paths

pytestmark = pytest.mark.browser

WIDTHS = [320, 390]
FIRST_SCREEN = 844  # the height of a 390 × 844 phone

# Every tel: link a page shows, measured: text, box, white-space, and whether its number fits on one line.
TEL_LINKS = """() => [...document.querySelectorAll('a[href^="tel:"]')]
  .filter(a => a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden')
  .map(a => {
    const r = a.getBoundingClientRect();
    const number = a.querySelector('.app-call__number') || a;
    const range = document.createRange();
    range.selectNodeContents(number);
    const lines = new Set([...range.getClientRects()].filter(l => l.width).map(l => Math.round(l.bottom)));
    return {text: a.textContent.trim().replace(/\\s+/g, ' '), name: a.closest('[data-line]')?.dataset.line || '',
            x: r.x, y: r.y + scrollY, width: r.width, height: r.height,
            nowrap: getComputedStyle(number).whiteSpace === 'nowrap', numberLines: lines.size};
  })"""


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def thumb(request, browser):
    context = browser.new_context(
        viewport={"width": request.param, "height": FIRST_SCREEN}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


def gap(a: dict, b: dict) -> float:
    """The clear space between two boxes: 0 or less when they touch or overlap."""
    across = max(b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]))
    down = max(b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))
    return max(across, down)


def test_every_phone_link_is_44px_square_8px_clear_and_never_splits_its_number(live_booklet, thumb):
    for path in public_paths():
        thumb.goto(live_booklet.url + path)
        links = thumb.evaluate(TEL_LINKS)
        for link in links:
            assert link["width"] >= 44 and link["height"] >= 44, (path, link)
            assert link["nowrap"] and link["numberLines"] == 1, (path, link)
        for i, first in enumerate(links):
            for second in links[i + 1 :]:
                assert gap(first, second) >= 8, (path, first, second)


def test_phone_links_in_lists_say_who_answers(live_booklet, thumb):
    thumb.goto(live_booklet.url + "/symptoms/result/?sign=itching")
    for link in thumb.evaluate(TEL_LINKS):
        if link["name"]:  # a number in the care card's list of numbers
            assert link["text"].startswith("Call "), link
            assert len(link["text"].split()) > 2, link  # the number, then who answers
    thumb.goto(live_booklet.url + "/contacts/")
    nurse = thumb.locator('[data-line="nurse-specialist"] a[href="tel:+447766360404"]')
    assert "0776 636 0404" in nurse.inner_text() and "Mobile" in nurse.inner_text()


LARGEST = """card => {
  const call = card.querySelector('a[href="tel:999"]');
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const biggest = Math.max(...[...card.querySelectorAll('*')].filter(e => !call.contains(e) && e.textContent.trim() && e.getClientRects().length).map(size));
  const box = call.getBoundingClientRect();
  return {call: size(call.querySelector('.app-call__number') || call), others: biggest, height: box.height, width: box.width};
}"""


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/symptoms/result/?sign=seizures", "[data-testid=care-card]"),
        ("/booklet/warning-signs/", "[data-block=emergency-signs]"),
        ("/symptoms/emergency-sheet/", "[data-testid=emergency-sheet]"),
    ],
)
def test_999_is_the_largest_thing_on_its_card_and_on_the_emergency_sheet(live_booklet, thumb, path, where):
    thumb.goto(live_booklet.url + path)
    measured = thumb.locator(where).evaluate(LARGEST)
    assert measured["call"] > measured["others"], measured
    assert measured["height"] >= 56, measured


def test_the_header_shows_the_checker_and_contacts_at_320px(live_booklet, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ["/", "/booklet/warning-signs/", "/symptoms/", "/contacts/"]:
        page.goto(live_booklet.url + path)
        navigation = page.locator(".nhsuk-header__navigation-list")
        for name in ["Check symptoms", "Contacts"]:
            link = navigation.get_by_role("link", name=name, exact=True)
            assert link.is_visible(), (path, name)
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (path, name, box)
    context.close()


def test_each_section_opens_on_its_own_first_paragraph(live_booklet, browser):
    from itb_portal.booklet.models import Section

    context = browser.new_context(viewport={"width": 390, "height": FIRST_SCREEN}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for section in Section.objects.published():
        page.goto(live_booklet.url + section.get_absolute_url())
        first = page.locator("[data-testid=section-body] > p").first
        box = first.bounding_box()
        if first.inner_text().strip():
            assert box["y"] + box["height"] <= FIRST_SCREEN, (section.slug, box)
        else:  # a section that opens on a picture: most of it shows
            assert box["y"] + min(box["height"], 300) <= FIRST_SCREEN, (section.slug, box)
        # The booklet's contents wait behind a closed "Contents" disclosure.
        assert not page.locator("nav[aria-label='Booklet contents']").is_visible(), section.slug
    context.close()


def test_the_booklet_contents_open_from_the_contents_disclosure(live_booklet, thumb):
    thumb.goto(live_booklet.url + "/booklet/the-trial/")
    thumb.locator("[data-testid=contents-disclosure] summary").tap()
    contents = thumb.locator("nav[aria-label='Booklet contents']")
    assert contents.is_visible()
    assert contents.get_by_role("link", name="Warning signs").is_visible()


def test_warning_signs_show_every_999_sign_on_the_first_screen(live_booklet, browser):
    from itb_portal.symptoms.rules import load_rules

    context = browser.new_context(viewport={"width": 390, "height": FIRST_SCREEN}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/warning-signs/")
    card = page.locator("[data-block=emergency-signs]")
    summary = load_rules().what_to_do()[0]
    assert summary.level.id == "call-999"
    signs = [sign.label for entry in summary.groups for sign in entry.signs]
    items = card.locator("li")
    assert [items.nth(i).inner_text() for i in range(items.count())] == signs
    last = items.last.bounding_box()
    assert last["y"] + last["height"] <= FIRST_SCREEN, last
    context.close()


def test_the_faq_starts_with_its_questions_each_linking_to_its_answer(live_booklet, thumb):
    thumb.goto(live_booklet.url + "/booklet/faqs/")
    questions = thumb.get_by_test_id("faq-questions").get_by_role("link")
    assert questions.count() >= 15
    assert questions.first.bounding_box()["y"] < FIRST_SCREEN
    fifth = questions.nth(4)
    target = fifth.get_attribute("href")
    fifth.tap()
    thumb.wait_for_url("**" + target)
    heading = thumb.locator(target)
    assert heading.inner_text() == fifth.inner_text()
    box = heading.bounding_box()
    assert 0 <= box["y"] < FIRST_SCREEN


def test_the_checkers_button_follows_every_group_and_counts_the_ticked_signs(live_booklet, thumb):
    thumb.goto(live_booklet.url + "/symptoms/")
    groups = thumb.locator("fieldset[data-group]")
    assert groups.first.get_attribute("data-level") == "call-999"  # red flags first
    buttons = thumb.get_by_role("button", name="Find out what to do")
    assert buttons.count() == groups.count()
    # From any group, the next button is close below it: never more than a screen away.
    for i in range(groups.count()):
        group, button = groups.nth(i).bounding_box(), buttons.nth(i).bounding_box()
        assert 0 < button["y"] - (group["y"] + group["height"]) < FIRST_SCREEN / 2, i
    counts = thumb.locator("[data-app-ticked-count]")
    assert counts.first.inner_text() == "No signs ticked yet."
    for label in ["Itchy skin", "Goosebumps", "Headache"]:
        thumb.get_by_label(label, exact=True).tap()
    assert {counts.nth(i).inner_text() for i in range(counts.count())} == {"3 signs ticked."}
    buttons.nth(1).tap()
    thumb.wait_for_url("**/symptoms/result/**")
    assert "sign=headache" in thumb.url


def test_the_checker_works_without_javascript_and_shows_no_count(live_booklet, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}, is_mobile=True)
    page = context.new_page()
    page.goto(live_booklet.url + "/symptoms/")
    assert not page.locator("[data-app-ticked-count]").first.is_visible()
    page.get_by_label("Goosebumps", exact=True).check()
    page.get_by_role("button", name="Find out what to do").first.click()
    page.wait_for_url("**/symptoms/result/**")
    assert page.locator("[data-testid=care-card]").get_attribute("data-level") == "urgent"
    context.close()


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (datetime(2026, 12, 5, 11, 0, tzinfo=LONDON), "The ITB team opens again on Monday 7 December at 8am."),
        (datetime(2026, 12, 25, 11, 0, tzinfo=LONDON), "The ITB team opens again on Tuesday 29 December at 8am."),
    ],
    ids=["weekend", "bank-holiday"],
)
def test_out_of_hours_the_card_says_when_the_team_opens_again(live_booklet, thumb, at, words):
    # The server's clock only: the browser keeps its own.
    with time_machine.travel(at, tick=False):
        thumb.goto(live_booklet.url + "/symptoms/result/?sign=itching")
        card = thumb.locator("[data-testid=care-card]")
        assert card.get_by_test_id("team-reopens").inner_text() == words
        assert card.locator('a[href="tel:111"]').is_visible()
