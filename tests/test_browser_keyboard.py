"""A keyboard-only journey in a real Chromium: from the home page through the symptom checker,
sharing the advice, and the print chooser, without a mouse, with the focus visible at every stop."""

import re

import pytest
from playwright.sync_api import expect

from tests.keyboard import focus_is_visible, tab_to

pytestmark = pytest.mark.browser

# Desktop size: most people who move by keyboard alone do so on a computer.
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# A desktop browser with no share sheet, so the Share button copies the address.
NO_SHARE_SHEET = "delete Navigator.prototype.share;"


@pytest.fixture
def keyboard_page(browser, live_site):
    context = browser.new_context(**DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
    context.add_init_script(NO_SHARE_SHEET)
    yield context.new_page()
    context.close()


def test_keyboard_journey_through_the_checker_sharing_and_the_print_chooser(keyboard_page, live_site):
    page = keyboard_page
    page.goto(live_site.url + "/")

    # From the home page to the checker by its urgent-help link.
    tab_to(page, ".app-urgent-help a[href='/symptoms/']", check_every_stop=True).press("Enter")
    page.wait_for_url("**/symptoms/")

    # Tick two signs with the space bar, then send the form with Enter.
    for sign in ("sign-itching", "sign-fever"):  # in the order the form lists them
        tab_to(page, f"#{sign}", check_every_stop=True)
        page.keyboard.press("Space")
        expect(page.locator(f"#{sign}")).to_be_checked()
    tab_to(page, "[data-testid=check-submit]", check_every_stop=True).press("Enter")
    page.wait_for_url("**/symptoms/result/?sign=itching&sign=fever")
    card = page.locator("[data-testid=care-card]")
    assert card.get_attribute("data-level") == "go-to-ae"

    # The advice's phone number is reachable, then Share copies this result's address.
    tab_to(page, "[data-testid=care-card] a[href='tel:999']", check_every_stop=True)
    tab_to(page, "[data-share-button]", check_every_stop=True).press("Enter")
    expect(page.locator("[data-testid=share-actions] [role=status]")).to_contain_text("Link copied")
    # The copied address lists the signs in one fixed order, whatever order they came in.
    assert (
        page.evaluate("navigator.clipboard.readText()") == live_site.url + "/symptoms/result/?sign=fever&sign=itching"
    )

    # Back up the page with Shift+Tab to the header's Print link.
    tab_to(page, "header a[href='/print/']", check_every_stop=True, backwards=True).press("Enter")
    page.wait_for_url("**/print/")

    # Tick two sections and ask for them.
    for section in ("section-spasticity", "section-the-trial"):
        tab_to(page, f"#{section}", check_every_stop=True)
        page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")  # going back is fine too: the focus still shows
    assert focus_is_visible(page)
    tab_to(page, "[data-testid=chooser-submit]", check_every_stop=True).press("Enter")
    page.wait_for_url("**/print/booklet/**")
    expect(page.locator("h1")).to_have_text("Sections from the ITB pump booklet")
    # Two sections, in booklet order (two parts need no list of contents).
    parts = page.locator("[data-testid=print-document] .app-print-section > .app-heading > h2")
    expect(parts).to_have_text([re.compile("spasticity", re.IGNORECASE), "The trial"])

    # The printout's own Print button is reachable and shows its focus.
    tab_to(page, "[data-testid=print-button]", check_every_stop=True)


def test_focus_check_catches_an_invisible_focus(browser, live_site):
    # The check above must fail where focus cannot be seen: here every focus style is removed
    # (by a stylesheet the page's own CSP would refuse, so the test bypasses it).
    context = browser.new_context(**DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(live_site.url + "/symptoms/")
    page.add_style_tag(
        content="*:focus, *:focus-visible, *::before { outline: none !important; box-shadow: none !important; }"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert not focus_is_visible(page)
    context.close()
