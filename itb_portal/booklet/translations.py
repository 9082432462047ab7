"""A section's page in another language: its reviewed translation, or a line saying how to ask for one.

- A translation (content/sections/<language>/) is shown only while a named clinical approver's sign-off
  of its text stands, naming the translation reviewer who compared it with the English, and while it still
  has every data block its English section has. Otherwise the page is the English one, with the
  language's line saying how to ask the team for a translation.
- A translation made from older English text is shown marked out of date, with a link to the English.
  Its signs, actions and numbers are never out of date: they are data blocks, filled in from the data
  in use, as on the English page.
- A language line (content/languages.yaml: `ask_for_translation`, `out_of_date`) is shown in its
  language only while its text is the text a named approver signed off (LanguageLineSignOff); until
  then the English line (`english_lines`) is shown. Nothing here translates anything: every word in
  another language was written by people, and signed off by a named approver, before it is shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from markupsafe import Markup

from itb_portal import languages as languages_file
from itb_portal.datafiles import read_text
from itb_portal.datafiles.signoff import recorded_sign_off
from itb_portal.languages import Language, LanguagesFileError
from itb_portal.pagecache import memo

from . import blocks
from .markdown import render
from .models import ENGLISH, LanguageLineSignOff, Section, missing_blocks

logger = logging.getLogger(__name__)

LINES = (LanguageLineSignOff.ASK_FOR_TRANSLATION, LanguageLineSignOff.OUT_OF_DATE)


def languages_path() -> Path:
    return settings.CONTENT_DIR / "languages.yaml"


@dataclass(frozen=True)
class Languages:
    by_code: dict[str, Language]
    english_lines: dict[str, str]

    def get(self, code: str) -> Language:
        return self.by_code.get(code) or Language(code, code, code, "ltr")


def parse_languages(text: str) -> Languages:
    """content/languages.yaml, read by the one reader the settings use too, and each line's data blocks
    checked. Raises ValueError or LanguagesFileError naming the problem."""
    found = languages_file.parse_languages(text, languages_path())
    for language in found.languages:
        for line, value in [
            *language.lines.items(),
            *((f"english_lines {k}", v) for k, v in found.english_lines.items()),
        ]:
            if problems := blocks.problems(value):
                raise ValueError(f"languages.yaml: {language.code} {line}: " + "; ".join(problems))
    return Languages({language.code: language for language in found.languages}, found.english_lines)


def load_languages() -> Languages:
    def read() -> Languages:
        path = languages_path()
        if not path.exists():
            return Languages({}, {})
        try:
            return parse_languages(read_text(path))
        except (ValueError, LanguagesFileError, OSError, UnicodeDecodeError):
            # A broken file shows no line in any language, never an unchecked one.
            logger.exception("content/languages.yaml cannot be read: no language lines are shown")
            return Languages({}, {})

    return memo.for_content_version("booklet-languages", read)


@dataclass(frozen=True)
class Line:
    """A language line as a page shows it: its HTML, and the language it is in."""

    html: Markup
    language: str
    direction: str


def _html(text: str) -> Markup:
    return Markup(blocks.expand(render(text)))  # noqa: S704 - sanitised by render (nh3), then filled from the data


def line_signed_off(language: Language, line: str) -> LanguageLineSignOff | None:
    """The sign-off of the line's text as it is now in content/languages.yaml, if a named approver made one."""
    text = language.lines.get(line, "")
    latest = LanguageLineSignOff.objects.filter(language=language.code, line=line).order_by("-pk").first()
    if text and latest and latest.text.strip() == text and latest.approver_name and latest.translation_reviewer:
        return latest
    return None


def language_line(language: Language, line: str) -> Line | None:
    """The line in its language once signed off, else in English; None when neither is written."""
    if line_signed_off(language, line):
        return Line(_html(language.lines[line]), language.code, language.direction)
    english = load_languages().english_lines.get(line, "")
    if not english:
        return None
    return Line(_html(english.replace("{language}", language.english_name)), ENGLISH, "ltr")


def shown_translation(english: Section, code: str) -> Section | None:
    """The translation of `english` patients may read in `code`: published, signed off by a named approver
    who named its translation reviewer, and with every data block of the English section."""
    for translation in english.translations.filter(language=code, is_published=True):
        if (
            recorded_sign_off(translation)
            and translation.translation_reviewer.strip()
            and not missing_blocks(translation, english)
        ):
            return translation
    return None


@dataclass(frozen=True)
class TranslatedPage:
    """What a section's page shows in a language other than English."""

    language: Language
    section: Section  # the translation, or the English section where there is no reviewed translation
    translated: bool
    is_out_of_date: bool = False  # a translation made from older English text
    out_of_date: Line | None = None  # the line that says so (the template has its own, should none be written)
    ask_for_translation: Line | None = None  # shown above the English where there is no reviewed translation
    english_url: str = ""  # this page in English

    @property
    def content_language(self) -> str:
        return self.language.code if self.translated else ENGLISH

    @property
    def content_direction(self) -> str:
        return self.language.direction if self.translated else "ltr"


def on_page(english: Section, code: str) -> TranslatedPage:
    language = load_languages().get(code)
    translation = shown_translation(english, code)
    if translation is None:
        return TranslatedPage(
            language,
            english,
            False,
            ask_for_translation=language_line(language, LanguageLineSignOff.ASK_FOR_TRANSLATION),
        )
    translation.translation_of = english  # the English as this page has it, without another query
    stale = translation.translation_out_of_date
    return TranslatedPage(
        language,
        translation,
        True,
        is_out_of_date=stale,
        out_of_date=language_line(language, LanguageLineSignOff.OUT_OF_DATE) if stale else None,
    )


def preview(translation: Section) -> TranslatedPage:
    """A translation's draft as its page will show it once approved (the admin's preview)."""
    stale = translation.translation_out_of_date
    language = load_languages().get(translation.language)
    line = language_line(language, LanguageLineSignOff.OUT_OF_DATE) if stale else None
    return TranslatedPage(language, translation, True, is_out_of_date=stale, out_of_date=line)
