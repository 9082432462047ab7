"""A comment never keeps a phone number, an NHS number, an email address or a date of birth:
many real-looking forms, and a property test with any text around them."""

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from itb_portal.feedback.redact import redact, tidy

PHONES = [
    "0113 392 2178",
    "01133922178",
    "0113-392-2178",
    "(0113) 392 2178",
    "0113 3922178",
    "07700 900123",
    "07700900123",
    "077 0090 0123",
    "+44 7700 900123",
    "+447700900123",
    "+44 (0)7700 900 123",
    "0044 7700 900123",
    "0800 123 4567",
    "020 7946 0018",
    "(020) 7946 0018",
    "01632 960 001",
    "0161.496.0000",
    "0 7 7 0 0 9 0 0 1 2 3",
]
NHS_NUMBERS = ["485 777 3456", "4857773456", "485-777-3456", "943 476 5919", "9434765919", "943.476.5919"]
EMAILS = [
    "jo.bloggs@example.com",
    "JO_BLOGGS+itb@nhs.net",
    "jo@localhost",
    "first.last@sub.domain.co.uk",
    "o'neil@example.org",
    "(jo@example.com)",
    "mailto:jo@example.com",
    "jo@work@example.com",  # more than one @: found by the property test below
]
DATES = [
    "12/03/1956",
    "12/3/56",
    "1/1/2001",
    "12-03-1956",
    "12.03.1956",
    "12 / 03 / 1956",
    "1956-03-12",
    "1956/03/12",
    "12 March 1956",
    "12th March 1956",
    "12th of March 1956",
    "3rd Dec 1949",
    "1 Jan 60",
    "12 Sept 1980",
    "March 12 1956",
    "March 12th, 1956",
    "Mar 12, 1956",
    "December 1949",
    "12 MARCH 1956",
]
OTHER = ["LS1 3EX", "ls13ex", "SW1A 1AA", "hospital number 12345678", "M1234567", "RR8 1234567"]


@pytest.mark.parametrize("value", PHONES + NHS_NUMBERS + EMAILS + DATES + OTHER)
def test_each_real_looking_detail_is_removed(value):
    for text in [value, f"My number is {value}.", f"{value} is mine", f"born {value}, call me"]:
        redacted = redact(text)
        assert value not in redacted, (text, redacted)
        assert "removed]" in redacted
        assert not re.search(r"\d(?:[\s().\-/+]*\d){5,}", redacted), redacted
        assert "@" not in redacted


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Ring me on 07700 900123", "[phone or NHS number removed]"),
        ("my NHS number is 485 777 3456", "[phone or NHS number removed]"),
        ("email jo@example.com please", "[email address removed]"),
        ("DOB 12/03/1956", "[date removed]"),
        ("I was born in 1956", "[date removed]"),
        ("I live at LS1 3EX", "[postcode removed]"),
    ],
)
def test_editors_see_what_kind_of_detail_was_removed(text, note):
    assert note in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "The page did not say how long the battery lasts.",
        "It says 5 to 7 years but my nurse said 7.",
        "The dose of 25 micrograms was confusing.",
        "Call 999 and 111 should be at the top.",
        "I read it 3 times and still did not understand step 2.",
        "Too many long words, e.g. intrathecal & cerebrospinal.",
        "Ward L24 or L25?",
    ],
)
def test_ordinary_comments_are_kept_as_written(text):
    assert redact(text) == text


def test_a_comment_is_tidied_before_it_is_stored():
    assert tidy("  one\x00two\r\n\tthree   four \x1b[31m ") == "one two\nthree four [31m"


# --- Property: whatever text surrounds a detail, none of it survives ----------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
separators = st.sampled_from(["", " ", "-", ".", " - ", "  ", "/"])


@st.composite
def phone_numbers(draw):
    prefix = draw(st.sampled_from(["0", "+44 ", "+44", "0044 ", "(0", "+44 (0)"]))
    groups = draw(st.lists(digits, min_size=2, max_size=4))
    number = draw(separators).join(groups)
    body = prefix + number
    if prefix == "(0":
        body = "(0" + number[:3] + ") " + number[3:]
    return body if sum(c.isdigit() for c in body) >= 6 else body + "123456"


@st.composite
def nhs_numbers(draw):
    ten = draw(st.text(alphabet="0123456789", min_size=10, max_size=10))
    sep = draw(separators)
    return f"{ten[:3]}{sep}{ten[3:6]}{sep}{ten[6:]}"


MONTHS = ["January", "Feb", "March", "apr", "May", "June", "Jul", "AUGUST", "Sept", "oct", "November", "dec"]


@st.composite
def dates_of_birth(draw):
    day, month, year = draw(st.integers(1, 31)), draw(st.integers(1, 12)), draw(st.integers(1900, 2026))
    short_year = f"{year % 100:02d}"
    sep = draw(st.sampled_from(["/", "-", ".", " / "]))
    name = draw(st.sampled_from(MONTHS))
    suffix = draw(st.sampled_from(["", "st", "nd", "rd", "th"]))
    return draw(
        st.sampled_from(
            [
                f"{day}{sep}{month}{sep}{year}",
                f"{day:02d}{sep}{month:02d}{sep}{short_year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{day}{suffix} {name} {year}",
                f"{day}{suffix} of {name} {year}",
                f"{name} {day}{suffix}, {year}",
                f"{name} {year}",
            ]
        )
    )


emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=12).filter(
        lambda u: u[-1] not in ".,"
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10),
    st.sampled_from(["com", "co.uk", "nhs.net", "org"]),
)
details = st.one_of(phone_numbers(), nhs_numbers(), dates_of_birth(), emails)
# Everyday text around a detail, digits and punctuation included.
around = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=400, deadline=None)
@given(before=around, detail=details, after=around)
@example(before="", detail="0000000000", after="0@0@0")
@example(before="", detail="0000000000", after="[@0")
def test_no_detail_survives_whatever_surrounds_it(before, detail, after):
    redacted = redact(tidy(f"{before} {detail} {after}"))
    assert detail not in redacted
    # Nothing left that could be a phone, NHS or hospital number, an email or a numeric date.
    assert not re.search(r"\d(?:[\s().\-/\\+]*\d){5,}", redacted), redacted
    assert not re.search(r"[^\s@]@[^\s@]", redacted), redacted
    assert not re.search(r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b", redacted), redacted


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_redacting_twice_changes_nothing_more(text):
    once = redact(tidy(text))
    assert redact(once) == once


# --- Property: the disguises people use (issue 21) ------------------------------------------------
# Any non-letter between digit groups, "O" typed for "0", full-width characters, emails spelt out,
# postcodes with a separator. Each is normalised (NFKC) first, as redact does.

between_groups = st.sampled_from([" ", "-", "–", "—", ".", ",", "_", "*", "|", "~", "/", " – ", " | ", ", ", "", "  "])
FULL_WIDTH = str.maketrans("0123456789@", "０１２３４５６７８９＠")


@st.composite
def in_disguise(draw, digits: str, groups: tuple[int, ...]):
    """`digits` split into groups, each break a separator of any kind; some zeros typed as O; maybe full width."""
    parts, at = [], 0
    for size in groups:
        parts.append(digits[at : at + size])
        at += size
    number = "".join(part + (draw(between_groups) if i < len(parts) - 1 else "") for i, part in enumerate(parts))
    zeros = [i for i, ch in enumerate(number) if ch == "0"]
    as_o = draw(st.sets(st.sampled_from(zeros), max_size=3)) if zeros else set()
    letter = draw(st.sampled_from("Oo"))
    number = "".join(letter if i in as_o else ch for i, ch in enumerate(number))
    return number.translate(FULL_WIDTH) if draw(st.booleans()) else number


@st.composite
def disguised_nhs_numbers(draw):
    ten = draw(st.text(alphabet="0123456789", min_size=10, max_size=10))
    return draw(in_disguise(ten, (3, 3, 4)))


@st.composite
def disguised_phone_numbers(draw):
    rest = draw(st.text(alphabet="0123456789", min_size=10, max_size=10))
    groups = draw(st.sampled_from([(5, 6), (4, 3, 4), (3, 4, 4), (2, 3, 3, 3), (11,)]))
    return draw(in_disguise("0" + rest, groups))


host_part = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
SPELT = [("@", "."), (" @ ", "."), ("＠", "."), ("[at]", "[dot]"), (" [at] ", " [dot] "), (" (at) ", " (dot) ")]
SPELT += [("(at)", "."), (" AT ", " DOT "), (" at ", " dot "), (" {at} ", "."), ("<at>", "<dot>")]


@st.composite
def disguised_emails(draw):
    user = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=12))
    user = user.strip("._+-") or "jane"
    at, dot = draw(st.sampled_from(SPELT))
    host = [draw(host_part) for _ in range(draw(st.integers(1, 2)))] + [draw(st.sampled_from(["com", "co", "net"]))]
    return user + at + dot.join(host)


@st.composite
def postcodes_with_separators(draw):
    area = draw(st.text(alphabet="ABCDEFGHIJKLMNPRSTUWYZ", min_size=1, max_size=2))
    district = draw(st.sampled_from(["1", "12", "1A"]))
    sep = draw(st.sampled_from(["-", "–", "_", ".", "/", " - ", " ", "", "*", "|"]))
    inward = draw(st.integers(0, 9)).__str__() + draw(st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
    postcode = f"{area}{district}{sep}{inward}"
    return postcode.lower() if draw(st.booleans()) else postcode


disguises = st.one_of(
    disguised_nhs_numbers(), disguised_phone_numbers(), disguised_emails(), postcodes_with_separators()
)


# The forms issue 21 found stored word for word, always tried.
SEEN_STORED = ["485,777,3456", "485_777_3456", "O113 392 2178", "0113–392–2178", "07700*900*123", "07700|900|123"]
SEEN_STORED += ["07700~900~123", "jane＠example.com", "jane @ example.com", "jane[at]example.com"]
SEEN_STORED += ["jane (at) example (dot) com", "LS1-3EX"]


def seen_stored(test):
    for detail in SEEN_STORED:
        test = example(before="", detail=detail, after="")(test)
    return test


@settings(max_examples=500, deadline=None)
@given(before=around, detail=disguises, after=around)
@seen_stored
def test_no_disguised_detail_survives_whatever_surrounds_it(before, detail, after):
    redacted = redact(tidy(f"{before} {detail} {after}"))
    plain = unicodedata.normalize("NFKC", detail)
    assert plain not in redacted, redacted
    # Nothing left that could be a phone or NHS number, with any separator or O for 0, nor an email.
    as_digits = re.sub(r"(?<![^\W\d_Oo])[Oo](?![^\W\d_Oo])", "0", redacted)
    assert not re.search(r"\d(?:[\W_]*\d){5,}", as_digits), redacted
    assert not re.search(r"[^\s@]@[^\s@]", redacted), redacted


@pytest.mark.parametrize(
    ("typed", "note"),
    [
        ("my NHS number is 485,777,3456", "[phone or NHS number removed]"),
        ("ring O7700 9OO123 please", "[phone or NHS number removed]"),
        ("write to jane (at) example (dot) com", "[email address removed]"),
        ("or jane at example dot com", "[email address removed]"),
        ("I live near LS1-3EX", "[postcode removed]"),
    ],
)
def test_disguised_details_say_what_was_removed(typed, note):
    assert note in redact(tidy(typed))
