"""Taking personal details out of a comment before it is stored.

The form asks people not to write personal or medical details, but some will. Whatever looks
like an email address, a date (a date of birth cannot be told from any other), an NHS number,
a phone number, any other long number (a hospital number) or a postcode is replaced with a
note of what was there. The text is normalised first (NFKC), and the disguises people use are
seen through: digit groups broken by any non-letter ("485,777,3456", "0113–392–2178"), "O" typed
for "0", and emails spelt out ("jane [at] example [dot] com", "jane @ example.com"). It errs on
the side of removing too much: a comment about a page needs none of these.
tests/test_feedback_redaction.py tries many real-looking forms, and property tests check that
none of them, nor any generated disguise, survives whatever text is around it.
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
# A digit, or an "O" typed for a zero: an O that touches no letter but another O ("O7700 9OO123").
DIGIT = r"(?:\d|(?<![^\W\d_Oo])[Oo](?![^\W\d_Oo]))"
# A run of digits broken by anything but letters: people put spaces, dashes of any kind, dots,
# commas, brackets, slashes, "*", "|", "~" or "_" between digit groups ("485,777,3456").
DIGITS = re.compile(rf"[+(]*{DIGIT}(?:[\W_]*{DIGIT})*")
LONG_NUMBER = 6  # digits: no phone, NHS or hospital number is shorter; a dose or a year is
# SW1A 1AA, sw1a1aa, M1 1AE, LS1-3EX
POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?[\W_]*\d[a-z]{2}\b", re.IGNORECASE)
# An email address spelt out: "jane [at] example [dot] com", "jane (at) example (dot) com", "jane @ example.com".
SPELT_AT = re.compile(r"\s*(?:[\[({<]\s*at\s*[\])}>]|@)\s*", re.IGNORECASE)
SPELT_DOT = re.compile(r"\s*[\[({<]\s*dot\s*[\])}>]\s*", re.IGNORECASE)
# ... and with plain words, when a "dot" follows: "jane at example dot com".
WORDS_AT_DOT = re.compile(r"[\w.+-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+", re.IGNORECASE)

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
    """Printable text on single-spaced lines, normalised (NFKC: a full-width "＠" or "７" is the plain
    one): control characters are only spaces here. Its length is counted after this."""
    lines = []
    text = unicodedata.normalize("NFKC", text)
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in line)
        lines.append(" ".join(printable.split()))
    return "\n".join(lines).strip()


def _number(found: re.Match[str]) -> str:
    """A run of digits: kept if short, or if it is only Os; else a phone or NHS number (10 or more
    digits) or another number."""
    count = sum(ch.isdigit() or ch in "Oo" for ch in found.group())
    if count < LONG_NUMBER or not any(ch.isdigit() for ch in found.group()):
        return found.group()
    return "[phone or NHS number removed]" if count >= 10 else "[number removed]"


def redact(text: str) -> str:
    """`text` with personal details replaced by a note of what was removed."""
    text = unicodedata.normalize("NFKC", text)
    text = WORDS_AT_DOT.sub("[email address removed]", text)
    text = SPELT_DOT.sub(".", SPELT_AT.sub("@", text))
    for pattern, note in PATTERNS:
        text = pattern.sub(note, text)
    text = DIGITS.sub(_number, text)
    return POSTCODE.sub("[postcode removed]", text)
