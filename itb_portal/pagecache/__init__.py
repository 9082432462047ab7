"""Caching for the public site, in one place (docs/performance.md, "Caching"). models.py: the content version and the
release fingerprint; pages.py: whole pages kept per content version, revalidated by ETag; memo.py: values and
parts of pages kept in each process. Other apps call `watch(models=..., data_files=...)` from `ready()` (a save
of these models moves the version on; these files are in the release), `content_version().key` (changes
whenever any page may have changed), `memo.for_content_version(name, compute)`, `memo.fragment(template,
**values)`, `pages.cached_page(clock)`, and `pages.forget()`, which drops everything kept, in every cache."""

from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save

# The content version, read once per request (every part of a page agrees on it); outside one, read every time.
_this_request = Local()


def enabled() -> bool:
    """Off in development (DEBUG), where templates change while the server runs."""
    return not settings.DEBUG


def watch(models=(), data_files=()) -> None:
    from .models import DATA_FILES, ContentVersion

    for model in models:  # QuerySet.update() and bulk_create() send no signals: change content through save()
        post_save.connect(ContentVersion.on_content_change, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(ContentVersion.on_content_change, sender=model, dispatch_uid=f"pagecache-{model}")
    DATA_FILES.extend(data_files)


def content_version():  # a models.Version; raises DatabaseError when the database is down
    from .models import ContentVersion

    version = getattr(_this_request, "version", False)  # looked at once: a Local is slow to read
    if version is None:  # the first look in this request
        version = _this_request.version = ContentVersion.current()
    return ContentVersion.current() if version is False else version  # False: not in a request


def forget_this_requests_version(signal=None, **kwargs) -> None:  # each request, and ContentVersion.bump()
    in_request = signal is request_started if signal else getattr(_this_request, "version", False) is not False
    _this_request.version = None if in_request else False


request_started.connect(forget_this_requests_version, dispatch_uid="pagecache-request-started")
request_finished.connect(forget_this_requests_version, dispatch_uid="pagecache-request-finished")
