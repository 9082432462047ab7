"""The schema of content/contacts.yaml: who runs the site, its phone lines and their hours.

Each line's numbers must fit its kind: 999 for the emergency line, 111 for NHS 111, a full UK number
for everything else. What the lines must promise a patient (the 999 and 111 lines open always, the
emergency cards calling 999) is stated with the rules, in symptoms/safety.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import Discriminator, Field, field_validator, model_validator

from .schema import (
    ClockTime,
    Day,
    Paragraph,
    PrintedSchema,
    ReviewDates,
    Schema,
    Sentence,
    Slug,
    Title,
    not_in_the_future,
    refuse,
    union_tag,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALWAYS = "always"
NOT_LISTED = "not-listed"
# 0 to 9 only: \d alone would take any script's digits, which no phone can dial.
UK_NUMBER = re.compile(r"^0\d{3} ?\d{3} ?\d{4}$|^0\d{4} ?\d{3} ?\d{3}$", re.ASCII)
# What each kind of line is for, and so which number it may have: a short national number
# for 999 and 111 (exactly that one), a full UK number for everything else.
EMERGENCY, NHS_111, TEAM, WARD, OFFICE = "emergency", "nhs-111", "team", "ward", "office"
KIND_NUMBERS = {EMERGENCY: "999", NHS_111: "111", TEAM: None, WARD: None, OFFICE: None}
Kind = Literal["emergency", "nhs-111", "team", "ward", "office"]
Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class PhoneSchema(Schema):
    label: Title
    # In quotes: YAML reads a full number with spaces as text unquoted, but 999 as a number.
    number: Annotated[str, Field(min_length=3, max_length=20)]


class OpeningHours(Schema):
    days: Annotated[list[Weekday], Field(min_length=1, max_length=7)]
    open: ClockTime
    close: ClockTime
    closed_on_bank_holidays: Annotated[bool, Field(strict=True)] = True

    @model_validator(mode="after")
    def opens_before_it_closes(self):
        if self.open >= self.close:
            raise refuse(f"it opens at {self.open:%H:%M} but closes at {self.close:%H:%M}")
        if len(set(self.days)) != len(self.days):
            raise refuse("days names a day twice")
        return self


def hours_shape(value: object) -> str:
    return "named" if isinstance(value, str) else "times"


# 'always', 'not-listed', or the days and times the line is answered.
HoursSchema = Annotated[
    Annotated[Literal["always", "not-listed"], union_tag("named")] | Annotated[OpeningHours, union_tag("times")],
    Discriminator(hours_shape),
]


class LineSchema(Schema):
    id: Slug
    kind: Kind
    name: Title
    role: Sentence
    phones: Annotated[list[PhoneSchema], Field(min_length=1, max_length=5)]
    hours: HoursSchema

    @model_validator(mode="after")
    def numbers_fit_the_kind(self):
        national = KIND_NUMBERS[self.kind]
        for phone in self.phones:
            number = phone.number.strip()
            if national is not None and number != national:
                raise refuse(f"this is the {self.kind} line, so its number must be {national}, not {number!r}")
            if national is None and not UK_NUMBER.match(number):
                raise refuse(f"{number!r} is not a full UK phone number (a {self.kind} line needs one)")
        return self


class EmergencyDepartmentSchema(Schema):
    name: Title
    address: Title
    map_query: Title | None = None  # what the map link searches for: the name and address if left out


class ServiceSchema(Schema):
    team: Title
    name: Title
    trust: Title
    hospital: Title
    address: Title
    wards: Annotated[list[Slug], Field(min_length=1, max_length=20)]
    accessibility_contact: Slug
    copyright: Title
    booklet: Sentence
    emergency_department: EmergencyDepartmentSchema


class ContactsReviewDates(ReviewDates):
    numbers_confirmed: Day  # when every number and opening hour was last confirmed

    @model_validator(mode="after")
    def numbers_confirmed_in_the_past(self):
        not_in_the_future(self.numbers_confirmed, "numbers_confirmed")
        return self


class BankHolidaysSchema(Schema):
    country: Annotated[str, Field(min_length=2, max_length=3)]
    subdivision: Annotated[str, Field(min_length=1, max_length=10)]
    name: Title | None = None

    @model_validator(mode="after")
    def known_region(self):
        try:
            holidays.country_holidays(self.country, subdiv=self.subdivision)
        except (NotImplementedError, KeyError) as error:
            raise refuse(f"needs a known country and subdivision ({error})") from error
        return self


class EmailSchema(Schema):
    address: Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]
    warning: Paragraph  # that nobody checks the inbox for symptoms


class ContactsFile(PrintedSchema):
    service: ServiceSchema
    scope: Annotated[list[Sentence], Field(min_length=1, max_length=10)]
    review: ContactsReviewDates
    timezone: Annotated[str, Field(min_length=1, max_length=64)]
    bank_holidays: BankHolidaysSchema
    lines: Annotated[list[LineSchema], Field(min_length=2, max_length=50)]
    email: EmailSchema
    out_of_hours: Annotated[list[Paragraph], Field(max_length=20)] = []

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise refuse(f"{value!r} is not a time zone (such as Europe/London)") from error
        return value

    @model_validator(mode="after")
    def lines_agree(self):
        ids = [line.id for line in self.lines]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise refuse(f"line ids used twice: {', '.join(twice)}")
        for kind in (EMERGENCY, NHS_111):
            if sum(line.kind == kind for line in self.lines) != 1:
                raise refuse(f"there must be exactly one line of kind {kind!r} (the {KIND_NUMBERS[kind]} line)")
        kinds = dict(zip(ids, (line.kind for line in self.lines), strict=True))
        service = self.service
        for ward in service.wards:
            if kinds.get(ward) != WARD:
                raise refuse(f"service: wards names {ward!r}, which is not a line of kind {WARD!r}")
        unlisted = sorted(i for i, kind in kinds.items() if kind == WARD and i not in service.wards)
        if unlisted:
            raise refuse(f"service: wards leaves out the ward line {', '.join(unlisted)}")
        if kinds.get(service.accessibility_contact) not in (TEAM, OFFICE):
            raise refuse(
                f"service: accessibility_contact must name a {TEAM!r} or {OFFICE!r} line, "
                f"not {service.accessibility_contact!r}"
            )
        return self


def weekday_numbers(days: list[str]) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(day) for day in days)
