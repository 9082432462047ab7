"""The checker and contacts in a real Chromium at phone size, with JavaScript on and off, and by keyboard."""

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES_TO_AUDIT = [
    "/symptoms/",
    "/symptoms/result/?sign=seizures",
    "/symptoms/result/?sign=drowsiness",
    "/symptoms/result/?sign=itching",
    "/symptoms/result/?sign=pump-alarm&recent_operation=yes",
    "/symptoms/result/",
    "/contacts/",
    "/symptoms/emergency-sheet/",
]


def check_and_submit(page, labels: list[str]):
    for label in labels:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Find out what to do").last.click()
    page.wait_for_url("**/symptoms/result/**")


def card(page):
    return page.locator("[data-testid=care-card]")


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def phone_page(request, browser):
    context = browser.new_context(java_script_enabled=request.param, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_a_red_flag_leads_to_call_999_with_a_tap_to_call_link(live_site, phone_page):
    phone_page.goto(live_site.url + "/symptoms/")
    check_and_submit(phone_page, ["Itchy skin", "Fits (seizures)"])
    assert card(phone_page).get_attribute("data-level") == "call-999"
    assert card(phone_page).locator("h2").inner_text().endswith("Call 999 now")
    assert card(phone_page).locator('a[href="tel:999"]').is_visible()
    assert "sign=seizures" in phone_page.url and "sign=itching" in phone_page.url


def test_an_urgent_sign_leads_to_a_phone_number_for_now(live_site, phone_page):
    phone_page.goto(live_site.url + "/symptoms/")
    check_and_submit(phone_page, ["Goosebumps"])
    assert card(phone_page).get_attribute("data-level") == "urgent"
    links = card(phone_page).locator('a[href^="tel:"]')
    assert links.count() >= 1
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs & {"tel:+441133922178", "tel:111"}


def test_a_recent_operation_leads_to_the_wards(live_site, phone_page):
    phone_page.goto(live_site.url + "/symptoms/")
    check_and_submit(phone_page, ["Is making an alarm sound", "My pump was put in or changed in the last 6 weeks"])
    assert card(phone_page).locator('a[href="tel:+441133927424"]').is_visible()
    assert card(phone_page).locator('a[href="tel:+441133927425"]').is_visible()


def test_no_sign_shows_the_triggers(live_site, phone_page):
    phone_page.goto(live_site.url + "/symptoms/")
    phone_page.get_by_role("button", name="Find out what to do").last.click()
    assert card(phone_page).get_attribute("data-level") == "non-urgent"
    assert phone_page.locator("[data-testid=triggers] li").count() == 8


def test_a_bad_address_shows_the_problem_and_the_form(live_site, phone_page):
    response = phone_page.goto(live_site.url + "/symptoms/result/?sign=sneezing")
    assert response.status == 400
    assert "We did not recognise the sign “sneezing”." in phone_page.locator(".nhsuk-error-summary").inner_text()
    check_and_submit(phone_page, ["Weak legs"])
    assert card(phone_page).get_attribute("data-level") == "go-to-ae"


def test_get_help_now_reaches_the_checker_in_one_tap_from_a_booklet_page(live_site, phone_page):
    phone_page.goto(live_site.url + "/booklet/the-trial/")
    phone_page.get_by_role("link", name="Get help now").tap()
    phone_page.wait_for_url("**/symptoms/")
    phone_page.goto(live_site.url + "/booklet/the-trial/")
    phone_page.get_by_role("link", name="who to call").tap()
    phone_page.wait_for_url("**/contacts/")


def test_the_contacts_page_offers_tap_to_call_links(live_site, phone_page):
    phone_page.goto(live_site.url + "/contacts/")
    nurse = phone_page.locator('[data-line="nurse-specialist"]')
    assert nurse.locator('a[href="tel:+441133922178"]').is_visible()
    assert nurse.locator("strong.nhsuk-tag").inner_text() in ("Open now", "Closed now")
    assert "Nobody checks this inbox" in phone_page.locator("[data-testid=email-warning]").inner_text()


def test_a_keyboard_user_can_choose_signs_and_submit(live_site, page):
    page.goto(live_site.url + "/symptoms/")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "sign-drowsiness":
            break
    assert page.evaluate("document.activeElement.id") == "sign-drowsiness"
    page.keyboard.press("Space")
    assert page.locator("#sign-drowsiness").is_checked()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "check-submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/symptoms/result/?sign=drowsiness")
    assert card(page).get_attribute("data-level") == "go-to-ae"


@pytest.mark.parametrize("path", PAGES_TO_AUDIT)
def test_checker_pages_have_zero_axe_violations(live_site, page, axe_violations, path):
    page.goto(live_site.url + path)
    assert axe_violations(page) == []


def test_the_error_page_has_zero_axe_violations(live_site, page, axe_violations):
    page.goto(live_site.url + "/symptoms/result/?sign=sneezing")
    assert axe_violations(page) == []


def test_checker_pages_fit_a_320px_screen(live_site, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PAGES_TO_AUDIT:
        page.goto(live_site.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)


def test_a_result_prints_cleanly_with_its_card_and_numbers(live_site, page):
    page.goto(live_site.url + "/symptoms/result/?sign=pump-alarm&recent_operation=yes")
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    assert page.locator("[data-testid=care-card]").is_visible()
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) <= 2
    assert "Call the neurosurgery ward now" in text
    assert "0113 392 7424" in text and "0113 392 7425" in text
    assert "tel:" not in text and "Get help now" not in text
