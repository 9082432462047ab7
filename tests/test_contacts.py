"""The contacts page and its data: every number tappable, the hours, open now in UK time, the email warning."""

import copy
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml

from itb_portal.contacts.directory import ContactsDataError, Phone, contacts_path, is_open, load_directory
from tests.conftest import LONDON

REAL_CONTACTS = yaml.safe_load(contacts_path().read_text(encoding="utf-8"))
BOOKLET_NUMBERS = [
    "0113 392 2178",
    "0776 636 0404",
    "0113 392 4614",
    "0113 392 8567",
    "0113 392 7424",
    "0113 392 7425",
]


def write_contacts(folder: Path, change) -> Path:
    data = copy.deepcopy(REAL_CONTACTS)
    change(data)
    path = folder / "contacts.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_contacts_data_holds_every_number_from_the_booklet_exactly():
    numbers = {phone.number for line in load_directory().lines for phone in line.phones}
    assert set(BOOKLET_NUMBERS) | {"999", "111"} == numbers


@pytest.mark.parametrize(
    ("number", "tel"),
    [("0113 392 2178", "+441133922178"), ("0776 636 0404", "+447766360404"), ("999", "999"), ("111", "111")],
)
def test_tap_to_call_addresses_are_in_international_form(number, tel):
    assert Phone("Telephone", number).tel == tel


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-11-23 07:59", False),  # Monday
        ("2026-11-23 08:00", True),
        ("2026-11-23 15:59", True),
        ("2026-11-23 16:00", False),
        ("2026-11-28 10:00", False),  # Saturday
        ("2026-12-25 10:00", False),  # Christmas Day
        ("2026-12-28 10:00", False),  # substitute Boxing Day
        ("2027-05-03 10:00", False),  # Early May bank holiday
        ("2026-03-30 08:00", True),  # first Monday of British Summer Time
    ],
)
def test_the_nurse_line_is_open_only_in_its_hours(local, expected):
    directory = load_directory()
    at = datetime.fromisoformat(local).replace(tzinfo=LONDON)
    assert is_open(directory.line("nurse-specialist"), at) is expected


def test_24_hour_lines_are_always_open_and_office_lines_are_unknown():
    directory = load_directory()
    night = datetime(2026, 12, 25, 3, 0, tzinfo=LONDON)
    assert directory.is_open(directory.line("ward-l24"), night) is True
    assert directory.is_open(directory.line("nhs-111"), night) is True
    assert directory.is_open(directory.line("secretary-devinuwara"), night) is None


def test_is_open_refuses_a_moment_without_a_timezone():
    directory = load_directory()
    with pytest.raises(ValueError, match="timezone-aware"):
        directory.is_open(directory.line("nurse-specialist"), datetime(2026, 11, 23, 10))


def test_the_page_shows_every_number_as_a_tap_to_call_link(client, fixture_sections):
    html = client.get("/contacts/").content.decode()
    for number in BOOKLET_NUMBERS:
        tel = "+44" + number.replace(" ", "")[1:]
        assert re.search(rf'href="tel:{re.escape(tel)}"[^>]*>(<span[^>]*>)?[^<]*{number}', html), number
    assert 'href="tel:999"' in html and 'href="tel:111"' in html


def test_the_page_shows_the_hours_and_the_email_with_its_warning(client, fixture_sections):
    html = client.get("/contacts/").content.decode()
    assert "Monday to Friday, 8am to 4pm, not on bank holidays" in html
    assert "leedsth-tr.spasticitymanagementservice@nhs.net" in html
    assert "Nobody checks this inbox" in html
    assert "mailto:" not in html  # nobody is invited to email for help
    assert 'id="out-of-hours"' in html and "Call 111" in html


def open_state(html: str, line_id: str) -> str:
    return re.search(rf'data-line="{line_id}"\s+data-open="(\w+)"', html).group(1)


@pytest.mark.parametrize(
    ("utc", "nurse_open"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("UTC")), "true"),  # Monday 10:00 GMT
        (datetime(2026, 11, 23, 16, 30, tzinfo=ZoneInfo("UTC")), "false"),
        (datetime(2026, 7, 6, 15, 30, tzinfo=ZoneInfo("UTC")), "false"),  # 16:30 BST: closed
        (datetime(2026, 7, 6, 7, 30, tzinfo=ZoneInfo("UTC")), "true"),  # 08:30 BST: open
        (datetime(2026, 12, 25, 10, 0, tzinfo=ZoneInfo("UTC")), "false"),
    ],
)
def test_the_page_says_whether_each_line_is_open_now_in_uk_time(client, fixture_sections, utc, nurse_open):
    with time_machine.travel(utc, tick=False):
        response = client.get("/contacts/")
    html = response.content.decode()
    assert open_state(html, "nurse-specialist") == nurse_open
    assert open_state(html, "ward-l24") == "true"
    assert open_state(html, "secretary-sivakumar") == "unknown"
    assert ("Open now" if nurse_open == "true" else "Closed now") in html


@pytest.mark.parametrize(
    ("moment", "nurse_open"),
    [
        (datetime(2026, 11, 23, 7, 59, 59, tzinfo=LONDON), "false"),  # Monday, a second before opening
        (datetime(2026, 11, 23, 8, 0, 0, tzinfo=LONDON), "true"),
        (datetime(2026, 11, 27, 15, 59, 59, tzinfo=LONDON), "true"),  # Friday, a second before closing
        (datetime(2026, 11, 27, 16, 0, 0, tzinfo=LONDON), "false"),
        (datetime(2026, 11, 28, 10, 0, 0, tzinfo=LONDON), "false"),  # Saturday
        (datetime(2026, 12, 28, 10, 0, 0, tzinfo=LONDON), "false"),  # Monday, the Boxing Day bank holiday
        (datetime(2026, 7, 6, 8, 0, 0, tzinfo=LONDON), "true"),  # British Summer Time
    ],
)
def test_open_now_is_right_at_each_boundary_even_when_the_page_comes_from_the_cache(
    client, fixture_sections, moment, nurse_open
):
    # The page rendered a second earlier is in the cache; a copy is only ever reused within its minute.
    with time_machine.travel(moment.timestamp() - 1, tick=False):
        before = client.get("/contacts/")
    with time_machine.travel(moment, tick=False):
        response = client.get("/contacts/")
        again = client.get("/contacts/", headers={"if-none-match": response["ETag"]})
    assert open_state(response.content.decode(), "nurse-specialist") == nurse_open
    assert f"{moment:%H:%M}" in response.content.decode()
    if moment.second == 0:
        assert before["ETag"] != response["ETag"]
    assert again.status_code == 304
    # Browsers and CDNs may keep a copy but must check it is current before every use.
    assert response["Cache-Control"] == "public, no-cache"


def test_another_service_can_deploy_its_own_numbers_and_hours(client, fixture_sections, tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(contacts_path().parent, content, ignore=shutil.ignore_patterns("sections"))

    def other_service(data):
        data["service"]["hospital"] = "Another Hospital"
        nurse = next(line for line in data["lines"] if line.get("id") == "nurse-specialist")
        nurse["phones"] = [{"label": "Telephone", "number": "0161 555 0101"}]
        nurse["hours"]["close"] = "17:30"

    write_contacts(content, other_service)
    settings.CONTENT_DIR = content
    html = client.get("/contacts/").content.decode()
    assert "Another Hospital" in html
    assert 'href="tel:+441615550101"' in html and "0113 392 2178" not in html
    assert "8am to 5:30pm" in html
    with time_machine.travel(datetime(2026, 11, 24, 11, 0, tzinfo=LONDON), tick=False):
        result = client.get("/symptoms/result/?sign=itching").content.decode()
    assert "0161 555 0101" in result  # the checker reads the same data


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(timezone="Mars/Olympus"), "timezone: 'Mars/Olympus' is not a time zone"),
        (lambda d: d["lines"][2]["phones"][0].update(number="12345"), "is not a full UK phone number"),
        (lambda d: d["lines"][2]["hours"].update(days=["Funday"]), "hours > days > item 1: must be 'Monday'"),
        (lambda d: d["lines"][2]["hours"].update(open="16:00", close="08:00"), "opens at"),
        (lambda d: d["email"].pop("warning"), "email > warning: is missing"),
        (lambda d: d["lines"].append(dict(d["lines"][0])), "used twice"),
        (lambda d: d.pop("lines"), ": lines: is missing"),
        (
            lambda d: d.update(service="The ITB team"),
            "service: must be a set of 'key: value' lines, not the text 'The ITB team'",
        ),
        (lambda d: d["service"].pop("hospital"), "service > hospital: is missing"),
        (lambda d: d["service"].update(trust=""), "service > trust: must not be empty"),
        (lambda d: d["service"].update(wards=["ward-l24", "nurse-specialist"]), "'nurse-specialist', which is not"),
        (lambda d: d["service"].update(wards=["ward-l24"]), "wards leaves out the ward line ward-l25"),
        (lambda d: d["service"].update(accessibility_contact="emergency-999"), "accessibility_contact must name"),
        # The team's line decides the checker's route, so it must be the team's: never 111, never missing.
        (lambda d: d["service"].update(team_line="nhs-111"), "team_line must name the line of kind 'team'"),
        (lambda d: d["service"].update(team_line="no-such-line"), "not 'no-such-line'"),
        (lambda d: d["service"].pop("team_line"), "service > team_line: is missing"),
        (
            lambda d: d["service"]["accessibility_statement"].update(update_due=date(2026, 1, 1)),
            "accessibility_statement: the dates must be in order",
        ),
        (lambda d: d["service"].pop("emergency_department"), "service > emergency_department: is missing"),
        (
            lambda d: d["service"]["emergency_department"].pop("address"),
            "service > emergency_department > address: is missing",
        ),
        (
            lambda d: d["service"]["emergency_department"].update(map_query=[]),
            "emergency_department > map_query: must be text, not a list",
        ),
    ],
)
def test_broken_contacts_data_is_named_with_its_problem(tmp_path, change, problem):
    path = write_contacts(tmp_path, change)
    with pytest.raises(ContactsDataError) as error:
        load_directory(path)
    assert str(path) in str(error.value) and problem in str(error.value)
