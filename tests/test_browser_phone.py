"""The frightened path on a small phone (issue 22), in a real Chromium at 320 × 568 and 375 × 667
with touch: with no signal the answer is one card per level, the ticked signs' card first, no word
broken inside a table cell and nothing meant for paper on screen."""

from datetime import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from itb_portal.symptoms.rules import load_rules
from tests.conftest import LONDON

pytestmark = pytest.mark.browser

PHONES = [(320, 568), (375, 667)]

# Every word inside a table cell that the browser has split over two lines (a hyphen or a break in
# the middle): each run of letters is measured as a range, and a broken one has boxes on two lines.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!cell.getClientRects().length) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s;,.:()]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(params=PHONES, ids=[f"{w}px" for w, _ in PHONES])
def phone(request, browser):
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


def no_signal_answer(signs: list[str]) -> str:
    # What the service worker shows at the checker's result address with no signal
    # (tests/test_browser_offline.py sends the checker with no signal); here, the same page, read at once.
    return reverse("companion:offline_check") + "?" + urlencode([("sign", slug) for slug in signs])


def test_with_no_signal_no_word_breaks_inside_a_table_cell(live_booklet, phone):
    for path in [no_signal_answer([]), reverse("symptoms:emergency_sheet")]:
        phone.goto(live_booklet.url + path)
        assert phone.locator("main td").count() > 5, path
        assert phone.evaluate(BROKEN_WORDS) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"], path


def test_with_no_signal_each_level_is_a_card_with_its_action_before_its_signs(live_booklet, phone):
    phone.goto(live_booklet.url + no_signal_answer([]))
    rows = phone.get_by_test_id("what-to-do").locator("tr[data-level]")
    assert rows.count() >= 3
    width = phone.viewport_size["width"]
    for n in range(rows.count()):
        row = rows.nth(n)
        action, signs = row.locator("td").last.bounding_box(), row.locator("td").first.bounding_box()
        assert action["y"] + action["height"] <= signs["y"] + 1, row.get_attribute("data-level")
        # One card across the screen: the signs have the card's whole width, not a squeezed column.
        assert signs["width"] >= width * 0.75, (row.get_attribute("data-level"), signs)


def test_with_no_signal_the_ticked_signs_card_comes_first_and_names_them(live_booklet, phone):
    phone.goto(live_booklet.url + no_signal_answer(["itching"]))
    rows = phone.get_by_test_id("what-to-do").locator("tr[data-level]")
    levels = [rows.nth(n).get_attribute("data-level") for n in range(rows.count())]
    assert levels[0] == "urgent"
    # The rest follow, fastest first, as on the sheet.
    fastest_first = [summary.level.id for summary in load_rules().what_to_do()]
    assert levels[1:] == [level for level in fastest_first if level != "urgent"]
    assert "Itchy skin".lower() in phone.get_by_test_id("offline-answer").inner_text()
    # A combination counts, as on the server: itching with a high temperature is A&E.
    phone.goto(live_booklet.url + no_signal_answer(["itching", "fever"]))
    assert phone.get_by_test_id("what-to-do").locator("tr[data-level]").first.get_attribute("data-level") == "go-to-ae"


def test_with_no_signal_and_nothing_ticked_every_level_stays_in_order_fastest_first(live_booklet, phone):
    phone.goto(live_booklet.url + no_signal_answer([]))
    rows = phone.get_by_test_id("what-to-do").locator("tr[data-level]")
    assert rows.first.get_attribute("data-level") == "call-999"
    assert not phone.get_by_test_id("offline-answer").is_visible()


def test_with_no_signal_nothing_meant_for_paper_shows_on_screen(live_booklet, phone):
    phone.goto(live_booklet.url + no_signal_answer(["itching"]))
    assert not phone.locator("#my-pump").is_visible()
    assert phone.get_by_role("button", name="Print this page").count() == 0


def test_the_checkers_first_group_is_on_the_first_screen_after_jump_links_to_each_level(live_booklet, phone):
    phone.goto(live_booklet.url + reverse("symptoms:checker"))
    height = phone.viewport_size["height"]
    first_group = phone.locator("fieldset[data-group]").first
    legend = first_group.locator("legend").bounding_box()
    assert legend["y"] + legend["height"] <= height, (legend, height)
    links = phone.get_by_test_id("checker-jump-links").get_by_role("link")
    assert links.count() >= 4
    for n in range(links.count()):
        link = links.nth(n)
        box = link.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, link.inner_text()
        assert box["y"] + box["height"] <= height, link.inner_text()
        # Each goes to a group of the form, and the group's heading says that level's action.
        target = phone.locator(link.get_attribute("href"))
        assert target.count() == 1, link.get_attribute("href")
        assert target.locator("legend").inner_text().startswith(link.inner_text())
    # A jump link to the withdrawal signs skips the 999 and A&E signs.
    links.filter(has_text=load_rules().levels["urgent"].heading).click()
    assert phone.locator("#sign-itching").is_visible()
    assert phone.locator("#sign-itching").bounding_box()["y"] < height


def test_not_a_diagnosis_is_one_short_line_on_a_phone_and_in_full_after_the_form(live_booklet, phone):
    phone.goto(live_booklet.url + reverse("symptoms:checker"))
    line = phone.get_by_test_id("not-a-diagnosis-line")
    line_height = float(line.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert line.bounding_box()["height"] < 2 * line_height
    disclaimer = phone.get_by_test_id("disclaimer").bounding_box()
    assert disclaimer["y"] > phone.locator("#signs-form").bounding_box()["y"]
    line.get_by_role("link").click()
    assert phone.locator("#not-a-diagnosis").is_visible()


def test_the_help_strips_links_are_buttons_of_44px_on_every_page(live_booklet, phone):
    for path in [reverse("booklet:home"), reverse("symptoms:checker"), reverse("contacts:index")]:
        phone.goto(live_booklet.url + path)
        links = phone.get_by_test_id("urgent-help").get_by_role("link")
        assert [links.nth(n).inner_text() for n in range(links.count())] == ["Get help now", "Who to call", "Call 999"]
        boxes = [links.nth(n).bounding_box() for n in range(links.count())]
        assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes), (path, boxes)
        # In one row under the header, so the page's own title follows at once.
        assert len({round(box["y"]) for box in boxes}) == 1, (path, boxes)


@pytest.mark.parametrize(
    ("at", "words", "number"),
    [
        (
            datetime(2026, 12, 8, 2, 4, tzinfo=LONDON),
            "The ITB team is closed until 8am. For urgent advice call 111.",
            "111",
        ),
        (datetime(2026, 12, 7, 10, 0, tzinfo=LONDON), "The ITB team is open until 4pm.", "0113 392 2178"),
    ],
    ids=["2am", "10am"],
)
def test_contacts_open_with_who_to_call_now_on_the_first_screen(live_booklet, phone, at, words, number):
    # The server's clock only: the browser keeps its own.
    with time_machine.travel(at, tick=False):
        phone.goto(live_booklet.url + reverse("contacts:index"))
    box = phone.get_by_test_id("contacts-now")
    assert words in box.inner_text()
    call = box.locator("a.app-call").first
    assert call.locator(".app-call__number").inner_text() == f"Call {number}"
    # The number to call is on the first screen.
    bounds = call.locator(".app-call__number").bounding_box()
    assert bounds["y"] + bounds["height"] <= phone.viewport_size["height"], bounds


def test_contacts_set_back_a_line_that_is_closed_now(live_booklet, phone):
    with time_machine.travel(datetime(2026, 12, 8, 2, 4, tzinfo=LONDON), tick=False):
        phone.goto(live_booklet.url + reverse("contacts:index"))
    cards = phone.locator(".app-contact-cards [data-line]")
    closed, open_ = cards.and_(phone.locator("[data-open=false]")), cards.and_(phone.locator("[data-open=true]"))
    assert closed.count() >= 1 and open_.count() >= 1

    def look(card):
        return card.evaluate(
            """card => ({border: getComputedStyle(card).borderTopStyle,
                        number: parseFloat(getComputedStyle(card.querySelector('.app-call__number')).fontSize)})"""
        )

    shut, answering = look(closed.first), look(open_.first)
    assert shut["border"] == "dashed" and answering["border"] == "solid"
    assert shut["number"] < answering["number"]


# Every control a finger may need that is smaller than 44 × 44 CSS pixels, leaving out a link inside
# a sentence (its paragraph or list item holds more words than the link) and the skip link (seen only
# on focus). Paragraphs of the booklet's own prose are running text too.
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .filter((e) => !e.classList.contains('nhsuk-skip-link') && !e.closest('.app-prose'))
  .filter((e) => {
    const block = e.closest('p, li, dd, dt, td, th, legend, label, h1, h2, h3, h4');
    const own = e.textContent.replace(/\\s+/g, ' ').trim();
    return !block || block.textContent.replace(/\\s+/g, ' ').trim().length <= own.length + 2;
  })
  .map((e) => {
    const r = e.getBoundingClientRect();
    return {what: `${e.tagName} ${e.className} ${e.textContent.trim().slice(0, 30)}`, width: r.width, height: r.height};
  })
  .filter((t) => t.width < 44 || t.height < 44)"""


def test_every_control_outside_running_text_is_44px_square_on_every_public_page(live_booklet, phone):
    from tests.public_pages import public_paths

    small = {}
    for path in public_paths():
        phone.goto(live_booklet.url + path)
        for target in phone.evaluate(SMALL_TARGETS):
            small.setdefault(target["what"], path)
    assert small == {}, small


def test_heading_links_show_their_symbol_only_on_hover_and_focus_and_say_where_they_go(live_booklet, phone):
    phone.goto(live_booklet.url + "/booklet/glossary/")
    links = phone.locator(".app-heading-link")
    assert links.count() > 5
    link = links.first
    heading = link.locator("xpath=..").locator("h2, h3").first.inner_text()
    assert link.evaluate("e => e.getAttribute('aria-label') || e.textContent").endswith(f"Link to this part: {heading}")
    label = link.locator(".app-heading-link__label")
    opacity = "e => getComputedStyle(e).opacity"
    assert label.evaluate(opacity) == "0"
    link.focus()
    assert label.evaluate(opacity) == "1"
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44


def test_the_pump_card_is_in_the_headers_links_and_on_the_home_page(live_booklet, phone):
    phone.goto(live_booklet.url + reverse("booklet:home"))
    on_home = phone.get_by_test_id("pump-card-link").get_by_role("link", name="Your pump card")
    box = on_home.bounding_box()
    assert box["height"] >= 44
    # In the header: under "More" on a phone.
    header = phone.locator("header")
    header.get_by_role("button", name="More").click()
    header.get_by_role("link", name="Your pump card").click()
    phone.wait_for_url("**" + reverse("companion:my_pump"))


def test_the_share_links_keep_the_part_of_the_page_someone_went_to(live_booklet, phone):
    phone.goto(live_booklet.url + reverse("contacts:index") + "#email")
    more = phone.locator("[data-share-more] a, [data-share-link]")
    assert more.count() >= 1
    for n in range(more.count()):
        assert "page=%2Fcontacts%2F%23email" in more.nth(n).get_attribute("href")


def test_forgetting_the_pump_card_can_be_undone(live_booklet, phone):
    phone.goto(live_booklet.url + reverse("companion:my_pump"))
    name = phone.locator("#my-pump-name")
    name.fill("Ann Example")
    name.dispatch_event("change")
    undo = phone.get_by_test_id("undo-forget")
    assert not undo.is_visible()
    phone.get_by_test_id("forget").click()
    assert name.input_value() == ""
    assert phone.evaluate("Object.keys(localStorage).map((k) => localStorage.getItem(k)).join()").find("Ann") < 0
    undo.click()
    assert name.input_value() == "Ann Example"
    assert "Ann Example" in phone.evaluate("Object.keys(localStorage).map((k) => localStorage.getItem(k)).join()")
    assert not undo.is_visible()
    phone.reload()
    assert phone.locator("#my-pump-name").input_value() == "Ann Example"


def test_after_no_the_feedback_form_shows_its_comment_box_first(live_booklet, phone):
    phone.goto(live_booklet.url + reverse("contacts:index"))
    phone.get_by_test_id("feedback").locator("button[value=no]").click()
    box = phone.locator("textarea[name=comment]")
    box.wait_for()
    heading = phone.get_by_test_id("feedback").locator("h2[tabindex]")
    top, comment = heading.bounding_box(), box.bounding_box()
    # The box comes straight after the step's heading and its short note: on the same screen.
    assert comment["y"] + comment["height"] - top["y"] <= phone.viewport_size["height"]
    assert comment["y"] < phone.get_by_test_id("feedback-warning").bounding_box()["y"]


def test_the_new_states_have_no_axe_violations(live_booklet, phone, axe_violations):
    phone.goto(live_booklet.url + no_signal_answer(["itching", "fever"]))
    assert axe_violations(phone) == [], "no-signal answer"
    phone.goto(live_booklet.url + reverse("symptoms:checker"))
    assert axe_violations(phone) == [], "checker"
    with time_machine.travel(datetime(2026, 12, 8, 2, 4, tzinfo=LONDON), tick=False):
        phone.goto(live_booklet.url + reverse("contacts:index"))
    assert axe_violations(phone) == [], "contacts at 2am"
    phone.get_by_test_id("feedback").locator("button[value=no]").click()
    phone.locator("textarea[name=comment]").wait_for()
    assert axe_violations(phone) == [], "feedback after No"
    phone.goto(live_booklet.url + reverse("companion:my_pump"))
    phone.get_by_test_id("forget").click()
    assert axe_violations(phone) == [], "pump card forgotten, undo offered"
    phone.goto(live_booklet.url + "/print/")
    assert axe_violations(phone) == [], "print chooser"


def test_after_printing_no_header_link_runs_past_the_blue_bar(live_booklet, phone, axe_violations):
    """NHS.UK's header script lays its links out while printing hides the header, so for a moment
    afterwards every link is back on one row (the "More" menu switched off). Here that moment is held
    still: a link running past the bar would be white on the page's grey."""
    phone.goto(live_booklet.url + reverse("companion:wallet_card"))
    phone.evaluate("""() => {
      const list = document.querySelector('.nhsuk-header__navigation-list');
      const menu = list.querySelector('.nhsuk-header__menu');
      document.querySelectorAll('.nhsuk-header__menu-list > li').forEach((li) => list.insertBefore(li, menu));
      menu.hidden = true;
    }""")
    last = phone.locator(".nhsuk-header__navigation-list > li > a").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] > phone.viewport_size["width"]  # the moment
    assert [v for v in axe_violations(phone) if v.startswith("color-contrast")] == []
