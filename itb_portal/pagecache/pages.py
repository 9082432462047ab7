"""Whole public pages, kept per content version in the `pages` cache and revalidated with ETags.

A page is kept under its address, with a tag made from the content version (read from the
database on every request: one tiny query), the release fingerprint and a clock tick: today's
date in London for most pages (printouts show the date; review dates go overdue), the minute
for the contacts page (it says which lines are open now). A kept page whose tag is not the
current one is rendered again. Anything else a page shows must be in the tag.

The tag is the page's ETag; ConditionalGetMiddleware answers 304 when a browser's copy matches.
Addresses with a query string are never kept: the symptom checker's choices travel in them.

While the database cannot be reached, a page built from files alone is rendered afresh, and
one that needs the database is served from its kept copy if there is one (else a 503). Nobody
may keep either: the next request once the database is back gets the current page.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date

from . import enabled
from .memo import LOCAL
from .models import ContentVersion

logger = logging.getLogger(__name__)

PAGES = "pages"
KEPT_FOR = 7 * 24 * 60 * 60  # long enough to serve through a database outage
LONDON = ZoneInfo("Europe/London")  # printouts and review dates follow UK days
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class Clock:
    """How a page changes with time alone, and whether an older tick may be served in an outage."""

    tick: Callable[[datetime], tuple[str, datetime]]  # a moment's tick: its name and when it started
    stale_across_ticks: bool


def _london_day(now: datetime) -> tuple[str, datetime]:
    local = now.astimezone(LONDON)
    return local.date().isoformat(), local.replace(hour=0, minute=0, second=0, microsecond=0)


def _minute(now: datetime) -> tuple[str, datetime]:
    start = now.replace(second=0, microsecond=0)
    return start.strftime("%Y-%m-%dT%H:%M"), start


# In an outage a booklet page from yesterday is better than an error page; an old
# "open now" is not, so the contacts page is only served within its own minute.
DAILY = Clock(_london_day, stale_across_ticks=True)
EACH_MINUTE = Clock(_minute, stale_across_ticks=False)


@dataclass(frozen=True)
class KeptPage:
    tag: str
    tick: str
    last_modified: int
    content_type: str
    body: bytes
    gzipped: bytes

    def response(self, request: HttpRequest) -> HttpResponse:
        # Compressed once, when kept; PublicPagesGZip leaves a response that already has an encoding.
        as_gzip = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        response = HttpResponse(self.gzipped if as_gzip else self.body, content_type=self.content_type)
        if as_gzip:
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Accept-Encoding"])
        return response


def kept_address(request: HttpRequest) -> str | None:
    """The address a page is kept under: ITB_SITE_URL, else the request's scheme and host without a port.

    Without ITB_SITE_URL a page's absolute links carry the host and port the request came to, so
    a request naming a port this server does not listen on gets a page of its own, never kept:
    a flood of made-up ports can neither replace kept pages nor add to them."""
    if settings.SITE_URL:
        return settings.SITE_URL + quote(request.path)
    domain, port = split_domain_port(request.get_host())
    if port and port != request.META.get("SERVER_PORT"):
        return None
    return f"{request.scheme}://{domain}{quote(request.path)}"


def cached_page(clock: Clock = DAILY):
    """Serve the view's page from the `pages` cache while the content version and `clock`'s tick stay the same."""

    def decorator(view):
        @wraps(view)
        def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not enabled() or request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
                return view(request, *args, **kwargs)  # QueriesAreNeverCached marks a query's answer no-store
            address = kept_address(request)
            if address is None:
                response = view(request, *args, **kwargs)
                add_never_cache_headers(response)
                return response
            try:
                version = ContentVersion.current()
            except DatabaseError:
                return _without_version(request, view, args, kwargs, address, clock)
            name, start = clock.tick(timezone.now())
            tag = hashlib.sha256(f"{address}|{version.key}|{name}".encode()).hexdigest()[:24]
            kept = _get(address)
            if kept is None or kept.tag != tag:
                try:
                    response = view(request, *args, **kwargs)
                except DatabaseError as error:
                    return _kept_copy(request, address, clock, error)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                body = response.content
                last_modified = int(max(version.changed_at, start).timestamp())
                kept = KeptPage(
                    tag, name, last_modified, response["Content-Type"], body, gzip.compress(body, 9, mtime=0)
                )
                _set(address, kept)
            response = kept.response(request)
            response["ETag"] = f'W/"{kept.tag}"'  # weak: the same page in any encoding
            response["Last-Modified"] = http_date(kept.last_modified)
            # Browsers and CDNs may keep a copy but must ask again before each use (answered 304
            # while nothing changed). A max-age would let them show a page after an editor changed it.
            response["Cache-Control"] = "public, no-cache"
            return response

        return page

    return decorator


def _without_version(request: HttpRequest, view, args, kwargs, address: str, clock: Clock) -> HttpResponse:
    """The content version cannot be read: render afresh what files alone can build, else the kept copy."""
    try:
        response = view(request, *args, **kwargs)
    except DatabaseError as error:
        return _kept_copy(request, address, clock, error)
    add_never_cache_headers(response)  # nobody may keep a page whose version is unknown
    return response


def _kept_copy(request: HttpRequest, address: str, clock: Clock, error: DatabaseError) -> HttpResponse:
    """The page as kept before the database went down; without one, the error goes on to become a 503."""
    kept = _get(address)
    if kept is None or (kept.tick != clock.tick(timezone.now())[0] and not clock.stale_across_ticks):
        raise error
    logger.warning("database unavailable: serving a kept copy of a page")
    response = kept.response(request)
    add_never_cache_headers(response)
    return response


def _get(address: str) -> KeptPage | None:
    try:
        return caches[PAGES].get(f"page:{address}")
    except Exception:  # a broken or unreachable cache only costs a render
        logger.warning("page cache read failed", exc_info=True)
        return None


def _set(address: str, page: KeptPage) -> None:
    try:
        caches[PAGES].set(f"page:{address}", page, KEPT_FOR)
    except Exception:
        logger.warning("page cache write failed", exc_info=True)


def forget() -> None:
    """Drop every kept page, fragment and value, in every cache this app uses."""
    for alias in (PAGES, LOCAL):
        caches[alias].clear()
