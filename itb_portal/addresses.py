"""Addresses on this site: named URLs, static files, and full web addresses of pages.

Used by templates (registered in itb_portal/jinja2.py), by sharing (share links, QR codes,
link previews) and by printing (the address a printout names), so all of them agree.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static as django_static
from django.urls import Resolver404, ResolverMatch, get_script_prefix, resolve, reverse
from django.utils.translation import get_language

# Its warnings belong with the admin's sign-in protection, which first needed a client's address.
logger = logging.getLogger("itb_portal.security")

# The longest page address shared or drawn as a QR code: a checker result with every sign ticked fits.
MAX_PATH_LENGTH = 800
# A backslash, and control characters (a tab, a line break, DEL): one scan, as pages check their own address.
NOT_IN_AN_ADDRESS = re.compile(r"[\\\x00-\x1f\x7f]")


# Addresses and static file names are the same on every request of a process; working them out
# again cost a tenth of a page's rendering.
# Keyed by the language too: other languages' pages have their code in front (/ur/contacts/).
@lru_cache(maxsize=1024)
def _reverse(name: str, args: tuple, prefix: str, language: str | None) -> str:
    return reverse(name, args=args or None)


def url(name: str, *args, **kwargs) -> str:
    if kwargs:
        return reverse(name, kwargs=kwargs)
    return _reverse(name, args, get_script_prefix(), get_language())


static = lru_cache(maxsize=1024)(django_static)
page_match: Callable[[str], ResolverMatch] = lru_cache(maxsize=1024)(resolve)  # raises Resolver404 (never kept)


def qr_url(path: str) -> str:
    """The address of the QR code for a page of this site."""
    return url("sharing:qr") + "?" + urlencode({"page": path})


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """The full address of a page, from ITB_SITE_URL when set, else from the request."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        raise ValueError("ITB_SITE_URL is not set and there is no request to take the host from")
    return request.build_absolute_uri(path)


class NotASitePage(ValueError):
    """The address given is not a page of this site."""


def site_path(value: str) -> str:
    """`value` as a path on this site, with its query, or NotASitePage saying why not.

    Share links and QR codes only ever point at a page of this site: anything else (another
    host, a scheme such as javascript:, a protocol-relative //host path) is refused, so they
    can never be used to send someone off the site. Which of this site's addresses are pages
    someone reads is the page registry's to say (itb_portal/page_registry.py)."""
    if not value:
        raise NotASitePage("No page address was given.")
    if len(value) > MAX_PATH_LENGTH:
        raise NotASitePage("The page address is too long.")
    if NOT_IN_AN_ADDRESS.search(value):
        raise NotASitePage("The page address has characters a web address cannot have.")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        raise NotASitePage("Only pages of this website can have a QR code.")
    try:
        page_match(parts.path)
    except Resolver404:
        raise NotASitePage("There is no page at that address on this website.") from None
    if parts.path.startswith("/" + settings.ADMIN_URL):
        raise NotASitePage("Only pages of this website can have a QR code.")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def client_ip(request: HttpRequest) -> str:
    """The address a request came from, for counting failed sign-ins and feedback per client.

    X-Forwarded-For is written by whoever sends the request, so it is read only when the
    connecting address is one of our proxies (DJANGO_TRUSTED_PROXIES). Each proxy appends the
    address it saw, so walking the header from the right, the first address that is not one of
    our proxies is the client's; anything to the left of it could be forged and is never used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not is_trusted_proxy(remote):
        if forwarded:
            untrusted_forwarder(remote)
        return remote
    client = remote
    for hop in reversed([hop.strip() for hop in forwarded.split(",")]):
        if not is_trusted_proxy(client):
            break
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break  # our proxy would never write this: trust nothing to its left
    return client


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 from a dual-stack socket
    return any(ip in network for network in settings.TRUSTED_PROXIES)


@lru_cache(maxsize=16)
def untrusted_forwarder(address: str) -> None:
    """Says once per address that its X-Forwarded-For was ignored: either a forgery, or a proxy of
    ours missing from the setting, which would put every editor behind it on one address."""
    logger.warning(
        "X-Forwarded-For from %s ignored: not in DJANGO_TRUSTED_PROXIES. If %s is your proxy, add it there.",
        address,
        address,
    )
