"""Interface text (menus, buttons, headings, form errors) through Django's translation, shown in a language
only once its interface translation has been reviewed.

A reviewed translation is a compiled catalog in settings.LOCALE_PATHS (locale/<locale>/LC_MESSAGES/django.mo;
docs/languages.md). Without one, a language's pages show the English interface: never Django's own
catalogs for that language, which nobody here reviewed, mixed with English. Clinical text never comes
through here: it is content/ data.

Use these, not django.utils.translation's, for text a patient sees:
`from itb_portal.interface_text import gettext as _`, or gettext_lazy at import time. Jinja templates get
them as `_()` / `{% trans %}` (itb_portal/jinja2.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy


@lru_cache(maxsize=64)
def _reviewed(language: str, locale_paths: tuple[str, ...]) -> bool:
    locale = translation.to_locale(language)
    return any((Path(folder) / locale / "LC_MESSAGES" / "django.mo").is_file() for folder in locale_paths)


def has_reviewed_interface(language: str) -> bool:
    return language != settings.LANGUAGE_CODE and _reviewed(language, tuple(map(str, settings.LOCALE_PATHS)))


def translated() -> bool:
    """Whether this request's interface is shown in its language (not the default's English)."""
    language = translation.get_language()
    return bool(language) and has_reviewed_interface(language)


def interface_language() -> str:
    """The language the interface is shown in, for <html lang>: the active one once reviewed, else the default."""
    return translation.get_language() if translated() else settings.LANGUAGE_CODE


def language_key() -> tuple[str | None, str]:
    """What a kept piece of a page depends on: the active language (its links) and the interface's (its text)."""
    return translation.get_language(), interface_language()


def html_lang() -> str:
    """`interface_language()` as <html lang> writes it: "en-GB", "ur", "ar-XB"."""
    first, *rest = interface_language().split("-")
    return "-".join([first, *(part.upper() if len(part) == 2 else part.title() for part in rest)])


def interface_direction() -> str:
    """ "rtl" or "ltr", for <html dir>: the direction of `interface_language()` (settings.LANGUAGES_BIDI)."""
    return "rtl" if translated() and translation.get_language_bidi() else "ltr"


def gettext(message: str) -> str:
    return translation.gettext(message) if translated() else message


def ngettext(singular: str, plural: str, number: int) -> str:
    if translated():
        return translation.ngettext(singular, plural, number)
    return singular if number == 1 else plural


def pgettext(context: str, message: str) -> str:
    return translation.pgettext(context, message) if translated() else message


def npgettext(context: str, singular: str, plural: str, number: int) -> str:
    if translated():
        return translation.npgettext(context, singular, plural, number)
    return singular if number == 1 else plural


def interface_date(value, fmt: str) -> str:
    """`value` formatted as Django's date_format does, with month and day names in the interface's language:
    English on a page whose language has no reviewed interface (Django's own catalogs are not reviewed here)."""
    language = translation.get_language()
    if not language or language == settings.LANGUAGE_CODE or translated():
        return date_format(value, fmt)
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(value, fmt)


# For text made at import time (form labels, errors): translated when it is shown, in that request's language.
gettext_lazy = lazy(gettext, str)
ngettext_lazy = lazy(ngettext, str)
pgettext_lazy = lazy(pgettext, str)
