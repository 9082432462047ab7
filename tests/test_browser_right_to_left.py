"""A right-to-left language lays out correctly (issue 26, item 7), in a real Chromium at 320 px.

No reviewed Urdu or Arabic interface exists yet, so the pages are shown in the right-to-left pseudo-locale
ar-xb (tests/pseudo_locale.py): every interface message mirrored, the page marked dir="rtl".
"""

import pytest
from django.test import override_settings

from tests.pseudo_locale import write_pseudo_catalogs

pytestmark = pytest.mark.browser

PAGES = ["/ar-xb/", "/ar-xb/symptoms/result/?sign=seizures", "/ar-xb/contacts/", "/ar-xb/booklet/the-trial/"]

# Where things sit: the header's logo link, each care card's heading text, and whether the page scrolls sideways.
LAYOUT = """
() => {
  const root = document.documentElement;
  const box = el => el.getBoundingClientRect();
  const textBox = el => { const r = document.createRange(); r.selectNodeContents(el); return r.getClientRects()[0]; };
  const logo = document.querySelector('.nhsuk-header__logo');
  return {
    lang: root.getAttribute('lang'),
    dir: root.getAttribute('dir'),
    width: root.clientWidth,
    scrollsSideways: root.scrollWidth > root.clientWidth,
    logo: logo ? {left: box(logo).left, right: box(logo).right} : null,
    cards: [...document.querySelectorAll('.nhsuk-card--care__heading, .nhsuk-card--care .nhsuk-card__heading')].map(h => ({
      card: {left: box(h.closest('.nhsuk-card')).left, right: box(h.closest('.nhsuk-card')).right},
      text: {left: textBox(h).left, right: textBox(h).right},
    })),
  };
}
"""


@pytest.fixture
def right_to_left_site(live_site, tmp_path):
    with override_settings(LOCALE_PATHS=[write_pseudo_catalogs(tmp_path)]):
        yield live_site


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


def test_a_right_to_left_page_lays_out_from_the_right_at_320px_and_passes_axe(
    right_to_left_site, phone_page, axe_violations
):
    cards = 0
    for path in PAGES:
        phone_page.goto(right_to_left_site.url + path)
        layout = phone_page.evaluate(LAYOUT)
        assert (layout["lang"], layout["dir"]) == ("ar-XB", "rtl"), path
        assert not layout["scrollsSideways"], path
        # The header starts on the right: the NHS logo is in the right half of the screen.
        assert layout["logo"]["left"] > layout["width"] / 2, (path, layout["logo"])
        cards += len(layout["cards"])
        for card in layout["cards"]:
            # A care card's heading starts at the card's right edge, not its left.
            assert card["card"]["right"] - card["text"]["right"] < 40, (path, card)
            assert card["text"]["left"] - card["card"]["left"] > 0, (path, card)
        assert axe_violations(phone_page) == [], path
    assert cards >= 3  # the home page's two, and the result's


def test_the_same_page_in_english_lays_out_from_the_left(live_site, phone_page):
    phone_page.goto(live_site.url + "/symptoms/result/?sign=seizures")
    layout = phone_page.evaluate(LAYOUT)
    assert (layout["lang"], layout["dir"]) == ("en-GB", "ltr")
    assert layout["logo"]["right"] < layout["width"] / 2
    assert layout["cards"] and all(card["text"]["left"] - card["card"]["left"] < 40 for card in layout["cards"])
