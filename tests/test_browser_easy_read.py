"""The Easy Read pages and checker in a real Chromium (issue 26): zero axe violations and no sideways
scrolling at 320 px, the checker works with JavaScript off one screen at a time, and on paper the
points print at 16 pt, each with its picture."""

from itertools import pairwise

import pytest

from tests.test_easy_read_pages import easy_read_paths

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}


def test_the_easy_read_pages_and_checker_have_zero_axe_violations_at_320px(live_site, page, axe_violations):
    page.set_viewport_size(PHONE)
    failures = {}
    for path in easy_read_paths():
        page.goto(live_site.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        violations = axe_violations(page) + ([f"scrolls sideways by {overflow}px"] if overflow > 0 else [])
        if violations:
            failures[path] = violations
    assert failures == {}


def test_the_easy_read_checker_works_with_javascript_off(live_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_site.url + "/easy-read/check/")
    assert page.get_by_test_id("easy-read-step").inner_text() == "Step 1 of 7"
    page.get_by_test_id("easy-read-next").click()
    page.get_by_test_id("easy-read-next").click()
    # The third screen: too little baclofen. Tick "itchy skin", then go on to the end.
    assert page.get_by_test_id("easy-read-step").inner_text() == "Step 3 of 7"
    page.locator("label[for=sign-itching]").click()
    page.get_by_test_id("easy-read-next").click()
    assert page.get_by_test_id("easy-read-step").inner_text() == "Step 4 of 7"
    while page.get_by_test_id("easy-read-next").count():
        page.get_by_test_id("easy-read-next").click()
    page.get_by_test_id("easy-read-see-now").click()
    assert "/easy-read/check/result/" in page.url and "sign=itching" in page.url
    result = page.get_by_test_id("easy-read-result")
    assert result.get_attribute("data-level") == "urgent"
    assert result.locator("a[href^='tel:']").first.is_visible()
    context.close()


def test_a_999_sign_gets_its_answer_from_the_first_screen(live_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_site.url + "/easy-read/check/")
    page.locator("label[for=sign-seizures]").click()
    page.get_by_test_id("easy-read-see-now").click()
    assert page.get_by_test_id("easy-read-result").get_attribute("data-level") == "call-999"
    context.close()


def test_a_999_sign_ticked_then_next_gives_its_answer_at_once(live_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_site.url + "/easy-read/check/")
    page.locator("label[for=sign-hard-to-wake]").click()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_test_id("easy-read-result").get_attribute("data-level") == "call-999"
    context.close()


def test_easy_read_prints_at_16pt_one_point_per_line_with_its_picture(live_site, page):
    page.goto(live_site.url + "/easy-read/refills/")
    page.emulate_media(media="print")
    points = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=easy-read-point]')].map(point => {
            const text = point.querySelector('.app-easy-read__text');
            const picture = point.querySelector('img').getBoundingClientRect();
            const words = text.getBoundingClientRect();
            return {size: parseFloat(getComputedStyle(text).fontSize), picture: picture.width,
                    beside: picture.right <= words.left + 1 && picture.bottom > words.top,
                    top: point.getBoundingClientRect().top, bottom: point.getBoundingClientRect().bottom};
        })"""
    )
    assert len(points) > 10
    for point in points:
        assert point["size"] >= 21.3  # 16 pt is 21.33 CSS px
        assert point["picture"] > 40 and point["beside"]
    # One point per line: each starts below the one before it.
    assert all(later["top"] >= earlier["bottom"] - 1 for earlier, later in pairwise(points))
