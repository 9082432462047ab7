"""The site's languages, read from content/languages.yaml: a service chooses them, not the code.

Read by settings.py (LANGUAGES, LANGUAGES_BIDI) before Django is set up, so this imports nothing of Django's
but its error. Every problem names the file and the entry, and stops the site starting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

# A language tag as web addresses carry it: "ur", "en-gb", "pa-arab".
LANGUAGE_CODE_SHAPE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
DIRECTIONS = ("ltr", "rtl")
FIELDS = ("code", "name", "english_name", "direction")
# The lines a language may give about translations, written in it and signed off in the admin before they
# show (booklet/translations.py); `english_lines` gives each in English for a language that has none yet.
LINES = ("ask_for_translation", "out_of_date")


class LanguagesFileError(ImproperlyConfigured):
    """content/languages.yaml is missing or malformed. The message names the file and what to fix."""


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    english_name: str
    direction: str  # "ltr" or "rtl"
    lines: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # LINES, as written


ENGLISH = Language("en-gb", "English", "English", "ltr")


@dataclass(frozen=True)
class LanguagesFile:
    languages: list[Language]
    english_lines: dict[str, str]  # each of LINES in English, with {language} for the language's name


def read_languages(path: Path) -> list[Language]:
    """The languages listed in `path`, the default first."""
    return read_languages_file(path).languages


def read_languages_file(path: Path) -> LanguagesFile:
    """Everything in `path`: the languages, the default first, each with its lines, and the English lines."""
    if not path.exists():  # a service that has chosen no languages (an older content folder) is in English
        return LanguagesFile([ENGLISH], {})
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LanguagesFileError(f"{path}: not valid UTF-8 YAML: {error}") from error
    return parse_languages(text, path)


def parse_languages(text: str, path: Path) -> LanguagesFile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LanguagesFileError(f"{path}: not valid UTF-8 YAML: {error}") from error
    entries = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise LanguagesFileError(f"{path}: give a list `languages:` with at least one language (docs/languages.md)")
    languages = [_language(path, number, entry) for number, entry in enumerate(entries, start=1)]
    codes = [language.code for language in languages]
    if twice := sorted({code for code in codes if codes.count(code) > 1}):
        raise LanguagesFileError(f"{path}: the language {', '.join(twice)} is listed more than once")
    english = data.get("english_lines") or {}
    if not isinstance(english, dict) or not all(isinstance(english.get(line, ""), str) for line in LINES):
        raise LanguagesFileError(f"{path}: english_lines must give each of {', '.join(LINES)} as text")
    return LanguagesFile(languages, {line: (english.get(line) or "").strip() for line in LINES})


def _language(path: Path, number: int, entry: object) -> Language:
    where = f"{path}: language {number}"
    if not isinstance(entry, dict):
        raise LanguagesFileError(f"{where}: give {', '.join(FIELDS)}")
    if missing := [field for field in FIELDS if not isinstance(entry.get(field), str) or not entry[field].strip()]:
        raise LanguagesFileError(f"{where}: give {', '.join(missing)} (text)")
    code = entry["code"].strip()
    if not LANGUAGE_CODE_SHAPE.fullmatch(code):
        raise LanguagesFileError(f"{where}: code {code!r} is not a lower-case language code such as ur or en-gb")
    if entry["direction"] not in DIRECTIONS:
        raise LanguagesFileError(f"{where} ({code}): direction must be ltr or rtl, not {entry['direction']!r}")
    if wrong := [line for line in LINES if not isinstance(entry.get(line) or "", str)]:
        raise LanguagesFileError(f"{where} ({code}): give {', '.join(wrong)} as text")
    lines = {line: (entry.get(line) or "").strip() for line in LINES}
    return Language(code, entry["name"].strip(), entry["english_name"].strip(), entry["direction"], lines)


def bidi_codes(languages: list[Language]) -> list[str]:
    """For settings.LANGUAGES_BIDI: Django tells right-to-left by a code's first part ("ur" of "ur-pk")."""
    return sorted({language.code.split("-")[0] for language in languages if language.direction == "rtl"})
