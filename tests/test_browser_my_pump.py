"""The patient's own pump card in a real Chromium: kept only in this browser, never sent in any
request, a refill reminder as an RFC 5545 calendar file, the trip check, and the two printouts
(a wallet card at bank-card size, an A&E sheet on one A4 page), with and without JavaScript."""

import io
import json
import re
from datetime import date, datetime, timedelta
from urllib.parse import unquote_plus

import icalendar
import pytest
from django.core.signals import request_started
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from itb_portal.companion.fields import PUMP_FIELDS
from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules

pytestmark = pytest.mark.browser


STORAGE_KEY = "itb-portal.my-pump"
# Words nobody else would send, so any request carrying one carries what was typed.
TYPED = {
    "name": "Zebedee Quillfeather",
    "hospital_number": "RQX4417Z",
    "pump": "Pumpwright Zeta 40 ml",
    "drug": "Qwibaclofen 2000 units",
    "dose": "Xylodose 321.5",
    "refill_date": "2027-03-17",
    "alarm_date": "2027-03-09",
    "nurse": "Marigold Pengelly",
}
BANK_CARD_MM = (85.6, 53.98)
POINTS_PER_MM = 72 / 25.4


def pump_url(live_server, name: str) -> str:
    return live_server.url + reverse(name)


def fill_in(page, values: dict[str, str]) -> None:
    for key, value in values.items():
        page.locator(f"#my-pump-{key}").fill(value)
        page.locator(f"#my-pump-{key}").dispatch_event("change")


def date_forms(iso: str) -> list[str]:
    day = date.fromisoformat(iso)
    return [iso, day.strftime("%Y%m%d"), day.strftime("%d/%m/%Y"), f"{day.day} {day:%B %Y}", f"{day:%B}"]


def forbidden_words() -> list[str]:
    words = []
    for key, value in TYPED.items():
        words += date_forms(value) if key.endswith("_date") else [value, *value.split()]
    return [word for word in words if len(word) > 3 and word not in {"40 ml", "2000", "units"}]


# --- Kept in this browser only ------------------------------------------------------------------


def test_details_stay_in_this_browser_and_are_forgotten_on_request(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    fill_in(page, TYPED)
    assert page.get_by_test_id("saved-status").inner_text() == "Saved in this browser."
    page.reload()
    for key, value in TYPED.items():
        assert page.locator(f"#my-pump-{key}").input_value() == value, key
    assert json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')")) == TYPED

    page.get_by_test_id("forget").click()
    assert page.get_by_test_id("saved-status").inner_text() == "Your details have been removed from this browser."
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    page.reload()
    for key in TYPED:
        assert page.locator(f"#my-pump-{key}").input_value() == "", key


def test_no_request_ever_carries_what_was_typed(live_site, page, context):
    seen_by_browser = []
    context.on(
        "request",
        lambda request: seen_by_browser.append(
            " ".join([request.method, unquote_plus(request.url), json.dumps(request.headers), request.post_data or ""])
        ),
    )
    seen_by_server = []

    def server_saw(environ, **kwargs):
        headers = {key: value for key, value in environ.items() if key.startswith("HTTP_")}
        seen_by_server.append(
            (
                environ["REQUEST_METHOD"],
                environ.get("CONTENT_LENGTH") or "",
                environ["PATH_INFO"],
                environ.get("QUERY_STRING", ""),
                json.dumps(headers),
            )
        )

    request_started.connect(server_saw)
    try:
        page.goto(pump_url(live_site, "companion:my_pump"))
        fill_in(page, TYPED)
        page.keyboard.press("Enter")  # in case anything would submit
        page.locator("#trip-start").fill("2027-03-01")
        page.locator("#trip-end").fill("2027-03-25")
        page.get_by_test_id("trip-check").click()
        with page.expect_download():
            page.get_by_test_id("calendar").click()
        for name in ("companion:wallet_card", "companion:handover_sheet"):
            page.goto(pump_url(live_site, name))
            assert TYPED["name"] in page.locator("main").inner_text()
            page.emulate_media(media="print")
            page.pdf(format="A4")
            page.emulate_media(media="screen")
        page.goto(pump_url(live_site, "companion:my_pump"))
        page.get_by_role("link", name="Contacts").first.click()
        page.wait_for_load_state()
    finally:
        request_started.disconnect(server_saw)

    assert seen_by_browser and seen_by_server
    words = [*forbidden_words(), "2027-03-01", "2027-03-25"]
    for request in seen_by_browser:
        for word in words:
            assert word not in request, (word, request)
    for method, length, path, query, headers in seen_by_server:
        assert method in ("GET", "HEAD") and length in ("", "0"), (method, path)
        for word in words:
            assert word not in unquote_plus(f"{path}?{query} {headers}"), (word, path)


# --- The refill reminder ---------------------------------------------------------------------------


def test_the_calendar_file_is_rfc_5545_with_alarms_14_and_3_days_before(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    fill_in(page, {"refill_date": "2027-03-17", "name": "Zebedee Quillfeather"})
    button = page.get_by_role("button", name=re.compile("calendar"))
    assert button.count() == 1
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    raw = download.path().read_bytes()
    assert page.get_by_test_id("calendar-status").inner_text().startswith("Your calendar file is ready")

    # Every line ends CRLF and is at most 75 octets (RFC 5545, 3.1).
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
    assert b"\n" not in raw.replace(b"\r\n", b"")

    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event["UID"] and isinstance(event.decoded("DTSTAMP"), datetime)
    assert event.decoded("DTSTART") == date(2027, 3, 17)
    assert event.decoded("DTEND") == date(2027, 3, 18)
    assert "refill" in str(event["SUMMARY"]).lower()
    # Who to call is a link to the contacts page, never a number that could go out of date.
    assert str(event["URL"]).endswith(reverse("contacts:index"))
    # Nothing else about the person goes into a calendar others may see.
    assert b"Zebedee" not in raw
    for phone in load_directory().team_line.phones:
        assert phone.number.replace(" ", "").encode() not in raw.replace(b" ", b"")
    alarms = event.walk("VALARM")
    morning = datetime(2027, 3, 17)
    assert sorted(morning + alarm.decoded("TRIGGER") for alarm in alarms) == [
        morning - timedelta(days=14) + timedelta(hours=9),
        morning - timedelta(days=3) + timedelta(hours=9),
    ]
    assert all(str(alarm["ACTION"]) == "DISPLAY" and alarm["DESCRIPTION"] for alarm in alarms)


def test_the_calendar_asks_for_the_refill_date_first(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    page.get_by_test_id("calendar").click()
    assert page.get_by_test_id("calendar-status").inner_text() == "Enter your refill due date above first."
    assert page.evaluate("document.activeElement.id") == "my-pump-refill_date"


def test_a_refill_date_that_has_passed_says_to_call_the_team_today(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    assert not page.get_by_test_id("refill-overdue").is_visible()
    fill_in(page, {"refill_date": (date.today() - timedelta(days=2)).isoformat()})
    warning = page.get_by_test_id("refill-overdue")
    assert warning.is_visible()
    assert "call the ITB team today" in warning.inner_text()
    assert load_directory().team_line.phones[0].number in warning.inner_text()


# --- Enough for my trip? ------------------------------------------------------------------------------


def check_trip(page, start: str, end: str) -> str:
    page.locator("#trip-start").fill(start)
    page.locator("#trip-end").fill(end)
    page.get_by_test_id("trip-check").click()
    return page.get_by_test_id("trip-result").inner_text()


def test_a_refill_or_alarm_before_the_trip_ends_means_talk_to_the_team_before_you_go(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    fill_in(page, {"refill_date": "2027-03-17"})
    said = check_trip(page, "2027-03-10", "2027-03-20")
    assert "Talk to the ITB team before you go" in said
    assert "refill due date is on 17 March 2027" in said
    assert "before your trip ends on 20 March 2027" in said
    assert load_directory().team_line.phones[0].number in said
    # The refill on the trip's last day counts too.
    assert "Talk to the ITB team" in check_trip(page, "2027-03-10", "2027-03-17")
    # An alarm date before the refill date is the one that matters.
    fill_in(page, {"alarm_date": "2027-03-05"})
    said = check_trip(page, "2027-03-01", "2027-03-06")
    assert "Talk to the ITB team" in said and "low-reservoir alarm date is on 5 March 2027" in said


def test_a_trip_that_ends_before_the_refill_says_so_and_still_offers_the_team(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    fill_in(page, {"refill_date": "2027-03-17"})
    said = check_trip(page, "2027-03-01", "2027-03-10")
    assert "after your trip ends on 10 March 2027" in said
    assert "ask the ITB team before you go" in said
    assert "Talk to the ITB team" not in said


def test_the_trip_check_asks_for_what_it_needs(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    assert check_trip(page, "2027-03-01", "") == "Enter the first and last day of your trip."
    assert "on or after the first day" in check_trip(page, "2027-03-10", "2027-03-01")
    said = check_trip(page, "2027-03-01", "2027-03-10")
    assert "Add your refill due date or alarm date" in said and "ask the ITB team before you go" in said


def test_the_trip_check_links_to_the_travel_advice(live_booklet, page):
    page.goto(pump_url(live_booklet, "companion:my_pump"))
    page.get_by_test_id("travel-advice").click()
    page.wait_for_url(re.compile(r"#travel$"))
    travel = page.locator("#travel")
    assert travel.is_visible()
    assert "airport" in page.locator("main").inner_text().lower()


# --- The printouts ----------------------------------------------------------------------------------------


def drawn_boxes_mm(pdf: bytes) -> list[tuple[float, float]]:
    """The size, in millimetres, of every rectangle drawn on the first page of `pdf`."""
    boxes = []

    def visit(operator, operands, cm, tm):
        if operator == b"re":
            width, height = (abs(float(n)) for n in operands[2:4])
            boxes.append((round(width * abs(cm[0]) / POINTS_PER_MM, 2), round(height * abs(cm[3]) / POINTS_PER_MM, 2)))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_operand_before=visit)
    return boxes


def printed(page, url: str) -> tuple[PdfReader, bytes]:
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    return PdfReader(io.BytesIO(pdf)), pdf


def assert_bank_card_sides(pdf: bytes) -> None:
    # Front and back, each drawn at the size of a bank card (to within 0.3 mm: borders snap to
    # whole CSS pixels of 0.26 mm), side by side to fold.
    sides = [
        box for box in drawn_boxes_mm(pdf) if all(abs(a - b) <= 0.3 for a, b in zip(box, BANK_CARD_MM, strict=True))
    ]
    assert len(sides) >= 2, drawn_boxes_mm(pdf)


def test_the_wallet_card_prints_on_one_page_at_bank_card_size_with_the_details(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    fill_in(page, TYPED)
    reader, pdf = printed(page, pump_url(live_site, "companion:wallet_card"))
    assert len(reader.pages) == 1
    assert_bank_card_sides(pdf)
    text = " ".join(reader.pages[0].extract_text().split())
    for key in ("name", "hospital_number", "pump", "drug", "dose", "nurse"):
        assert TYPED[key] in text, key
    assert "17 March 2027" in text
    for phone in load_directory().team_line.phones:
        assert phone.number in text
    # Paper is kept for months: the card says when it was printed, and where the numbers are kept up to date.
    today = timezone.localdate()  # a UK day, as the card prints it
    assert f"Printed {today.day} {today:%B %Y}" in text
    assert reverse("contacts:index") in text
    # Cut marks: eight short lines, 5 mm long, beyond the card's corners.
    marks = [
        box for box in drawn_boxes_mm(pdf) if sorted(box)[1] > 4.5 and sorted(box)[1] < 5.5 and sorted(box)[0] < 0.5
    ]
    assert len(marks) == 8, drawn_boxes_mm(pdf)


def test_the_handover_sheet_prints_on_one_a4_page_with_the_details_signs_and_numbers(live_site, page):
    page.goto(pump_url(live_site, "companion:my_pump"))
    fill_in(page, TYPED)
    reader, _ = printed(page, pump_url(live_site, "companion:handover_sheet"))
    assert len(reader.pages) == 1
    width, height = (float(n) for n in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) in {(595, 842), (596, 843)}
    # A line may break after a hyphen ("light-" / "headed"): read the words back as one.
    text = " ".join(reader.pages[0].extract_text().split()).replace("- ", "-")
    for key, value in TYPED.items():
        expected = (
            f"{date.fromisoformat(value).day} {date.fromisoformat(value):%B %Y}" if key.endswith("_date") else value
        )
        assert expected in text, key
    for sign in load_rules().signs_of("overdose"):
        assert sign.label in text, sign.slug
    for phone in load_directory().team_line.phones:
        assert phone.number in text
    for words in ("Do not switch off or take out the pump", "life-threatening", "sepsis or autonomic dysreflexia"):
        assert words in text, words


def test_without_javascript_the_page_offers_blank_printouts_to_fill_in_by_hand(live_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(pump_url(live_site, "companion:my_pump"))
    assert page.get_by_test_id("my-pump-no-js").is_visible()
    for field in PUMP_FIELDS:
        assert not page.locator(f"#my-pump-{field.key}").is_visible(), field.key
    assert page.get_by_test_id("card-link").is_visible() and page.get_by_test_id("sheet-link").is_visible()

    reader, pdf = printed(page, pump_url(live_site, "companion:wallet_card"))
    assert len(reader.pages) == 1
    assert_bank_card_sides(pdf)
    reader, _ = printed(page, pump_url(live_site, "companion:handover_sheet"))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for field in PUMP_FIELDS:
        assert str(field.short) in text, field.key
    context.close()


# --- Accessibility -------------------------------------------------------------------------------------------


def test_the_card_page_and_both_printouts_have_no_axe_violations(live_site, page, axe_violations):
    page.goto(pump_url(live_site, "companion:my_pump"))
    assert axe_violations(page) == []
    fill_in(page, TYPED)
    check_trip(page, "2027-03-10", "2027-03-20")
    assert axe_violations(page) == []
    for name in ("companion:wallet_card", "companion:handover_sheet"):
        page.goto(pump_url(live_site, name))
        page.emulate_media(media="print")
        assert axe_violations(page) == [], name
        page.emulate_media(media="screen")
        assert axe_violations(page) == [], name
