"""Taking personal details out of a comment before it is stored.

The form asks people not to write personal or medical details, but some will. Whatever looks
like an email address, a date (a date of birth cannot be told from any other), an NHS number,
a phone number, any other long number (a hospital number) or a postcode is replaced with a
note of what was there. It errs on the side of removing too much: a comment about a page
needs none of these. tests/test_feedback_redaction.py tries many real-looking forms, and a
property test checks that none of them survives, whatever text is around it.
"""

from __future__ import annotations

import re
import unicodedata

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
YEAR = r"(?:\d{4}|'?\d{2})"
SEPARATOR = r"\s*[/.\-\\]\s*"
# A run of digits and what people put between digit groups: spaces, dashes, dots, brackets, slashes, "+".
DIGITS = re.compile(r"\+?\(?\d(?:[\s().\-/\\+]*\d)*")
LONG_NUMBER = 6  # digits: no phone, NHS or hospital number is shorter; a dose or a year is
POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.IGNORECASE)  # SW1A 1AA, sw1a1aa, M1 1AE

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), note)
    for pattern, note in (
        # name@example.com, and anything else with an @ inside it
        (r"[^\s@]*[^\s@.,;:!?()\[\]<>\"'](?:@[^\s@]+)+", "[email address removed]"),
        # what is left with an @ between two characters ("[@0", "(@x"): too little to tell, so it goes too
        (r"[^\s@]+(?:@[^\s@]+)+", "[email address removed]"),
        # 12/03/1956, 12-3-56, 12.03.1956, 1956-03-12
        (rf"\b\d{{1,2}}{SEPARATOR}\d{{1,2}}{SEPARATOR}\d{{2,4}}\b", "[date removed]"),
        (rf"\b\d{{4}}{SEPARATOR}\d{{1,2}}{SEPARATOR}\d{{1,2}}\b", "[date removed]"),
        # 12th March 1956, 12 Mar 56, 12th of March, 1956
        (rf"\b{DAY}\s*(?:of\s+)?{MONTH},?\s*{YEAR}\b", "[date removed]"),
        # March 12th 1956, March 12, 1956, March 1956
        (rf"\b{MONTH}\s*(?:{DAY},?\s*)?{YEAR}\b", "[date removed]"),
        # born in 1956, DOB 1956
        (r"\b(?:born|dob|d\.o\.b\.?|date of birth|birthday)\b\W{0,3}(?:\w+\W{1,3}){0,3}?\d{2,4}\b", "[date removed]"),
    )
)
MAX_LENGTH = 500


def tidy(text: str) -> str:
    """Printable text on single-spaced lines: control characters are only spaces here."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in line)
        lines.append(" ".join(printable.split()))
    return "\n".join(lines).strip()


def _number(found: re.Match[str]) -> str:
    """A run of digits: kept if short; else a phone or NHS number (10 or more digits) or another number."""
    count = sum(ch.isdigit() for ch in found.group())
    if count < LONG_NUMBER:
        return found.group()
    return "[phone or NHS number removed]" if count >= 10 else "[number removed]"


def redact(text: str) -> str:
    """`text` with personal details replaced by a note of what was removed."""
    for pattern, note in PATTERNS:
        text = pattern.sub(note, text)
    text = DIGITS.sub(_number, text)
    return POSTCODE.sub("[postcode removed]", text)
