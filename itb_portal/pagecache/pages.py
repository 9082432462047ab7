"""Whole public pages, kept under their address with a tag made from the content version, the release and
a clock tick: the London day (printouts show the date; review dates go overdue at midnight), or the minute
for the contacts page (what is open now). A kept page with another tag is rendered again. The tag is the
ETag: ConditionalGetMiddleware answers 304 to a browser that has it."""

from __future__ import annotations

import hashlib
import logging
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
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

from . import content_version, enabled
from .memo import _rendered, _values

logger = logging.getLogger(__name__)
PAGES = "pages"
LOCAL = "local"  # this process's copy of each kept page
KEPT_FOR = 7 * 24 * 60 * 60  # long enough to serve through a database outage


def london_day(now: datetime) -> tuple[str, datetime]:  # a clock tick: its name, and when it started
    start = now.astimezone(ZoneInfo("Europe/London")).replace(hour=0, minute=0, second=0, microsecond=0)
    return start.date().isoformat(), start


def each_minute(now: datetime) -> tuple[str, datetime]:
    start = now.replace(second=0, microsecond=0)
    return start.isoformat(), start


@dataclass(frozen=True)
class KeptPage:
    tag: str
    tick: str
    last_modified: int
    content_type: str
    body: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)  # PublicPagesGZip compresses it
        response["Vary"] = "Accept-Encoding"  # on a 304 too
        return response


def kept_address(request: HttpRequest, chosen: str = "") -> str | None:
    """Where a page is kept: ITB_SITE_URL, else the request's scheme and host without a port, the path and `chosen`.
    Without ITB_SITE_URL, links name the port asked for (behind the proxy, X-Forwarded-Port), so a page asked
    for on a port this server does not listen on is never kept: made-up ports can neither replace nor add pages."""
    path = quote(request.path) + (f"?{chosen}" if chosen else "")
    host, port = split_domain_port(request.get_host())
    if not settings.SITE_URL and port and port != request.get_port():
        return None
    return (settings.SITE_URL or f"{request.scheme}://{host}") + path


def cached_page(clock=london_day, stale_in_outage: bool = True, variant=None):
    """Serve the view's page from the `pages` cache while the content version and `clock`'s tick stay the same.
    `stale_in_outage=False`: no earlier tick's copy in an outage. `variant(request)`: a query's choice, or None."""

    def decorator(view):
        @wraps(view)
        def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            query = request.META.get("QUERY_STRING")
            if not enabled() or request.method not in ("GET", "HEAD") or (query and not (variant and variant(request))):
                return view(request, *args, **kwargs)  # QueriesAreNeverCached says no-store to a query
            address = kept_address(request, variant(request) if query else "")
            try:
                version = content_version() if address else None
            except DatabaseError:
                version = None
            if version is None:  # a made-up port, or the database is down: nobody may keep this answer
                response = _fresh_or_kept(request, view, args, kwargs, address, clock, stale_in_outage)
                add_never_cache_headers(response)
                return response
            tick, start = clock(timezone.now())
            tag = hashlib.sha256(f"{address}|{version.key}|{tick}".encode()).hexdigest()[:24]
            kept = _kept(address, tag)
            if kept is None or kept.tag != tag:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                last_modified = int(max(version.changed_at, start).timestamp())
                kept = KeptPage(tag, tick, last_modified, response["Content-Type"], response.content)
                caches[LOCAL].set(f"page:{address}", kept)
                _shared("set", f"page:{address}", kept, KEPT_FOR)
            response = kept.response()
            response["ETag"] = f'W/"{kept.tag}"'  # weak: the same page in any encoding
            response["Last-Modified"] = http_date(kept.last_modified)
            response["Cache-Control"] = "public, no-cache"  # kept, but checked before each use: never a max-age
            return response

        return page

    return decorator


def _fresh_or_kept(request, view, args, kwargs, address, clock, stale_in_outage) -> HttpResponse:
    """The page rendered afresh if files alone can build it, else its kept copy, else the DatabaseError (a 503)."""
    try:
        return view(request, *args, **kwargs)
    except DatabaseError:
        kept = _kept(address) if address else None
        if kept is None or (not stale_in_outage and kept.tick != clock(timezone.now())[0]):
            raise
    logger.warning("database unavailable: serving a kept copy of a page")
    return kept.response()


def _kept(address: str, tag: str | None = None) -> KeptPage | None:
    """The page kept at `address` (with `tag`, when given): this process's copy, else the shared one."""
    page = caches[LOCAL].get(f"page:{address}")  # no disk, no network
    if page is None or (tag and page.tag != tag):
        page = _shared("get", f"page:{address}")
        caches[LOCAL].set(f"page:{address}", page)
    return page


def _shared(method: str, *args):
    try:
        return getattr(caches[PAGES], method)(*args)
    except Exception:  # a broken or unreachable cache only costs a render
        logger.warning("page cache %s failed", method, exc_info=True)
        return None


def forget() -> None:
    """Drop every kept page, fragment and value, in every cache this app uses."""
    for alias in (PAGES, LOCAL):
        caches[alias].clear()
    _rendered.cache_clear()
    _values.clear()
