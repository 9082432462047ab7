"""The Jinja2 environment for public pages, with the NHS.UK frontend macros."""

from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader

from itb_portal.contacts.directory import load_directory
from itb_portal.pagecache.fragments import shared_fragment
from itb_portal.printing.jinja import PRINT_FILTERS, PRINT_GLOBALS
from itb_portal.sharing.headings import heading_links, linked_heading
from itb_portal.sharing.qr import absolute_page_url


# Addresses, static file names and dates are the same on every request of a process; working
# them out again cost a tenth of a page's rendering.
@lru_cache(maxsize=1024)
def _reverse(name: str, args: tuple, prefix: str) -> str:
    return reverse(name, args=args or None)


def url(name: str, *args, **kwargs) -> str:
    if kwargs:
        return reverse(name, kwargs=kwargs)
    return _reverse(name, args, get_script_prefix())


static = lru_cache(maxsize=1024)(static)


def qr_url(path: str) -> str:
    """The address of the QR code for a page of this site."""
    return url("sharing:qr") + "?" + urlencode({"page": path})


def _shared_page(request):
    # Imported here: the sharing code reads models, which are not ready when this module loads.
    from itb_portal.sharing.pages import page_being_shown

    # Pages rendered without a request (an export, a printout) have no page to share.
    return page_being_shown(request) if isinstance(request, HttpRequest) else None


@lru_cache(maxsize=1024)
def _date_format(value, fmt: str, language: str) -> str:
    return date_format(value, fmt)


def uk_date(value, fmt: str = "j F Y") -> str:
    return _date_format(value, fmt, get_language()) if value else ""


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
    options.setdefault("autoescape", True)
    options.setdefault("extensions", ["jinja2.ext.do"])
    env = Environment(**options)  # noqa: S701 - autoescape is on
    env.globals.update(static=static, url=url, qr_url=qr_url, service_name="Intrathecal baclofen (ITB) pump")
    env.globals["shared_fragment"] = shared_fragment
    # The service's contacts data (who the information is for, on every printout).
    env.globals["contacts"] = load_directory
    env.filters["uk_date"] = uk_date
    env.globals.update(linked_heading=linked_heading, shared_page=_shared_page, absolute_url=absolute_page_url)
    env.filters["heading_links"] = heading_links
    env.globals.update(PRINT_GLOBALS)
    env.filters.update(PRINT_FILTERS)
    return env
