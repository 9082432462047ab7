"""Who to call and when: the contacts data in content/contacts.yaml, loaded and checked.

The contacts page and the symptom checker both read this one directory, so a phone
number or an opening hour is written once. `is_open` is pure: the same line and
moment always give the same answer, in UK time, across clock changes and bank holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import holidays

from itb_portal.datafiles import CONTACTS
from itb_portal.datafiles import ContactsDataError as ContactsDataError
from itb_portal.datafiles.contacts import ALWAYS, NOT_LISTED, WEEKDAYS, ContactsFile, OpeningHours

# The kinds of line and the numbers they may have, as the schema states them: named here for the apps above.
from itb_portal.datafiles.contacts import EMERGENCY as EMERGENCY
from itb_portal.datafiles.contacts import KIND_NUMBERS as KIND_NUMBERS
from itb_portal.datafiles.contacts import NHS_111 as NHS_111
from itb_portal.datafiles.contacts import OFFICE as OFFICE
from itb_portal.datafiles.contacts import TEAM as TEAM
from itb_portal.datafiles.contacts import UK_NUMBER as UK_NUMBER
from itb_portal.datafiles.contacts import WARD as WARD

SHORT_NUMBERS = {"999", "111"}
# Labels that add nothing beside a number: pages show the number alone.
PLAIN_LABELS = {"Call", "Telephone"}


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
class ReviewDates:
    """The review dates a data file holds for the pages built from it."""

    last_reviewed: date
    next_review_due: date
    numbers_confirmed: date | None = None


@dataclass(frozen=True)
class Directory:
    service: Service
    scope: tuple[str, ...]
    review: ReviewDates
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


# --- Loading ------------------------------------------------------------------
# The file is checked against its schema (itb_portal/datafiles/contacts.py) before any of this runs.


def contacts_path() -> Path:
    return CONTACTS.path()


def load_directory(path: Path | None = None) -> Directory:
    """The directory from `path`; by default the one in use: content/contacts.yaml, or the text a clinical
    approver approved in the admin in its place."""
    return CONTACTS.load(directory_from, path) if path else CONTACTS.in_use(directory_from)


def parse_directory_text(text: str, path: Path) -> Directory:
    """A contacts document, checked exactly as the file is (`path` names it in every problem)."""
    return CONTACTS.load(directory_from, path, text)


def directory_from(data: ContactsFile, path: Path) -> Directory:
    """The directory a checked contacts file describes."""
    service, region = data.service, data.bank_holidays
    department = service.emergency_department
    return Directory(
        service=Service(
            team=service.team,
            name=service.name,
            trust=service.trust,
            hospital=service.hospital,
            address=service.address,
            copyright=service.copyright,
            booklet=service.booklet,
            wards=tuple(service.wards),
            accessibility_contact=service.accessibility_contact,
            emergency_department=EmergencyDepartment(
                department.name, department.address, department.map_query or f"{department.name}, {department.address}"
            ),
        ),
        scope=tuple(data.scope),
        review=ReviewDates(data.review.last_reviewed, data.review.next_review_due, data.review.numbers_confirmed),
        timezone=ZoneInfo(data.timezone),
        holiday_country=region.country,
        holiday_subdivision=region.subdivision,
        holiday_region_name=region.name or region.subdivision,
        lines=tuple(
            Line(
                line.id,
                line.kind,
                line.name,
                line.role,
                tuple(Phone(phone.label, phone.number.strip()) for phone in line.phones),
                line.hours if isinstance(line.hours, str) else hours_from(line.hours),
            )
            for line in data.lines
        ),
        email_address=data.email.address,
        email_warning=data.email.warning,
        out_of_hours=tuple(data.out_of_hours),
    )


def hours_from(hours: OpeningHours) -> Hours:
    return Hours(
        days=frozenset(WEEKDAYS.index(day) for day in hours.days),
        opens=hours.open,
        closes=hours.close,
        closed_on_bank_holidays=hours.closed_on_bank_holidays,
    )
