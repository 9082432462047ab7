"""The home page's help cards on a 320 px phone (issue 20, point 8; issue 22): the 999 signs, from the
rules, come first and fit the first screen, and the help card starts on it too. The 999 signs are plain
text beside one large "Call 999" link; each bullet of the help card opens the checker with its sign ticked."""

import pytest

from itb_portal.symptoms.rules import load_rules

pytestmark = pytest.mark.browser
FIRST_SCREEN = 640  # a 320 px phone's first screen, as tests/test_browser_thumb.py measures it


def test_the_999_signs_are_the_first_thing_on_the_first_screen_at_320_px(live_booklet, browser):
    context = browser.new_context(viewport={"width": 320, "height": FIRST_SCREEN}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_booklet.url + "/")
    red_flags = page.get_by_test_id("red-flags").bounding_box()
    help_card = page.get_by_test_id("get-help-now").bounding_box()
    assert red_flags["y"] + red_flags["height"] <= FIRST_SCREEN, red_flags  # the whole 999 card
    assert red_flags["y"] < help_card["y"]
    # The 999 signs come first of all the page's own content, before the h1 and the help card.
    assert red_flags["y"] < page.locator("main h1").bounding_box()["y"]
    assert "999" in page.get_by_test_id("red-flags").locator("p").first.text_content()
    context.close()


def test_the_home_pages_999_card_lists_every_999_sign_and_one_large_call_999_link(live_booklet, page):
    page.goto(live_booklet.url + "/")
    card = page.get_by_test_id("red-flags")
    text = card.inner_text().lower()
    for sign in load_rules().signs_in("red-flags"):
        assert sign.label.lower() in text, sign.slug
    links = card.get_by_role("link")
    assert links.count() == 1
    assert links.first.get_attribute("href").startswith("tel:")
    assert "999" in links.first.inner_text()
    box = links.first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44


def test_the_help_cards_stiffness_bullet_opens_the_checker_with_it_ticked(live_booklet, page):
    page.goto(live_booklet.url + "/")
    page.get_by_test_id("get-help-now").get_by_role("link", name="stiffness or spasms").click()
    assert page.locator("#sign-increased-stiffness").is_checked()
    assert not page.locator("#sign-pump-alarm").is_checked()
    rules = load_rules()
    assert rules.signs["increased-stiffness"].label in page.content()
