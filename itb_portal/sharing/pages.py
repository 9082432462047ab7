"""Which page of this site an address means, for sharing it: its newest address, its full
web address and its title.

Used by the Share button, the share page, QR codes and link previews, so all of them
always agree on one address for a page: a renamed section's newest address, and a
symptom result's signs in one fixed order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from django.http import HttpRequest
from markupsafe import Markup

from itb_portal.addresses import NotASitePage, absolute_url, page_match, qr_url, site_path, url
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.interface_text import gettext
from itb_portal.page_registry import PAGES, is_shareable
from itb_portal.printing.booklet import Refusal, choice_from_query
from itb_portal.symptoms.query import CheckRequest, parse_check
from itb_portal.symptoms.rules import load_rules


@dataclass(frozen=True)
class SharedPage:
    path: str  # the newest address on this site, with its query
    url: str  # the full web address
    title: str
    view_name: str

    @property
    def share_page_url(self) -> str:
        return url("sharing:share") + "?" + urlencode({"page": self.path})

    @property
    def qr_url(self) -> str:
        return qr_url(self.path)

    @property
    def qr_download_url(self) -> str:
        return url("sharing:qr") + "?" + urlencode({"page": self.path, "download": "1"})

    @property
    def qr_png_download_url(self) -> str:
        return url("sharing:qr") + "?" + urlencode({"page": self.path, "format": "png", "download": "1"})

    @property
    def qr_filename(self) -> str:
        """A file name a nurse can recognise later, such as qr-code-booklet-the-trial.svg."""
        words = "-".join(part for part in urlsplit(self.path).path.split("/") if part) or "home"
        return f"qr-code-{words}.svg"

    @property
    def qr_png_filename(self) -> str:
        return self.qr_filename.removesuffix(".svg") + ".png"

    @property
    def address_with_breaks(self) -> Markup:
        return address_with_breaks(self.url)

    @property
    def indexed(self) -> bool:
        return PAGES[self.view_name].indexed

    @property
    def email_href(self) -> str:
        intro = gettext("This page from %(team)s may help you:") % {"team": load_directory().service.team_at_hospital}
        body = f"{intro}\n\n{self.title}\n{self.url}"
        return f"mailto:?subject={quote(self.title)}&body={quote(body)}"

    @property
    def sms_href(self) -> str:
        # "sms:?&body=" is the one form both iPhone and Android phones read.
        return f"sms:?&body={quote(f'{self.title}: {self.url}')}"


# A heading's id, as the site makes them (#what-to-do, #bolus).
PART = re.compile(r"[A-Za-z][\w-]{0,99}")


def page_path(value: str) -> tuple[str, str]:
    """`value` as a path on this site and its URL name, or NotASitePage when it is not a page someone
    reads (the page registry says which are)."""
    path = site_path(value)
    view_name = page_match(urlsplit(path).path).view_name
    if not is_shareable(view_name):
        raise NotASitePage("Only pages of this website can have a QR code.")
    return path, view_name


def page_title(view_name: str) -> str:
    """A page's title from the page registry; the site's name for a page the registry gives none."""
    return PAGES[view_name].title or load_directory().service.site_name


def shared_page(value: str, request: HttpRequest | None = None) -> SharedPage:
    """The page of this site that `value` (a path, with any query) means, or NotASitePage saying why not."""
    path, view_name = page_path(value)
    parts = urlsplit(path)
    path, title = parts.path, page_title(view_name)
    if view_name == "booklet:section":
        section = Section.objects.published().at_address(page_match(parts.path).kwargs["slug"])
        if section is None:
            raise NotASitePage(gettext("There is no page at that address on this website."))
        path, title = section.get_absolute_url(), section.title
    elif view_name in ("symptoms:result", "easyread:result"):
        check = parse_check(parts.query, set(load_rules().signs))
        if not isinstance(check, CheckRequest):
            raise NotASitePage(gettext("The symptom check in that address could not be read."))
        path = check.address(view_name)
    elif view_name == "printing:booklet":
        choice = choice_from_query(parts.query)
        if isinstance(choice, Refusal):
            raise NotASitePage(gettext("None of the sections in that address could be found."))
        path, title = choice.path, choice.title
    # Any other page is the same page whatever its query says, so the query is dropped. The part of
    # the page someone shared (#heading) is kept, when it is one a heading could have.
    part = urlsplit(value).fragment
    if PART.fullmatch(part):
        path = f"{path}#{part}"
    return SharedPage(path=path, url=absolute_url(path, request), title=str(title), view_name=view_name)


def page_being_shown(
    request: HttpRequest | None, canonical_path: str | None = None, title: str | None = None
) -> SharedPage | None:
    """The page a response shows, for its share controls and link previews: the page `shared_page`
    finds for the same address, found without reading the database. The view gives what only it
    knows (`canonical_path` for a page whose query is part of its address, `shared_title` for a
    section or a printout); the page registry gives the rest.

    None for anything that is not a page someone reads (the share page itself, an address that is
    not ours), and for a page rendered without a request (an export, a printout saved to a file)."""
    if not isinstance(request, HttpRequest):
        return None
    try:
        path, view_name = page_path(canonical_path or request.path)
    except NotASitePage:
        return None
    if PAGES[view_name].query_in_address and not canonical_path:
        # The view refused what the query asked for (a result for signs it does not know).
        return None
    return SharedPage(
        path=path, url=absolute_url(path, request), title=title or page_title(view_name), view_name=view_name
    )


def address_with_breaks(address: str) -> Markup:
    """`address` with a place to wrap after each slash and before each "?" or "&" (<wbr>), so a
    long address shown on a phone wraps between its parts, never inside a word."""
    return Markup("<wbr>").join(part for part in re.split(r"(?<=/)|(?=[?&])", address) if part)
