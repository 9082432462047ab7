"""Public pages rendered once per content version, then served from memory with ETags.

A page's key is its path, the release fingerprint, the content version (read from the
database on every request: one tiny query) and a clock tick: today's date in London for
most pages (printouts show the date; review dates go overdue), the minute for the contacts
page (it says which lines are open now). Anything else a page shows must be in that key.

Requests with a query string are never cached: the symptom checker's choices travel in
its query string, and the app never stores, caches or logs what someone picks.

Rendered pages live in this process's memory and in the `pages` cache (Redis when several
app servers run, so one render serves them all). Once this process has served a page through
`cached_page`, PageCacheMiddleware answers the next requests for it straight after WhiteNoise,
with the same checks and headers but without URL routing and the rest of the middleware.

When the database cannot be reached, a page rendered before is served rather than an error
page ("stale if error"); the health endpoint still reports 503.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, wraps
from typing import TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

import brotli
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date

from . import enabled
from .models import ContentVersion
from .release import fingerprint

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Browsers and CDNs may keep a copy but must ask again before each use (a conditional GET,
# answered with 304 while nothing changed). A max-age would let them show a page for that
# long after an editor changed it, or a line as open after it closed.
CACHE_CONTROL = "public, no-cache"
CACHE_ALIAS = "pages"
STORED_FOR = 7 * 24 * 60 * 60  # long enough to serve through a database outage
PROCESS_SLOTS = 256
ACCEPTS_BR = re.compile(r"\bbr\b")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
KEPT_HEADERS = ("Content-Type", "Content-Language")
LONDON = ZoneInfo("Europe/London")  # printouts and review dates follow UK days


@dataclass(frozen=True)
class Tick:
    key: str
    start: datetime


@dataclass(frozen=True)
class Clock:
    """How a page changes with time alone, and whether an older tick may be served in an outage."""

    name: str
    tick: Callable[[datetime], Tick]
    stale_across_ticks: bool


def _london_day(now: datetime) -> Tick:
    local = now.astimezone(LONDON)
    return Tick(local.date().isoformat(), local.replace(hour=0, minute=0, second=0, microsecond=0))


def _minute(now: datetime) -> Tick:
    start = now.replace(second=0, microsecond=0)
    return Tick(start.strftime("%Y-%m-%dT%H:%M"), start)


# In an outage a booklet page from yesterday is better than an error page; an old
# "open now" is not, so the contacts page is only served within its own minute.
DAILY = Clock("daily", _london_day, stale_across_ticks=True)
EACH_MINUTE = Clock("each-minute", _minute, stale_across_ticks=False)


@dataclass(frozen=True)
class Rendered:
    """One rendered page and its compressed forms. Only built-in types, so it pickles across releases."""

    tag: str
    tick: str
    last_modified: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzip: bytes
    br: bytes

    @classmethod
    def of(cls, response: HttpResponse, tag: str, tick: str, last_modified: int) -> Rendered:
        body = response.content
        return cls(
            tag=tag,
            tick=tick,
            last_modified=last_modified,
            headers=tuple((name, response[name]) for name in KEPT_HEADERS if name in response),
            body=body,
            gzip=gzip.compress(body, 9, mtime=0),
            br=brotli.compress(body, quality=11),
        )

    @cached_property
    def last_modified_http(self) -> str:
        return http_date(self.last_modified)

    def as_tuple(self) -> tuple:
        return (self.tag, self.tick, self.last_modified, self.headers, self.body, self.gzip, self.br)

    def response(self, request: HttpRequest) -> HttpResponse:
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding, content = (
            ("br", self.br)
            if ACCEPTS_BR.search(accepted)
            else ("gzip", self.gzip)
            if ACCEPTS_GZIP.search(accepted)
            else (None, self.body)
        )
        response = HttpResponse(content)
        for name, value in self.headers:
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
        response["Vary"] = "Accept-Encoding"
        response["Content-Length"] = str(len(content))
        return response


class ProcessMemory:
    """The newest rendering of each page in this process: no pickling, no network."""

    def __init__(self, slots: int = PROCESS_SLOTS):
        self.slots = slots
        self.pages: OrderedDict[str, Rendered] = OrderedDict()
        self.lock = threading.Lock()  # for gunicorn's threaded workers (GUNICORN_THREADS)

    def get(self, key: str) -> Rendered | None:
        return self.pages.get(key)

    def put(self, key: str, page: Rendered) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.slots:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        self.pages.clear()


memory = ProcessMemory()
_derived: dict[str, tuple[tuple, object]] = {}


def for_content_version(name: str, compute: Callable[[], T]) -> T:
    """A value that follows from the database content alone, computed again when the content version moves.

    While the database is down the value last computed is kept (or `compute` is left to cope),
    so a page that needs nothing else from the database keeps working."""
    try:
        version = ContentVersion.current()
    except DatabaseError:
        known = _derived.get(name)
        return known[1] if known is not None else compute()
    key = (version.number, version.changed_at)
    known = _derived.get(name)
    if known is None or known[0] != key:
        known = _derived[name] = (key, compute())
    return known[1]


def forget() -> None:
    """Drop every rendered page and derived value (for tests)."""
    from .fragments import forget_fragments

    memory.clear()
    routes.clear()
    _derived.clear()
    forget_fragments()
    caches[CACHE_ALIAS].clear()


def _shared_get(key: str) -> Rendered | None:
    try:
        stored = caches[CACHE_ALIAS].get(key)
        return Rendered(*stored) if stored else None
    except Exception:  # a broken or unreachable cache only costs a render
        logger.warning("page cache read failed", exc_info=True)
        return None


def _shared_set(key: str, page: Rendered) -> None:
    try:
        caches[CACHE_ALIAS].set(key, page.as_tuple(), STORED_FOR)
    except Exception:
        logger.warning("page cache write failed", exc_info=True)


def _lookup(key: str, tag: str) -> Rendered | None:
    """The page with this tag: from this process, else as another worker or app server rendered it."""
    page = memory.get(key)
    if page is None or page.tag != tag:
        page = _shared_get(key)
        if page is None or page.tag != tag:
            return None
        memory.put(key, page)
    return page


def slot_for(request: HttpRequest) -> str:
    # Scheme and host too: link previews and structured data carry absolute addresses.
    return f"page:{fingerprint()}:{request.scheme}://{request.get_host()}{quote(request.path)}"


def tag_for(slot: str, version, tick: Tick) -> str:
    text = f"{slot}|{version.number}|{version.changed_at.isoformat()}|{tick.key}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _validated(response: HttpResponse, tag: str, last_modified: str) -> HttpResponse:
    response["ETag"] = f'W/"{tag}"'
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = CACHE_CONTROL
    return response


def private(response: HttpResponse) -> HttpResponse:
    """For anything personal or one-off: no browser, proxy or CDN may keep it."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _without_version(request: HttpRequest, view, args, kwargs, slot: str, clock: Clock) -> HttpResponse:
    """The content version cannot be read (the database is down). A page built from files alone
    (the checker, contacts) is rendered afresh; one that needs the database is served from a
    stored copy if there is one, else the error goes on to become a 503."""
    try:
        response = view(request, *args, **kwargs)
    except DatabaseError as error:
        return _stale(request, slot, clock, clock.tick(timezone.now()), error)
    add_never_cache_headers(response)  # nobody may keep a page whose version is unknown
    return response


def _stale(request: HttpRequest, slot: str, clock: Clock, tick: Tick, error: DatabaseError) -> HttpResponse:
    page = memory.get(slot) or _shared_get(slot)
    if page is None or (page.tick != tick.key and not clock.stale_across_ticks):
        raise error
    logger.warning("database unavailable: serving a stored copy of a page")
    response = page.response(request)
    # Nobody may keep this copy: once the database is back, the next request gets the current page.
    add_never_cache_headers(response)
    return response


@dataclass(frozen=True)
class Validators:
    tag: str
    tick: Tick
    last_modified: int

    @classmethod
    def now(cls, slot: str, clock: Clock) -> Validators:
        """Raises DatabaseError when the content version cannot be read."""
        tick = clock.tick(timezone.now())
        version = ContentVersion.current()
        return cls(tag_for(slot, version, tick), tick, int(max(version.changed_at, tick.start).timestamp()))

    def conditional(self, request: HttpRequest) -> HttpResponse | None:
        """304 when the browser's copy is current (412 for a failed If-Match); None to send the page."""
        response = get_conditional_response(request, etag=f'W/"{self.tag}"', last_modified=self.last_modified)
        if isinstance(response, HttpResponseNotModified):
            response["Vary"] = "Accept-Encoding"
            return _validated(response, self.tag, http_date(self.last_modified))
        return response

    def send(self, request: HttpRequest, page: Rendered) -> HttpResponse:
        return _validated(page.response(request), self.tag, page.last_modified_http)


def cached_page(clock: Clock = DAILY):
    """Serve the view's page from memory while the content version and `clock` tick stay the same."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not enabled() or request.method != "GET" or request.META.get("QUERY_STRING"):
                response = view(request, *args, **kwargs)
                return private(response) if request.META.get("QUERY_STRING") else response
            slot = slot_for(request)
            try:
                now = Validators.now(slot, clock)
            except DatabaseError:
                return _without_version(request, view, args, kwargs, slot, clock)
            conditional = now.conditional(request)
            if conditional is not None:
                return conditional
            page = _lookup(slot, now.tag)
            if page is None:
                try:
                    response = view(request, *args, **kwargs)
                except DatabaseError as error:
                    return _stale(request, slot, clock, now.tick, error)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                page = Rendered.of(response, now.tag, now.tick.key, now.last_modified)
                memory.put(slot, page)
                _shared_set(slot, page)
            request.page_cache_route = (slot, clock)  # for PageCacheMiddleware
            return now.send(request, page)

        wrapper.page_clock = clock
        return wrapper

    return decorator


# --- The short way through -----------------------------------------------------------------

# Headers each response gets for itself; every other header a page's response carried on its
# way out (CSP, X-Frame-Options, Permissions-Policy ...) is given again to copies served early.
OWN_HEADERS = frozenset(
    {"etag", "last-modified", "cache-control", "content-length", "content-encoding", "content-type", "vary", "date"}
)


@dataclass(frozen=True)
class Route:
    clock: Clock
    headers: tuple[tuple[str, str], ...]


routes: dict[str, Route] = {}


class PageCacheMiddleware:
    """Serves a page this process has served through `cached_page` before, straight after WhiteNoise.

    The rest of the middleware and URL routing are skipped: they cost more than the page. The
    checks are the same as the decorator's (content version, clock, conditional GET); anything
    else (a miss, a new version, a database error) goes the long way, through the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if enabled() and request.method == "GET" and not request.META.get("QUERY_STRING"):
            early = self.early(request)
            if early is not None:
                return early
        response = self.get_response(request)
        route = getattr(request, "page_cache_route", None)
        if route is not None and response.status_code == 200 and len(routes) < PROCESS_SLOTS:
            slot, clock = route
            headers = tuple((name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS)
            routes[slot] = Route(clock, headers)
        return response

    def early(self, request: HttpRequest) -> HttpResponse | None:
        slot = slot_for(request)
        route = routes.get(slot)
        if route is None:
            return None
        try:
            now = Validators.now(slot, route.clock)
        except DatabaseError:
            return None
        response = now.conditional(request)
        if response is None:
            page = memory.get(slot)
            if page is None or page.tag != now.tag:
                return None
            response = now.send(request, page)
        for name, value in route.headers:
            response.headers.setdefault(name, value)
        return response
