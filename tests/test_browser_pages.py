"""Every public page of the real booklet in a real Chromium at phone size: zero axe violations,
no horizontal scrolling at 320 px, and nothing requested from another host."""

import pytest

from tests.public_pages import public_paths

pytestmark = pytest.mark.browser


def test_every_public_page_has_zero_axe_violations(live_booklet, page, axe_violations):
    failures = {}
    for path in public_paths():
        page.goto(live_booklet.url + path)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}


def test_pages_fit_a_320px_screen_without_sideways_scrolling(live_booklet, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in public_paths():
        page.goto(live_booklet.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)


def test_no_request_leaves_the_site_and_the_console_stays_clean(live_booklet, page):
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in public_paths():
        page.goto(live_booklet.url + path)
        page.wait_for_load_state("networkidle")
    outside = [url for url in requests if not url.startswith(live_booklet.url) and not url.startswith("data:")]
    assert outside == []
    assert errors == []


def test_pages_read_fully_with_javascript_off(live_booklet, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_booklet.url + "/")
    page.get_by_role("link", name="The trial").first.click()
    assert page.locator("h1").inner_text() == "The trial"
    assert "25 micrograms" in page.locator("main").inner_text()
    page.get_by_role("link", name="Get help now").click()
    assert page.url.endswith("/symptoms/")
    context.close()


def test_keyboard_user_can_skip_to_main_content(live_booklet, page):
    page.goto(live_booklet.url + "/booklet/the-trial/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"
