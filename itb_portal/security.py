"""Admin sign-in protection and log hygiene.

django-axes locks a username at one address out of the admin after repeated failed
sign-ins; these are the pieces it calls. The logging filters keep client mistakes
(a bad Host header, a malformed request) to one plain log line, so real server
errors stand out with their traceback, and keep query strings (which hold the
symptom checker's choices) out of every log: Django's, runserver's and gunicorn's.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Where a request came from: kept with the addresses, so feedback can count per client too.
from itb_portal.addresses import client_ip, untrusted_forwarder  # noqa: F401  (AXES_CLIENT_IP_CALLABLE)

logger = logging.getLogger(__name__)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """A plain admin page saying the sign-in is locked, and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
    }
    response = HttpResponse(
        render_to_string("admin/locked_out.html", context, request=request, using="django"),
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


class ClientErrorsWithoutTraceback(logging.Filter):
    """Logs a 4xx caused by the client as one line: its traceback says nothing about our code.

    Django logs a bad Host header (DisallowedHost) and other SuspiciousOperations at
    ERROR with the exception attached. A 5xx keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class CsrfRefusalsAsAnswered(logging.Filter):
    """Logs a refused CSRF check as the answer it got. Outside the admin that is 405
    (itb_portal.views.csrf_failure): a public page takes no post, so "Forbidden (CSRF cookie not
    set.)" would name a check the page never meant to offer and a status it did not send."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) == 405 and request is not None:
            record.msg, record.args = "Method Not Allowed (%s): %s", (request.method, request.path)
        return True


class QueryStringsNotLogged(logging.Filter):
    """Drops the query string from the development server's request lines.

    The symptom checker's choices travel in its query string, and the app never logs them.
    (gunicorn's access log is off in production for the same reason: gunicorn.conf.py.)
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
            method, _, rest = record.args[0].partition(" ")
            target, _, protocol = rest.partition(" ")
            record.args = (f"{method} {target.split('?', 1)[0]} {protocol}".strip(), *record.args[1:])
        return True


class RequestDetailsNotLogged(logging.Filter):
    """Keeps what a request said out of gunicorn's error log: for gunicorn.conf.py.

    gunicorn logs a malformed request with the part it could not parse quoted, which may be the
    whole request line with its query string (and so the symptom checker's choices), or a header
    such as a Referer that holds one; and an error in handling a request with its address. The
    log keeps the client's address and the kind of problem; quoted text and queries are cut.
    """

    QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
    QUERY = re.compile(r"\?\S*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Invalid request from ip="):
            message = self.QUOTED.sub("[not logged]", message)
        record.msg, record.args = self.QUERY.sub("?[not logged]", message), None
        return True
