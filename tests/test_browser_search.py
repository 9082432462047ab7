"""Search and "Was this page useful?" in a real Chromium on the real booklet: zero axe violations,
keyboard use, a 320 px screen, JavaScript off, and search with no network at all."""

import re
from urllib.parse import quote_plus, urlsplit

import pytest
from playwright.sync_api import expect

from itb_portal.feedback import views as feedback_views
from itb_portal.feedback.models import AnswerCount, Comment
from tests.keyboard import tab_to
from tests.test_browser_a11y import FIND_PROBLEMS

pytestmark = pytest.mark.browser

SEARCHES = ["beeping", "fits", "itchy and drowsy", "baclophen", "zzzz", "", "p" * 101, "<b>pump</b> 100%"]


@pytest.fixture(autouse=True)
def fresh_rate_limit(monkeypatch):
    monkeypatch.setattr(feedback_views, "rate_limit", feedback_views.RateLimit(feedback_views.RATE_PER_MINUTE))


def search_url(base: str, query: str) -> str:
    return f"{base}/search/?q={quote_plus(query)}"


def test_search_and_feedback_pages_have_zero_axe_violations(live_booklet, page, axe_violations):
    failures = {}
    paths = [f"/search/?q={quote_plus(q)}" for q in SEARCHES] + [
        "/search/",
        "/feedback/tell-us-more/?page=/booklet/the-trial/",
        "/feedback/thanks/?page=/booklet/the-trial/",
        "/feedback/thanks/?page=/nowhere/",
    ]
    for path in paths:
        page.goto(live_booklet.url + path)
        if violations := axe_violations(page):
            failures[path] = violations
    # The feedback form's error and refusal pages, reached as a person would reach them.
    page.goto(live_booklet.url + "/feedback/tell-us-more/?page=/booklet/the-trial/")
    page.fill("#feedback-comment", "x" * 500)
    page.evaluate("document.querySelector('#feedback-comment').value += ' one word too many'")
    page.click("[data-testid=feedback-send]")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    if violations := axe_violations(page):
        failures["comment too long"] = violations
    page.evaluate("document.querySelector('input[name=page]').value = '/nowhere/'")
    page.click("[data-testid=feedback-send]")
    expect(page.locator("[data-testid=feedback-problem]")).to_be_visible()
    if violations := axe_violations(page):
        failures["feedback refused"] = violations
    assert failures == {}


def test_the_feedback_steps_shown_in_place_have_zero_axe_violations(live_booklet, page, axe_violations):
    page.goto(live_booklet.url + "/booklet/living-with-a-pump/")
    page.get_by_role("button", name=re.compile("^No")).click()
    expect(page.locator("#feedback-comment")).to_be_visible()
    assert axe_violations(page) == []
    page.fill("#feedback-comment", "More on travel insurance.")
    page.click("[data-testid=feedback-send]")
    expect(page.locator("[data-testid=feedback]")).to_contain_text("Thank you for your feedback")
    assert axe_violations(page) == []


def test_a_keyboard_user_searches_from_the_header_and_opens_a_result(live_booklet, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/the-trial/")
    tab_to(page, "#search-field", check_every_stop=True)
    page.keyboard.type("beeping")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=beeping")
    assert page.locator("#search-query").input_value() == "beeping"
    link = tab_to(page, ".app-search-result__link", check_every_stop=True)
    href = link.get_attribute("href")
    assert re.fullmatch(r"/booklet/[a-z0-9-]+/#[a-z0-9-]+", href) and "alarm" in link.inner_text().lower()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    target = href.split("#")[1]
    assert page.locator(f"#{target}").is_visible()
    context.close()


def test_a_keyboard_user_answers_was_this_page_useful(live_booklet, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/risks/")
    tab_to(page, "[data-testid=feedback] button[value=no]", check_every_stop=True).press("Enter")
    # The next step appears in place, and the focus moves to its heading.
    expect(page.locator("[data-testid=feedback] h2:focus")).to_have_text("Tell us why the page did not help")
    tab_to(page, "#feedback-comment", check_every_stop=True)
    page.keyboard.type("Which pump do I have? Ring 07700 900123.")
    tab_to(page, "[data-testid=feedback-send]", check_every_stop=True).press("Enter")
    expect(page.locator("[data-testid=feedback] h2:focus")).to_have_text("Thank you for your feedback")
    assert page.url == live_booklet.url + "/booklet/risks/"  # never left the page
    assert AnswerCount.objects.get().page == "/booklet/risks/"
    assert "07700" not in Comment.objects.get().text and "Which pump do I have?" in Comment.objects.get().text
    context.close()


def test_the_header_search_box_works_at_320px(live_booklet, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/faqs/")
    field = page.locator("#search-field")
    button = page.locator(".nhsuk-header__search-form button")
    for control in (field, button):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["height"] >= 40, box
    assert field.bounding_box()["width"] >= 180
    field.tap()
    field.fill("holiday")
    button.tap()
    page.wait_for_url("**/search/?q=holiday")
    expect(page.locator(".app-search-result__link").first).to_be_visible()
    for path in ["/search/?q=fits", "/feedback/tell-us-more/?page=/", "/feedback/thanks/?page=/"]:
        page.goto(live_booklet.url + path)
        assert page.evaluate(FIND_PROBLEMS) == [], path
    context.close()


def test_search_and_feedback_work_with_javascript_off(live_booklet, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_booklet.url + "/booklet/the-trial/")
    page.fill("#search-field", "flying")
    page.press("#search-field", "Enter")
    page.wait_for_url("**/search/?q=flying")
    first = page.locator(".app-search-result__link").first
    assert re.search(r"travel|abroad|airport", first.inner_text(), re.IGNORECASE)
    first.click()
    page.wait_for_url(re.compile(r".*/booklet/(living-with-a-pump|faqs)/#.+"))
    # Was this page useful? No, then a comment, each a page of its own.
    here = urlsplit(page.url).path
    page.get_by_role("button", name=re.compile("^No")).click()
    page.wait_for_url("**/feedback/tell-us-more/**")
    page.fill("#feedback-comment", "Say what to pack. My NHS number is 485 777 3456.")
    page.click("[data-testid=feedback-send]")
    page.wait_for_url("**/feedback/thanks/**")
    page.get_by_role("link", name="Go back to the page you were reading").click()
    assert urlsplit(page.url).path == here
    assert AnswerCount.objects.get().page == here and "485 777" not in Comment.objects.get().text
    context.close()


def test_a_public_page_with_the_search_and_feedback_forms_sets_no_cookie(live_booklet, page):
    page.goto(live_booklet.url + "/booklet/the-trial/")
    page.get_by_role("button", name=re.compile("^Yes")).click()
    expect(page.locator("[data-testid=feedback]")).to_contain_text("Thank you for your feedback")
    page.goto(search_url(live_booklet.url, "itchy"))
    assert page.context.cookies() == []


# --- Offline ------------------------------------------------------------------------------------


def outcome_of(page) -> dict:
    """What a reader gets from a search: the cards, the lines of text, and every link and mark."""
    return page.evaluate(
        """() => {
        const output = document.querySelector('[data-search-output]');
        return {
          text: output.innerText.replace(/\\s+/g, ' ').trim(),
          links: [...output.querySelectorAll('a')].map(a => a.getAttribute('href')),
          marks: [...output.querySelectorAll('mark')].map(m => m.textContent),
          cards: [...output.querySelectorAll('[data-testid=symptom-card]')].map(c => c.dataset.group),
        };
    }"""
    )


OFFLINE_QUERIES = [
    "beeping",
    "fits",
    "itchy and drowsy",
    "fever goosebumps",
    "baclophen",
    "how long does the battery last",
    "zzzz",
    "",
]


def test_search_works_with_no_network_and_shows_what_the_server_shows(live_booklet, browser):
    """Offline, the service worker answers /search/?q= with the stored /search/ page and its files
    (issue 15). Here the browser is given exactly those, and every other request fails."""
    online = browser.new_context()
    page = online.new_page()
    stored: dict[str, tuple[str, bytes]] = {}

    def keep(response):
        if response.ok and response.url.startswith(live_booklet.url):
            stored[response.url] = (response.headers.get("content-type", ""), response.body())

    page.on("response", keep)
    page.goto(live_booklet.url + "/search/")
    page.wait_for_load_state("networkidle")
    shell = page.locator("[data-search-offline]")
    # What the service worker stores for offline search besides the page (the files it names).
    for name in ("data-core-url", "data-lunr-url", "data-index-url"):
        stored_address = shell.get_attribute(name)
        response = page.request.get(live_booklet.url + stored_address)
        stored[live_booklet.url + stored_address] = (response.headers["content-type"], response.body())
    expected = {}
    for query in OFFLINE_QUERIES:
        page.goto(search_url(live_booklet.url, query))
        expected[query] = outcome_of(page)
    online.close()
    # Two signs of too little baclofen: each alone is urgent, together A&E, offline too (H59).
    assert "Go to A&E now" in expected["fever goosebumps"]["text"]

    offline = browser.new_context()
    requests_refused = []

    def from_store(route):
        url = route.request.url
        if urlsplit(url).path == "/search/" and route.request.resource_type == "document":
            url = live_booklet.url + "/search/"
        if url in stored:
            content_type, body = stored[url]
            route.fulfill(status=200, body=body, headers={"Content-Type": content_type})
        else:
            requests_refused.append(url)
            route.abort("internetdisconnected")

    offline.route("**/*", from_store)
    page = offline.new_page()
    for query in OFFLINE_QUERIES:
        page.goto(search_url(live_booklet.url, query))
        page.wait_for_selector("[data-search-output] > *")
        page.wait_for_function("!document.querySelector('[data-search-output]').innerText.includes('Searching')")
        shown = outcome_of(page)
        if query == "":
            assert "Enter a word or question to search for." in shown["text"]
            continue
        assert shown == expected[query], query
        assert page.locator("#search-query").input_value() == query
    assert [url for url in requests_refused if "/qr/" not in url] == []
    offline.close()
