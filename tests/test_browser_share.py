"""Sharing in a real Chromium at phone size (390 x 844): the phone's share sheet, the copy
fallback, JavaScript off, the keyboard, and an old shared link after a rename in the admin."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.keyboard import focus_is_visible, tab_to

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# A phone's share sheet, recorded instead of opened.
FAKE_SHARE_SHEET = """
window.__shared = [];
Object.defineProperty(Navigator.prototype, "share", {
  configurable: true,
  value: async function (data) { window.__shared.push({ title: data.title, url: data.url }); },
});
"""
# A browser with no share sheet, such as most desktop browsers.
NO_SHARE_SHEET = "delete Navigator.prototype.share;"


@pytest.fixture
def phone(browser, live_site):
    contexts = []

    def open_page(*, javascript: bool = True, init_script: str | None = None, clipboard: bool = False):
        context = browser.new_context(**PHONE, java_script_enabled=javascript)
        contexts.append(context)
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
        if init_script:
            context.add_init_script(init_script)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_share_button_opens_the_phones_share_sheet_with_this_pages_title_and_address(phone, live_site):
    page = phone(init_script=FAKE_SHARE_SHEET)
    page.goto(live_site.url + "/booklet/the-trial/")
    page.get_by_role("button", name="Share this page").click()
    expect(page.locator("[data-share-link]")).to_be_hidden()
    assert page.evaluate("window.__shared") == [{"title": "The trial", "url": live_site.url + "/booklet/the-trial/"}]
    # The QR code and other ways to share are one tap away.
    expect(page.get_by_role("link", name="Show a QR code and other ways to share")).to_be_visible()


def test_share_sheet_gets_the_part_of_the_page_someone_went_to(phone, live_site):
    page = phone(init_script=FAKE_SHARE_SHEET)
    page.goto(live_site.url + "/booklet/the-trial/#after-the-test")
    page.get_by_role("button", name="Share this page").click()
    assert page.evaluate("window.__shared[0].url") == live_site.url + "/booklet/the-trial/#after-the-test"


def test_without_a_share_sheet_the_button_copies_the_address_and_says_so(phone, live_site):
    page = phone(init_script=NO_SHARE_SHEET, clipboard=True)
    page.goto(live_site.url + "/contacts/")
    assert page.evaluate("typeof navigator.share") == "undefined"
    page.get_by_role("button", name="Share this page").click()
    status = page.locator("[data-testid=share-actions] [role=status]")
    expect(status).to_contain_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == live_site.url + "/contacts/"


def test_with_javascript_off_share_is_a_link_to_a_page_with_the_address_and_a_qr_code(phone, live_site):
    page = phone(javascript=False)
    page.goto(live_site.url + "/booklet/the-trial/")
    expect(page.locator("[data-share-button]")).to_be_hidden()
    page.get_by_role("button", name="Share this page").click()  # a link with role="button" (NHS.UK style)

    assert page.url == live_site.url + "/share/?page=%2Fbooklet%2Fthe-trial%2F"
    expect(page.locator("h1")).to_contain_text("The trial")
    expect(page.get_by_test_id("share-address")).to_have_text(live_site.url + "/booklet/the-trial/")
    qr = page.get_by_test_id("share-qr")
    expect(qr).to_be_visible()
    # Loaded and decoded (a broken image is complete with no width, and times out here).
    page.wait_for_function(
        "() => { const qr = document.querySelector('[data-testid=share-qr]');"
        " return qr.complete && qr.naturalWidth > 0 }"
    )
    assert qr.bounding_box()["width"] >= 300  # big enough to scan from a screen across a desk
    expect(page.get_by_role("link", name="Send the link by email")).to_be_visible()
    expect(page.get_by_role("button", name="Copy the link")).to_be_hidden()  # needs JavaScript


def test_share_page_copy_button_copies_the_address(phone, live_site):
    page = phone(clipboard=True)
    page.goto(live_site.url + "/share/?page=/contacts/")
    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator(".app-share-page [role=status]")).to_contain_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == live_site.url + "/contacts/"


def test_keyboard_reaches_and_operates_the_share_button_with_a_visible_focus(phone, live_site):
    page = phone(init_script=FAKE_SHARE_SHEET)
    page.goto(live_site.url + "/booklet/the-trial/")
    button = tab_to(page, "[data-share-button]")
    assert focus_is_visible(page)
    button.press("Enter")
    assert page.evaluate("window.__shared.length") == 1


def test_keyboard_reaches_and_follows_a_link_to_this_part_with_a_visible_focus(phone, live_site):
    page = phone()
    page.goto(live_site.url + "/booklet/the-trial/")
    link = tab_to(page, ".app-heading-link")
    assert focus_is_visible(page)
    assert link.get_attribute("href") == "#the-test-dose"
    expect(link).to_have_accessible_name("Link to this part: The test dose")
    link.press("Enter")
    assert page.url == live_site.url + "/booklet/the-trial/#the-test-dose"
    heading = page.locator("#the-test-dose")
    expect(heading).to_be_in_viewport()


def test_heading_links_are_visible_beside_their_heading(phone, live_site):
    page = phone()
    page.goto(live_site.url + "/booklet/the-trial/")
    heading = page.locator("#the-test-dose").bounding_box()
    link = page.locator("a[href='#the-test-dose']")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= heading["x"] + heading["width"] - 1  # after the words, on the same line
    assert abs(box["y"] - heading["y"]) < heading["height"]
    assert box["width"] >= 24 and box["height"] >= 24  # big enough to tap (WCAG 2.5.8)


def test_an_old_shared_link_lands_on_the_section_after_a_rename_in_the_admin(phone, live_site, django_user_model):
    django_user_model.objects.create_superuser("nurse", "nurse@example.nhs.uk", "a-long-test-password-123")
    sections = reverse("admin:booklet_section_changelist")
    page = phone()
    page.goto(live_site.url + reverse("admin:login") + "?next=" + sections)
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill("a-long-test-password-123")
    page.get_by_role("button", name="Log in").click()
    approver = phone()  # a second person: renames go live only once a clinical approver approves them
    django_user_model.objects.create_superuser("ada", "ada@example.nhs.uk", "a-long-test-password-123")
    approver.goto(live_site.url + reverse("admin:login") + "?next=" + sections)
    approver.get_by_label("Username").fill("ada")
    approver.get_by_label("Password").fill("a-long-test-password-123")
    approver.get_by_role("button", name="Log in").click()
    for new_slug in ("trial-dose", "your-trial"):
        page.goto(live_site.url + sections)
        page.get_by_role("link", name="The trial", exact=True).click()
        page.locator("#id_slug").fill(new_slug)
        page.get_by_role("button", name="Save and submit for approval", exact=True).click()
        # A save runs the data checks, the audit and the approvers' email: slow on a busy 2-core CI machine.
        expect(page.locator(".messagelist")).to_contain_text("Submitted for approval", timeout=20_000)
        approver.goto(page.url)  # the draft's "check and approve" page
        approver.get_by_test_id("approve").click()
        expect(approver.locator(".messagelist")).to_contain_text("Approved and published", timeout=20_000)

    # A link shared before both renames, to one part of the page.
    visitor = phone()
    visitor.goto(live_site.url + "/booklet/the-trial/#after-the-test")
    assert visitor.url == live_site.url + "/booklet/your-trial/#after-the-test"
    expect(visitor.locator("h1")).to_have_text("The trial")
    expect(visitor.locator("#after-the-test")).to_be_in_viewport()


def test_a_printed_share_page_is_the_title_the_qr_code_and_the_address_on_one_sheet(phone, live_site):
    page = phone()
    page.goto(live_site.url + "/share/?page=/booklet/the-trial/")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("share-qr")).to_be_visible()
    expect(page.get_by_role("link", name="Send the link by email")).to_be_hidden()
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(sheet.extract_text() for sheet in reader.pages)
    assert len(reader.pages) == 1
    assert "The trial" in text and live_site.url + "/booklet/the-trial/" in text.replace("\n", "")
    assert "Send the link" not in text and "Share this page" in text  # the caption above the title
