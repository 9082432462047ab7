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

from django.db import DatabaseError
from django.http import HttpRequest
from markupsafe import Markup

from itb_portal.addresses import NotASitePage, absolute_url, page_match, qr_url, site_path, url
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.interface_text import gettext, gettext_lazy
from itb_portal.printing.booklet import Refusal, choice_from_query
from itb_portal.symptoms.query import CheckRequest, parse_check
from itb_portal.symptoms.rules import load_rules

SERVICE_NAME = "Intrathecal baclofen (ITB) pump"

# A page's share title is its main heading (h1): what someone sees when the link opens.
# tests/test_share.py checks each one against the page itself.
PAGE_TITLES = {
    "booklet:home": gettext_lazy(SERVICE_NAME),
    "booklet:accessibility": gettext_lazy("Accessibility statement"),
    "symptoms:checker": gettext_lazy("Check your symptoms and find who to call"),
    "symptoms:result": gettext_lazy("Your symptom check"),
    "symptoms:emergency_sheet": gettext_lazy("ITB pump: what to do in an emergency"),
    "contacts:index": gettext_lazy("Contacts and getting help"),
    "printing:index": gettext_lazy("Print the booklet"),
    "search:results": gettext_lazy("Search the booklet"),
    "companion:my_pump": gettext_lazy("Your pump card"),
    "companion:wallet_card": gettext_lazy("Print your wallet card"),
    "companion:handover_sheet": gettext_lazy("Intrathecal baclofen (ITB) pump: for A&E staff and paramedics"),
    "companion:offline": gettext_lazy("No signal"),
    "companion:offline_check": gettext_lazy("ITB pump: what to do in an emergency"),
}
# Pages that are shareable but should not be found by search engines: a result is one
# person's answers, and a search result a list of other pages, not a page of information; nor
# are the pages the service worker shows with no signal.
NOT_INDEXED = {"symptoms:result", "search:results", "companion:offline", "companion:offline_check"}


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
        return self.view_name not in NOT_INDEXED

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


def shared_page(value: str, request: HttpRequest | None = None) -> SharedPage:
    """The page of this site that `value` (a path, with any query) means, or NotASitePage saying why not."""
    parts = urlsplit(site_path(value))
    match = page_match(parts.path)
    view_name = match.view_name
    path, title = parts.path, PAGE_TITLES.get(view_name, SERVICE_NAME)
    if view_name == "booklet:section":
        section = Section.objects.published().at_address(match.kwargs["slug"])
        if section is None:
            raise NotASitePage(gettext("There is no page at that address on this website."))
        path, title = section.get_absolute_url(), section.title
    elif view_name == "symptoms:result":
        check = parse_check(parts.query, set(load_rules().signs))
        if not isinstance(check, CheckRequest):
            raise NotASitePage(gettext("The symptom check in that address could not be read."))
        path = check.address()
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


def page_being_shown(request: HttpRequest, canonical_path: str | None = None) -> SharedPage | None:
    """The page a response shows, for its share controls and link previews: its canonical address
    when the view gives one, else the address asked for. None for anything that is not a page of
    information (the share page itself, an address that is not ours)."""
    try:
        return shared_page(canonical_path or request.get_full_path(), request)
    except (NotASitePage, DatabaseError):
        # Possibly for a database that is down: there is nothing to share.
        return None


def address_with_breaks(address: str) -> Markup:
    """`address` with a place to wrap after each slash and before each "?" or "&" (<wbr>), so a
    long address shown on a phone wraps between its parts, never inside a word."""
    return Markup("<wbr>").join(part for part in re.split(r"(?<=/)|(?=[?&])", address) if part)
