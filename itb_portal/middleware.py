"""Site-wide middleware: headers Django does not set by itself, compression for public pages, no
cookie outside the admin, no cache keeping an address with a query, and a 503 when the database
is down."""

import logging

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .views import in_admin, service_unavailable

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PublicPagesGZip(GZipMiddleware):
    """Compresses pages rendered for each request (a checker result, the emergency sheet).

    Public pages hold no secret (no CSRF token, no session), so compression gives a BREACH-style
    attack nothing to find. The admin's pages do hold a CSRF token, so they are left alone.
    """

    def process_response(self, request, response):
        if in_admin(request):
            return response
        return super().process_response(request, response)


class PublicPagesSetNoCookies:
    """Drops any cookie from a response outside the admin.

    Public pages must set no cookie. The session and CSRF cookies are scoped to the
    admin's path, so a browser never sends them here; but a stale or forged cookie in a
    request would make those middlewares answer with a fresh or deleting Set-Cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies and not in_admin(request):
            response.cookies.clear()
        return response


class QueriesAreNeverCached:
    """No browser, proxy or CDN may keep the answer to an address with a query string.

    The symptom checker's choices travel in the query string: in a result's address, and in the
    addresses of its QR code, its share page and its printout (`/qr/?page=/symptoms/result/?sign=…`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.META.get("QUERY_STRING") and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class DatabaseUnavailable:
    """A view that cannot reach the database answers 503 (try again later), not 500.

    One log line per request: during an outage a traceback each time would bury everything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
            logger.error("Database unavailable for %s: %s", request.path, first_line)
            return service_unavailable(request)
        return None
