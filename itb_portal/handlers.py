"""The WSGI entry point's request class, hardened against one way a client could cause a 500.

Django sets a request's encoding from a Content-Type charset while the request is being built,
and its encoding setter reads request.GET to reset it. So a query string with more fields than
DATA_UPLOAD_MAX_NUMBER_FIELDS, sent with any charset, raised TooManyFieldsSent before Django's
exception handling had started: the server answered 500 and logged a traceback with the query.
"""

from contextlib import suppress

from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest


class PortalWSGIRequest(WSGIRequest):
    def _set_content_type_params(self, meta):
        # The encoding is already set when this raises, and request.GET was not kept: reading it
        # again inside the handler raises the same error, which Django then answers with a 400.
        with suppress(SuspiciousOperation):
            super()._set_content_type_params(meta)


class PortalWSGIHandler(WSGIHandler):
    request_class = PortalWSGIRequest
