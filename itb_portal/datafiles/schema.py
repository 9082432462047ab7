"""What every file in content/ is checked against (pydantic v2), and its problems said in plain words.

A schema states each field's type, length and range once. pydantic reports every problem with
where it is (`lines > item 4 (ward-l24) > kind`); `plain_problems` turns that into words an
editor can act on, naming the file first. The schemas are also JSON Schema (`json_schema()`), so
an editor's tools can check a file as it is typed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any

from django.utils import timezone
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

MOST_PROBLEMS_SHOWN = 8
LONGEST_VALUE_SHOWN = 60


class DataFileError(ValueError):
    """A file in content/ cannot be used. The message names the file, the field and the problem."""


def refuse(problem: str) -> PydanticCustomError:
    """A problem said in our own words (pydantic shows it as it is, with where it is)."""
    return PydanticCustomError("refused", problem.replace("{", "{{").replace("}", "}}"))


class Schema(BaseModel):
    """A mapping with exactly these keys: an unknown key is a typo, and is refused rather than ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    @model_validator(mode="before")
    @classmethod
    def keys_are_words(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if not isinstance(key, str):
                    name = "an empty key (null)" if key is None else f"the key {key!r}"
                    raise refuse(f"{name} is not a word: every key here is a name such as 'title'")
        return data


# The names pydantic gives the shapes a field may take (opening hours are a word or a set of times):
# they appear in its locations, but are no part of any file, so problems leave them out.
UNION_TAGS: set[str] = set()


def union_tag(name: str) -> Tag:
    UNION_TAGS.add(name)
    return Tag(name)


def one_line(value: str) -> str:
    return " ".join(value.split())


def text(longest: int, *, lines: bool = False):
    """Text that is not empty and at most `longest` characters; spaces and line breaks run together
    into single spaces unless `lines` (a paragraph someone wrote over several lines stays one line)."""
    kept = StringConstraints(strip_whitespace=True, min_length=1, max_length=longest)
    return Annotated[str, kept] if lines else Annotated[str, kept, AfterValidator(one_line)]


Title = text(200)
Summary = text(300)
Sentence = text(1000)
Paragraph = text(2000)


def slug_shaped(value: str) -> str:
    if not value or value != value.lower() or not all(part.isalnum() and part.isascii() for part in value.split("-")):
        raise refuse(f"{shown(value)} is not lower-case words joined by hyphens (like 'pump-alarm')")
    return value


Slug = Annotated[str, StringConstraints(max_length=100), AfterValidator(slug_shaped)]


def as_date(value: Any) -> date:
    """A date from YAML: unquoted 2026-11-01 is a date already, quoted it is text. A number or a time of
    day is refused: pydantic alone would read 20261101 as seconds since 1970."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refuse(f"must be a date like 2026-11-30, not {shown(value)}")


def as_time(value: Any) -> time:
    """A time of day written "08:00", in quotes: YAML reads 08:00 unquoted as the number 480."""
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refuse(f'must be a time in quotes, like "08:00", not {shown(value)}')


Day = Annotated[date, BeforeValidator(as_date)]
ClockTime = Annotated[time, BeforeValidator(as_time)]
# A position in a list of pages: a whole number a person would type, not a way to overflow a column.
Position = Annotated[int, Field(ge=0, le=10_000, strict=True)]


def future_problem(day: date | None, name: str) -> str:
    """Why `day` cannot be recorded as when something was reviewed or checked: "" when it can. A review, or
    a check of the numbers, is recorded once it has happened, never on a day still to come."""
    if day is None or day <= timezone.localdate():
        return ""
    return f"{name} is {day:%-d %B %Y}, which is in the future: record a review or a check once it has happened"


def not_in_the_future(day: date | None, name: str) -> None:
    if problem := future_problem(day, name):
        raise refuse(problem)


class ReviewDates(Schema):
    """When a file was last reviewed against its sources, and when it is next due."""

    last_reviewed: Day
    next_review_due: Day

    @model_validator(mode="after")
    def in_order_and_past(self):
        if self.next_review_due <= self.last_reviewed:
            raise refuse(
                f"next_review_due ({self.next_review_due}) must come after last_reviewed ({self.last_reviewed})"
            )
        not_in_the_future(self.last_reviewed, "last_reviewed")
        return self


# --- Text the printed emergency sheet can show ----------------------------------------------------

# The emergency sheet's PDF (symptoms/sheet_pdf.py) uses the PDF core fonts, which know Latin-1 only:
# these typographic marks print as their plain forms, and any other character outside Latin-1 cannot
# be printed at all. Every word in the two data files can reach that sheet, so each is checked here.
TYPOGRAPHY_TO_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u202f": "\u00a0",
        "\u2011": "-",
        "\u2022": "-",
    }
)


def unprintable(text: str) -> str:
    """The first character of `text` the printed sheet cannot show; "" when it can show them all."""
    for character in text.translate(TYPOGRAPHY_TO_PLAIN):
        if ord(character) > 0xFF or (ord(character) < 0x20 and character not in "\n\t"):
            return character
    return ""


def printable_everywhere(data: Any, loc: tuple = ()) -> tuple[tuple, str] | None:
    """Where in `data` the first text is that the printed sheet cannot show, and that character."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, str) and (character := unprintable(value)):
            return (*loc, key), character
        if isinstance(value, dict | list) and (found := printable_everywhere(value, (*loc, key))):
            return found
    return None


class PrintedSchema(Schema):
    """A data file whose words reach the printed emergency sheet: each must be one it can print."""

    @model_validator(mode="before")
    @classmethod
    def every_word_can_be_printed(cls, data: Any) -> Any:
        found = printable_everywhere(data)
        if found:
            loc, character = found
            raise refuse(
                f"{location(loc, data)}: the character {character!r} (U+{ord(character):04X}) cannot be printed "
                "on the emergency sheet, whose fonts know Western European letters only: write it another way"
            )
        return data


# --- Problems in plain words --------------------------------------------------------------------


def shown(value: Any) -> str:
    """A value as an editor wrote it, cut short: a problem never repeats a whole document."""
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    written = repr(value)
    return written if len(written) <= LONGEST_VALUE_SHOWN else written[: LONGEST_VALUE_SHOWN - 3] + "..."


def what_it_is(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {shown(value)}"
    if isinstance(value, str):
        return f"the text {shown(value)}"
    return shown(value)


WORDS = {
    "missing": lambda e: "is missing",
    "extra_forbidden": lambda e: "is not a field here (check its spelling)",
    "string_type": lambda e: (
        f"must be text, not {what_it_is(e['input'])}"
        + (" (put it in quotes)" if isinstance(e["input"], int | float) else "")
    ),
    "string_too_short": lambda e: "must not be empty",
    "string_too_long": lambda e: f"is {len(e['input'])} characters long: it can be at most {e['ctx']['max_length']}",
    "int_type": lambda e: f"must be a whole number, not {what_it_is(e['input'])}",
    "int_parsing": lambda e: f"must be a whole number, not {what_it_is(e['input'])}",
    "int_from_float": lambda e: f"must be a whole number, not {what_it_is(e['input'])}",
    "bool_type": lambda e: f"must be true or false, without quotes, not {what_it_is(e['input'])}",
    "bool_parsing": lambda e: f"must be true or false, without quotes, not {what_it_is(e['input'])}",
    "greater_than_equal": lambda e: f"must be {e['ctx']['ge']} or more, not {shown(e['input'])}",
    "less_than_equal": lambda e: f"must be {e['ctx']['le']} or less, not {shown(e['input'])}",
    "list_type": lambda e: f"must be a list, not {what_it_is(e['input'])}",
    "too_short": lambda e: f"must list at least {e['ctx']['min_length']}",
    "too_long": lambda e: f"can list at most {e['ctx']['max_length']}",
    "dict_type": lambda e: f"must be a set of 'key: value' lines, not {what_it_is(e['input'])}",
    "model_type": lambda e: f"must be a set of 'key: value' lines, not {what_it_is(e['input'])}",
    "model_attributes_type": lambda e: f"must be a set of 'key: value' lines, not {what_it_is(e['input'])}",
    "literal_error": lambda e: f"must be {e['ctx']['expected']}, not {shown(e['input'])}",
    "union_tag_invalid": lambda e: f"must be {e['ctx']['expected_tags']}, not {shown(e['input'])}",
}


def location(loc: tuple, data: Any) -> str:
    """Where a problem is, read along the data itself: list items by number and by their id or slug."""
    parts: list[str] = []
    here = data
    for part in loc:
        if part in UNION_TAGS:
            continue
        if isinstance(part, int) and isinstance(here, list) and 0 <= part < len(here):
            here = here[part]
            name = here.get("id") or here.get("slug") if isinstance(here, dict) else None
            parts.append(f"item {part + 1}" + (f" ({name})" if isinstance(name, str) else ""))
        elif isinstance(here, dict) and part in here:
            here = here[part]
            parts.append(str(part))
        else:
            parts.append(str(part))
        # otherwise a union's tag: not part of the file
    return " > ".join(parts)


def plain_problems(error: ValidationError, data: Any) -> list[str]:
    """Each of pydantic's problems as "where: what is wrong", in the file's own terms."""
    found = []
    for problem in error.errors(include_url=False):
        kind = problem["type"]
        words = WORDS[kind](problem) if kind in WORDS else problem["msg"].removeprefix("Value error, ")
        where = location(problem["loc"], data)
        found.append(f"{where}: {words}" if where else words)
    return list(dict.fromkeys(found))


def validated(schema: type[BaseModel], data: Any, path: Path | str, error: type[Exception]) -> Any:
    """`data` (read from the file at `path`) checked against `schema`; `error` naming the file and every
    problem (the first few) if it does not fit."""
    try:
        return schema.model_validate(data)
    except ValidationError as invalid:
        problems = plain_problems(invalid, data)
        more = len(problems) - MOST_PROBLEMS_SHOWN
        listed = "; ".join(problems[:MOST_PROBLEMS_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        raise error(f"{path}: {listed}") from invalid
