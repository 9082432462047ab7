"""The page registry: every public address of this site, by URL name, and what each one is.

One entry per URL name says what sharing, search engines and the service worker need to know:
its title, whether search engines may list it, whether the service worker keeps it for use with no
signal, and whether it is a page someone reads, so share links, QR codes and feedback can name it.
tests/test_page_registry.py fails when a URL name has no entry here, or an entry no URL.

Titles are the pages' main headings (h1) as patients see them, in plain strings in this one place,
through the interface's translation (gettext_lazy). The site's own name and every clinical word come from content/.
"""

from __future__ import annotations

from dataclasses import dataclass

from itb_portal.interface_text import gettext_lazy as _


@dataclass(frozen=True)
class Page:
    # The page's main heading (h1), and its title when shared. None: the site's name (the home page,
    # and anything else that has no title), or for a section or a printout, the one its view gives.
    title: str | None = None
    # A page someone reads: a share link, a QR code or "Was this page useful?" may name it. Files,
    # form posts and tools are not pages: the QR code and share page themselves, the sitemap.
    shareable: bool = True
    # Search engines may list it: it is in sitemap.xml (when its address is fixed), and has no
    # "noindex". A result is one person's answers, a search a list of other pages, and the no-signal
    # pages only make sense with no signal.
    indexed: bool = True
    # robots.txt lets search engines fetch it. Not where the address holds what someone chose.
    crawled: bool = True
    # Its query is part of its address (a result's signs, a printout's sections): only its view can
    # say which address it is (`canonical_path`), and without that there is nothing to share.
    query_in_address: bool = False
    # The service worker keeps it, so it opens with no signal.
    offline: bool = False
    # What the no-signal page calls its link to it, for the pages someone may want then; "" for none.
    saved_link: str = ""


# Not a page someone reads: nothing to share, and nothing for search engines to list.
NOT_A_PAGE = Page(shareable=False, indexed=False)
EMERGENCY_SHEET = _("ITB pump: what to do in an emergency")

# In the order the no-signal page lists its saved links, and the worker keeps pages.
PAGES: dict[str, Page] = {
    "booklet:home": Page(offline=True, saved_link=_("The ITB booklet")),
    # Every published section is kept offline and listed in the sitemap (the sections sitemap).
    "booklet:section": Page(offline=True),
    "symptoms:checker": Page(
        _("Check your symptoms and find who to call"), offline=True, saved_link=_("Check your symptoms")
    ),
    "symptoms:result": Page(_("Your symptom check"), indexed=False, crawled=False, query_in_address=True),
    "symptoms:emergency_sheet": Page(EMERGENCY_SHEET, offline=True, saved_link=_("The emergency sheet")),
    # The same sheet as a PDF: shared as itself, listed through the page it prints.
    "symptoms:emergency_sheet_pdf": Page(EMERGENCY_SHEET, indexed=False),
    "contacts:index": Page(_("Contacts and getting help"), offline=True, saved_link=_("Contacts and opening hours")),
    "companion:my_pump": Page(_("Your pump card"), offline=True, saved_link=_("Your pump card")),
    "companion:wallet_card": Page(_("Print your wallet card"), offline=True),
    "companion:handover_sheet": Page(_("Intrathecal baclofen (ITB) pump: for A&E staff and paramedics"), offline=True),
    "companion:offline": Page(_("No signal"), indexed=False, offline=True),
    "companion:offline_check": Page(EMERGENCY_SHEET, indexed=False, offline=True),
    "search:results": Page(_("Search the booklet"), indexed=False, offline=True, saved_link=_("Search the booklet")),
    # The search index, for lunr.js in the browser.
    "search:index": Page(shareable=False, indexed=False, offline=True),
    "booklet:accessibility": Page(_("Accessibility statement")),
    "printing:index": Page(_("Print the booklet")),
    # The whole booklet, or the sections someone chose, on paper: the sections are the pages to list.
    "printing:booklet": Page(indexed=False, query_in_address=True),
    # Easy Read (issue 26, docs/easy-read.md): each title is the page's own, from content/easy-read/.
    "easyread:index": Page(_("Easy Read"), offline=True),
    "easyread:if_something_is_wrong": Page(
        _("If something is wrong"), offline=True, saved_link=_("Easy Read: if something is wrong")
    ),
    "easyread:refills": Page(_("Refills"), offline=True),
    "easyread:living_with_your_pump": Page(_("Living with your pump"), offline=True),
    "easyread:the_operation": Page(_("The operation"), offline=True),
    "easyread:contacts": Page(_("Who to phone"), offline=True),
    # Its steps carry the signs ticked so far in the query, which sharing drops: the first screen is shared.
    "easyread:checker": Page(_("Check your signs")),
    "easyread:result": Page(_("What to do now"), indexed=False, crawled=False, query_in_address=True),
    "companion:service_worker": NOT_A_PAGE,
    "companion:manifest": NOT_A_PAGE,
    # Its address holds the page it encodes, which may hold someone's symptom choices.
    "sharing:qr": Page(shareable=False, indexed=False, crawled=False),
    "sharing:share": Page(shareable=False, indexed=False, crawled=False),
    "sharing:link_preview": NOT_A_PAGE,
    "sharing:robots": NOT_A_PAGE,
    "sharing:sitemap": NOT_A_PAGE,
    "feedback:answer": NOT_A_PAGE,
    "feedback:comment": NOT_A_PAGE,
    "feedback:tell_us_more": NOT_A_PAGE,
    "feedback:thanks": NOT_A_PAGE,
    "health": NOT_A_PAGE,
}


def is_shareable(view_name: str) -> bool:
    """Whether the URL name is a page someone reads; False for one the registry does not know."""
    page = PAGES.get(view_name)
    return page is not None and page.shareable
