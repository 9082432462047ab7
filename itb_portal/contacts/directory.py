"""Who to call and when: the contacts data in content/contacts.yaml, loaded and checked.

The contacts page and the symptom checker both read this one directory, so a phone
number or an opening hour is written once. `is_open` is pure: the same line and
moment always give the same answer, in UK time, across clock changes and bank holidays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django.conf import settings

from itb_portal.datafiles import content_file, parse_yaml, read_yaml

from .published import approved_text

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALWAYS = "always"
NOT_LISTED = "not-listed"
UK_NUMBER = re.compile(r"^0\d{3} ?\d{3} ?\d{4}$|^0\d{4} ?\d{3} ?\d{3}$")
SHORT_NUMBERS = {"999", "111"}
# Labels that add nothing beside a number: pages show the number alone.
PLAIN_LABELS = {"Call", "Telephone"}
# What each kind of line is for, and so which number it may have: a short national number
# for 999 and 111 (exactly that one), a full UK number for everything else.
EMERGENCY, NHS_111, TEAM, WARD, OFFICE = "emergency", "nhs-111", "team", "ward", "office"
KIND_NUMBERS = {EMERGENCY: "999", NHS_111: "111", TEAM: None, WARD: None, OFFICE: None}


class ContactsDataError(ValueError):
    """The contacts file is missing, unreadable or inconsistent. The message names the file."""


@dataclass(frozen=True)
class Phone:
    label: str
    number: str

    @property
    def own_label(self) -> str:
        """The label where it tells a reader something ("Mobile", "Secretary (Lorna)"); "" for "Call" or "Telephone"."""
        return "" if self.label in PLAIN_LABELS else self.label

    @property
    def tel(self) -> str:
        """A tap-to-call address: +44 form for UK numbers, as-is for 999 and 111."""
        digits = self.number.replace(" ", "")
        return digits if digits in SHORT_NUMBERS else "+44" + digits[1:]


@dataclass(frozen=True)
class Hours:
    """When a line is answered. `always` for 24-hour lines; None when not listed."""

    days: frozenset[int]
    opens: time
    closes: time
    closed_on_bank_holidays: bool

    def describe(self) -> str:
        return f"{day_range(self.days)}, {clock(self.opens)} to {clock(self.closes)}" + (
            ", not on bank holidays" if self.closed_on_bank_holidays else ""
        )


@dataclass(frozen=True)
class Line:
    id: str
    kind: str  # one of KIND_NUMBERS
    name: str
    role: str
    phones: tuple[Phone, ...]
    hours: Hours | str  # an Hours, ALWAYS or NOT_LISTED

    @property
    def hours_text(self) -> str:
        if self.hours == ALWAYS:
            return "Every day, 24 hours"
        if self.hours == NOT_LISTED:
            return "Office hours (exact times not listed)"
        return self.hours.describe()


MAP_SEARCH = "https://www.google.com/maps/search/?"


@dataclass(frozen=True)
class EmergencyDepartment:
    """The A&E nearest the service, named on A&E advice. The map is only ever a link someone may
    follow: no page loads it, so no request leaves the site."""

    name: str
    address: str
    map_query: str

    @property
    def map_url(self) -> str:
        # Google's documented cross-platform search link: it opens the maps app on a phone.
        return MAP_SEARCH + urlencode({"api": "1", "query": self.map_query})


@dataclass(frozen=True)
class Service:
    """Who runs this site: every page that names the team, the hospital or the trust reads it here."""

    team: str  # "the ITB team", as it reads inside a sentence
    name: str  # the service, as it reads inside a sentence: "the spasticity management service"
    trust: str
    hospital: str
    address: str
    wards: tuple[str, ...]  # ids of the `ward` lines at the hospital
    accessibility_contact: str  # id of the line that takes accessibility requests
    copyright: str
    booklet: str  # the citation of the booklet the content comes from
    emergency_department: EmergencyDepartment

    @property
    def team_at_hospital(self) -> str:
        return f"{self.team} at {self.hospital}"


def upper_first(text: str) -> str:
    """`text` starting a sentence ("the ITB team" becomes "The ITB team"; str.capitalize would
    lower the rest)."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class FileReview:
    """The review dates a data file holds for the pages built from it."""

    last_reviewed: date
    next_review_due: date
    numbers_checked: date | None = None


@dataclass(frozen=True)
class Directory:
    service: Service
    scope: tuple[str, ...]
    review: FileReview
    timezone: ZoneInfo
    holiday_country: str
    holiday_subdivision: str
    holiday_region_name: str
    lines: tuple[Line, ...]
    email_address: str
    email_warning: str
    out_of_hours: tuple[str, ...]

    def line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise KeyError(line_id)

    def of_kind(self, kind: str) -> list[Line]:
        return [line for line in self.lines if line.kind == kind]

    def is_bank_holiday(self, at: datetime) -> bool:
        local_day = at.astimezone(self.timezone).date()
        return local_day in bank_holidays(self.holiday_country, self.holiday_subdivision, local_day.year)

    def is_open(self, line: Line, at: datetime) -> bool | None:
        """Whether `line` is answered at `at` (timezone-aware); None when its hours are not listed."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("is_open needs a timezone-aware moment")
        if line.hours == ALWAYS:
            return True
        if line.hours == NOT_LISTED:
            return None
        local = at.astimezone(self.timezone)
        hours = line.hours
        if local.weekday() not in hours.days:
            return False
        if hours.closed_on_bank_holidays and self.is_bank_holiday(at):
            return False
        return hours.opens <= local.time() < hours.closes

    def next_opening(self, line: Line, at: datetime) -> datetime | None:
        """When `line` next opens after `at` (timezone-aware), in UK time, counting weekends and bank
        holidays; None for a line that is always answered or whose hours are not listed."""
        if not isinstance(line.hours, Hours):
            return None
        local = at.astimezone(self.timezone)
        # Two weeks covers the longest closure the data can describe (Christmas and New Year).
        for ahead in range(15):
            day = local.date() + timedelta(days=ahead)
            if day.weekday() not in line.hours.days:
                continue
            if line.hours.closed_on_bank_holidays and day in bank_holidays(
                self.holiday_country, self.holiday_subdivision, day.year
            ):
                continue
            opening = datetime.combine(day, line.hours.opens, tzinfo=self.timezone)
            if opening > local:
                return opening
        return None


def when_it_opens(opening: datetime, now: datetime) -> str:
    """ "today at 8am", "tomorrow at 8am" or "on Monday 29 December at 8am", read in the opening's own zone."""
    today = now.astimezone(opening.tzinfo).date()
    at = f"at {clock(opening.time())}"
    if opening.date() == today:
        return f"today {at}"
    if opening.date() == today + timedelta(days=1):
        return f"tomorrow, {opening:%A}, {at}"
    return f"on {opening:%A} {opening.day} {opening:%B} {at}"


def is_open(line: Line, at: datetime, directory: Directory | None = None) -> bool | None:
    """Module-level form of Directory.is_open, using the loaded directory by default."""
    return (directory or load_directory()).is_open(line, at)


@cache
def bank_holidays(country: str, subdivision: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, years=year)


def clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def day_range(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{WEEKDAYS[ordered[0]]} to {WEEKDAYS[ordered[-1]]}"
    return ", ".join(WEEKDAYS[d] for d in ordered)


# --- Loading and checking -------------------------------------------------------


def contacts_path() -> Path:
    return content_file(settings.CONTENT_DIR, "contacts.yaml")


def load_directory(path: Path | None = None) -> Directory:
    """The directory from `path`, cached per path; by default the one in use: content/contacts.yaml, or the
    text a clinical approver approved in the admin in its place (published.py)."""
    if path is None and (approved := approved_text("contacts")):
        return parse_directory_text(approved, contacts_path())
    return _load(path or contacts_path())


@cache
def _load(path: Path) -> Directory:
    return parse_directory(read_yaml(path, ContactsDataError), path)


@lru_cache(maxsize=8)
def parse_directory_text(text: str, path: Path) -> Directory:
    """A contacts document, checked exactly as the file is (`path` names it in every problem)."""
    return parse_directory(parse_yaml(text, path, ContactsDataError), path)


def parse_directory(raw: object, path: Path) -> Directory:
    def fail(problem: str) -> ContactsDataError:
        return ContactsDataError(f"{path}: {problem}")

    if not isinstance(raw, dict):
        raise fail("expected a mapping at the top level")
    required = ("service", "scope", "review", "timezone", "bank_holidays", "lines", "email", "out_of_hours")
    missing = [key for key in required if key not in raw]
    if missing:
        raise fail(f"missing {', '.join(missing)}")
    try:
        zone = ZoneInfo(str(raw["timezone"]))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise fail(f"unknown timezone {raw['timezone']!r}") from error
    region = raw["bank_holidays"] or {}
    try:
        holidays.country_holidays(region["country"], subdiv=region["subdivision"])
    except (KeyError, NotImplementedError, TypeError) as error:
        raise fail(f"bank_holidays needs a known country and subdivision ({error})") from error
    lines = tuple(parse_line(item, fail) for item in raw["lines"] or [])
    ids = [line.id for line in lines]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise fail(f"line ids used twice: {', '.join(duplicates)}")
    for kind in (EMERGENCY, NHS_111):
        if len([line for line in lines if line.kind == kind]) != 1:
            raise fail(f"there must be exactly one line of kind {kind!r} (the {KIND_NUMBERS[kind]} line)")
    email = raw["email"] or {}
    if not email.get("address") or not email.get("warning"):
        raise fail("email needs an address and a warning that the inbox is not monitored")
    scope = raw["scope"]
    if not isinstance(scope, list) or not scope or not all(isinstance(p, str) and p.strip() for p in scope):
        raise fail("scope must be a list of sentences saying who this information is for")
    return Directory(
        service=parse_service(raw["service"], {line.id: line for line in lines}, fail),
        scope=tuple(p.strip() for p in scope),
        review=parse_file_review(raw["review"], fail, numbers=True),
        timezone=zone,
        holiday_country=region["country"],
        holiday_subdivision=region["subdivision"],
        holiday_region_name=str(region.get("name", region["subdivision"])),
        lines=lines,
        email_address=str(email["address"]),
        email_warning=str(email["warning"]),
        out_of_hours=tuple(str(p) for p in raw["out_of_hours"] or []),
    )


SERVICE_TEXT = ("team", "name", "trust", "hospital", "address", "copyright", "booklet")
DEPARTMENT_TEXT = ("name", "address")


def text_fields(raw: dict, keys: tuple[str, ...], where: str, fail) -> dict[str, str]:
    """Each of `keys` as one line of text, or an error naming the first one missing or not text."""
    found = {}
    for key in keys:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{where}: {key} must be text, got {value!r}")
        found[key] = " ".join(value.split())
    return found


def parse_service(raw: object, lines: dict[str, Line], fail) -> Service:
    if not isinstance(raw, dict):
        raise fail(
            f"service must be a mapping of {', '.join(SERVICE_TEXT)}, wards, accessibility_contact "
            f"and emergency_department, got {raw!r}"
        )
    text = text_fields(raw, SERVICE_TEXT, "service", fail)
    wards = raw.get("wards")
    if not isinstance(wards, list) or not wards:
        raise fail("service: wards must list the ids of the hospital's ward lines")
    for ward in wards:
        if ward not in lines or lines[ward].kind != WARD:
            raise fail(f"service: wards names {ward!r}, which is not a line of kind {WARD!r}")
    unlisted = sorted(line.id for line in lines.values() if line.kind == WARD and line.id not in wards)
    if unlisted:
        raise fail(f"service: wards leaves out the ward line {', '.join(unlisted)}")
    contact = raw.get("accessibility_contact")
    if contact not in lines or lines[contact].kind not in (TEAM, OFFICE):
        raise fail(f"service: accessibility_contact must name a {TEAM!r} or {OFFICE!r} line, got {contact!r}")
    department = raw.get("emergency_department")
    if not isinstance(department, dict):
        raise fail("service: emergency_department needs a name and an address (and may give a map_query)")
    found = text_fields(department, DEPARTMENT_TEXT, "service: emergency_department", fail)
    query = department.get("map_query", f"{found['name']}, {found['address']}")
    if not isinstance(query, str) or not query.strip():
        raise fail(f"service: emergency_department: map_query must be text, got {query!r}")
    return Service(
        **text,
        wards=tuple(wards),
        accessibility_contact=contact,
        emergency_department=EmergencyDepartment(found["name"], found["address"], " ".join(query.split())),
    )


def read_date(value: object, where: str, fail) -> date:
    """A date from YAML (unquoted 2026-11-01 is already a date; quoted, it is text)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise fail(f"{where} must be a date like 2026-11-01, got {value!r}") from error


def parse_file_review(raw: object, fail, *, numbers: bool) -> FileReview:
    keys = ("last_reviewed", "next_review_due") + (("numbers_checked",) if numbers else ())
    if not isinstance(raw, dict) or any(key not in raw for key in keys):
        raise fail(f"review needs {', '.join(keys)}")
    found = {key: read_date(raw[key], f"review: {key}", fail) for key in keys}
    if found["last_reviewed"] >= found["next_review_due"]:
        raise fail("review: next_review_due must come after last_reviewed")
    return FileReview(**found)


def parse_line(item: object, fail) -> Line:
    if not isinstance(item, dict) or not item.get("id"):
        raise fail(f"each line needs an id, got {item!r}")
    line_id = item["id"]
    for key in ("kind", "name", "role", "phones", "hours"):
        if not item.get(key):
            raise fail(f"line {line_id!r} is missing {key}")
    kind = item["kind"]
    if kind not in KIND_NUMBERS:
        raise fail(f"line {line_id!r} has unknown kind {kind!r}; use one of {', '.join(KIND_NUMBERS)}")
    phones = tuple(parse_phone(phone, line_id, kind, fail) for phone in item["phones"])
    return Line(line_id, kind, str(item["name"]), str(item["role"]), phones, parse_hours(item["hours"], line_id, fail))


def parse_phone(phone: object, line_id: str, kind: str, fail) -> Phone:
    if not isinstance(phone, dict) or not phone.get("label") or not phone.get("number"):
        raise fail(f"line {line_id!r}: each phone needs a label and a number")
    number = str(phone["number"]).strip()
    national = KIND_NUMBERS[kind]
    if national is not None and number != national:
        raise fail(f"line {line_id!r} is the {kind} line, so its number must be {national}, not {number!r}")
    if national is None and not UK_NUMBER.match(number):
        raise fail(f"line {line_id!r}: {number!r} is not a full UK phone number (a {kind} line needs one)")
    return Phone(str(phone["label"]), number)


def parse_hours(hours: object, line_id: str, fail) -> Hours | str:
    if hours in (ALWAYS, NOT_LISTED):
        return hours
    if not isinstance(hours, dict):
        raise fail(f"line {line_id!r}: hours must be {ALWAYS!r}, {NOT_LISTED!r} or days with open and close times")
    unknown_days = [d for d in hours.get("days") or [] if d not in WEEKDAYS]
    if unknown_days or not hours.get("days"):
        raise fail(f"line {line_id!r}: days must be weekday names, got {hours.get('days')!r}")
    try:
        opens, closes = time.fromisoformat(str(hours["open"])), time.fromisoformat(str(hours["close"]))
    except (KeyError, ValueError) as error:
        raise fail(f'line {line_id!r}: open and close must be times like "08:00"') from error
    if opens >= closes:
        raise fail(f"line {line_id!r}: opens at {opens} but closes at {closes}")
    return Hours(
        days=frozenset(WEEKDAYS.index(d) for d in hours["days"]),
        opens=opens,
        closes=closes,
        closed_on_bank_holidays=bool(hours.get("closed_on_bank_holidays", True)),
    )
