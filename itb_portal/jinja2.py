"""The Jinja2 environment for public pages, with the NHS.UK frontend macros.

Helpers live in their own modules; this one only registers them:
itb_portal/addresses.py (URLs), booklet/html.py (section HTML, linked headings),
printing/jinja.py (what printouts name), sharing/pages.py (the page as it is shared)
and pagecache/memo.py (memoised fragments).
"""

import re
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from markupsafe import Markup, escape

from itb_portal.addresses import absolute_url, qr_url, static, url
from itb_portal.booklet.html import linked_heading, opening_and_rest, section_html
from itb_portal.contacts.directory import load_directory, upper_first
from itb_portal.pagecache.memo import fragment
from itb_portal.printing.jinja import PRINT_GLOBALS
from itb_portal.sharing.pages import address_with_breaks, page_being_shown


def shared_page(request, canonical_path: str | None = None):
    # Pages rendered without a request (an export, a printout) have no page to share.
    return page_being_shown(request, canonical_path) if isinstance(request, HttpRequest) else None


# Dates are the same on every request of a process; formatting them again cost a tenth of a page's rendering.
@lru_cache(maxsize=1024)
def _date_format(value, fmt: str, language: str) -> str:
    return date_format(value, fmt)


def uk_date(value, fmt: str = "j F Y") -> str:
    return _date_format(value, fmt, get_language()) if value else ""


def bold_999(text: str) -> Markup:
    """`text` with every 999 in bold: on paper the number someone looks for in an emergency stands out."""
    return Markup(re.sub(r"\b999\b", "<strong>999</strong>", str(escape(text))))  # noqa: S704 - escaped first


class PortalEnvironment(Environment):
    def make_globals(self, d):
        """A template's globals as one plain dict, not Jinja's ChainMap over the environment's: each include,
        import and fragment copies them into a new context, and a ChainMap is read key by key in Python.
        The environment's globals are all set before any template is loaded, so nothing is missed."""
        return {**self.globals, **(d or {})}


def environment(**options) -> Environment:
    # The macros read optional parameters through chained attributes,
    # which Django's default Undefined would turn into errors.
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader(
        [
            FileSystemLoader([str(d) for d in settings.TEMPLATES[0]["DIRS"]]),
            PackageLoader("nhsuk_frontend_jinja"),
        ]
    )
    # Every template stays compiled in a plain dict: they all fit, and the default LRU cache reorders its list
    # of them on every include and import (over a dozen for each page).
    options.setdefault("cache_size", -1)
    options.setdefault("autoescape", True)
    options.setdefault("extensions", ["jinja2.ext.do", "jinja2.ext.i18n"])
    env = PortalEnvironment(**options)
    # Interface text goes through Django's translation: `{{ _("Call 999") }}` or `{% trans %}...{% endtrans %}`.
    # Clinical text (signs, actions, numbers) never does: it comes from content/ data.
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(
        service_name="Intrathecal baclofen (ITB) pump",
        static=static,
        url=url,
        qr_url=qr_url,
        absolute_url=absolute_url,
        linked_heading=linked_heading,
        shared_page=shared_page,
        fragment=fragment,
        # The service's contacts data (who the information is for, on every printout).
        contacts=load_directory,
        **PRINT_GLOBALS,
    )
    env.filters.update(
        uk_date=uk_date,
        section_html=section_html,
        upper_first=upper_first,
        opening_and_rest=opening_and_rest,
        address_with_breaks=address_with_breaks,
        bold_999=bold_999,
    )
    return env
