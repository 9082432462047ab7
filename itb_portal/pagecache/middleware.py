"""The content version, read once at the start of each request as `request.content_version`."""

from django.db import DatabaseError

from . import memo
from .models import ContentVersion


class ContentVersionMiddleware:
    """Sets `request.content_version`: the content version (a models.Version) every part of the page agrees
    on, or None when the database cannot be read (then no page is cached, and cached ones are served `no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.content_version = ContentVersion.current()
        except DatabaseError:
            request.content_version = None
        memo.follow(request.content_version)
        return self.get_response(request)
