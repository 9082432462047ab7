"""Whole public pages, cached under their address with a tag made from the content version, the release and
a clock tick: the London day (printouts show the date; review dates go overdue at midnight), or the minute
for the contacts page (what is open now). A cached page with another tag is rendered again. The tag is the
ETag, and Django's `condition()` answers 304 to a browser that has it, before the cached page is even read."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, wraps
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import condition

from . import LOCAL, PAGES, enabled, memo, outage

logger = logging.getLogger(__name__)
CACHED_FOR = 7 * 24 * 60 * 60  # long enough to serve through a database outage
REVALIDATE = "public, no-cache"  # a browser or CDN may keep a page, but checks it before each use: never a max-age


# --- Clock ticks: a cached page is good for one ------------------------------------------------------------


def london_day(now: datetime) -> tuple[str, datetime]:  # a clock tick: its name, and when it started
    start = now.astimezone(ZoneInfo("Europe/London")).replace(hour=0, minute=0, second=0, microsecond=0)
    return start.date().isoformat(), start


def each_minute(now: datetime) -> tuple[str, datetime]:
    start = now.replace(second=0, microsecond=0)
    return start.isoformat(), start


# --- Where a page is cached, and its tag ------------------------------------------------------------------


def cache_address(request: HttpRequest, chosen: str = "") -> str | None:
    """Where a page is cached: ITB_SITE_URL, else the request's scheme and host without a port, the path and `chosen`.
    Without ITB_SITE_URL, links name the port asked for (behind the proxy, X-Forwarded-Port), so a page asked
    for on a port this server does not listen on is never cached: made-up ports can neither replace nor add pages."""
    path = quote(request.path) + (f"?{chosen}" if chosen else "")
    host, port = split_domain_port(request.get_host())
    if not settings.SITE_URL and port and port != request.get_port():
        return None
    return (settings.SITE_URL or f"{request.scheme}://{host}") + path


@dataclass(frozen=True)
class PageTag:
    """What a cached page must match to be served: its address, content version, release and clock tick."""

    address: str
    value: str
    tick: str
    last_modified: datetime  # the content's last change, or the tick's start if later

    @property
    def etag(self) -> str:
        return f'W/"{self.value}"'  # weak: the same page in any encoding


def page_tag(address: str, version, clock: Callable) -> PageTag:
    tick, start = clock(timezone.now())
    return PageTag(address, tag_value(address, version.key, tick), tick, max(version.changed_at, start))


@lru_cache(maxsize=1024)  # the same few addresses, versions and ticks all day: hashed once each
def tag_value(address: str, version_key: str, tick: str) -> str:
    return hashlib.sha256(f"{address}|{version_key}|{tick}".encode()).hexdigest()[:24]


# --- The cached copy: this process's, else the shared one ----------------------------------------------


@dataclass(frozen=True)
class CachedCopy:
    tag: str
    tick: str
    content_type: str
    body: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)  # PublicPagesGZip compresses it
        patch_vary_headers(response, ["Accept-Encoding"])
        return response


def cached_copy(address: str, tag: str | None = None) -> CachedCopy | None:
    """The page cached at `address` (with `tag`, when given): this process's copy, else the shared one."""
    page = caches[LOCAL].get(f"page:{address}")  # no disk, no network
    if page is None or (tag and page.tag != tag):
        page = shared("get", f"page:{address}")
        caches[LOCAL].set(f"page:{address}", page)
    return page if page is None or not tag or page.tag == tag else None


def store(tag: PageTag, response: HttpResponse) -> CachedCopy | None:
    """Keep a rendered page for everyone, unless it is not a plain page (an error, a stream, a cookie)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    cached = CachedCopy(tag.value, tag.tick, response["Content-Type"], response.content)
    caches[LOCAL].set(f"page:{tag.address}", cached)
    shared("set", f"page:{tag.address}", cached, CACHED_FOR)
    return cached


def shared(method: str, *args):
    try:
        return getattr(caches[PAGES], method)(*args)
    except Exception:  # a broken or unreachable cache only costs a render
        logger.warning("page cache %s failed", method, exc_info=True)
        return None


# --- Answering a request --------------------------------------------------------------------------


def cached_page(clock=london_day, stale_in_outage: bool = True, variant=None):
    """Serve the view's page from the `pages` cache while the content version and `clock`'s tick stay the same.
    `stale_in_outage=False`: no earlier tick's copy in an outage. `variant(request)`: a query's choice, or None."""

    def decorator(view):
        @wraps(view)
        def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            query = request.META.get("QUERY_STRING")
            if not enabled() or request.method not in ("GET", "HEAD") or (query and not (variant and variant(request))):
                return view(request, *args, **kwargs)  # QueriesAreNeverCached says no-store to a query
            address = cache_address(request, variant(request) if query else "")
            if address is None or request.content_version is None:  # a made-up port, or the database is down
                response = rendered_or_outage_copy(request, view, args, kwargs, address, clock, stale_in_outage)
                add_never_cache_headers(response)  # nobody may keep this answer
                return response
            tag = page_tag(address, request.content_version, clock)
            return revalidated(cached_or_rendered(view, tag)(request, *args, **kwargs))

        return page

    return decorator


def cached_or_rendered(view, tag: PageTag):
    """The cached page, else the view's (cached for next time), behind Django's `condition()`: a browser whose copy
    matches the tag is answered 304 at once."""

    @condition(etag_func=lambda *args, **kwargs: tag.etag, last_modified_func=lambda *args, **kwargs: tag.last_modified)
    def answer(request, *args, **kwargs):
        cached = cached_copy(tag.address, tag.value)
        if cached is None:
            response = view(request, *args, **kwargs)
            cached = store(tag, response)
            if cached is None:
                return response
        response = cached.response()
        response["Cache-Control"] = REVALIDATE
        return response

    return answer


def revalidated(response: HttpResponse) -> HttpResponse:
    """A cached page, or a 304 for it, says it must be revalidated; anything else (a 404) carries no validators."""
    if response.status_code == 304:
        response["Cache-Control"] = REVALIDATE
        patch_vary_headers(response, ["Accept-Encoding"])
    elif response.get("Cache-Control") != REVALIDATE:
        del response["ETag"]
        del response["Last-Modified"]
    return response


def rendered_or_outage_copy(request, view, args, kwargs, address, clock, stale_in_outage) -> HttpResponse:
    """The page rendered afresh if files alone can build it, else its cached copy, else the DatabaseError (a 503)."""
    try:
        return view(request, *args, **kwargs)
    except DatabaseError:
        cached = cached_copy(address) if address else None
        if cached is None or (not stale_in_outage and cached.tick != clock(timezone.now())[0]):
            raise
    logger.warning("database unavailable: serving a cached copy of a page")
    return cached.response()


def forget() -> None:
    """Drop every cached page, fragment and value, in every cache this app uses."""
    caches[PAGES].clear()
    forget_this_process()


def forget_this_process() -> None:
    """Drop what this process caches (as a new worker starts), leaving the cache shared by every worker."""
    caches[LOCAL].clear()
    memo.clear()
    outage.clear()
