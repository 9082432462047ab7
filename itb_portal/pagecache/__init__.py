"""Caching for the public site, in one place (docs/performance.md, "Caching"; docs/adr/0002 and 0007).

- models.py: the content version (one database row) and the release fingerprint.
- middleware.py: reads the content version once per request, as `request.content_version`.
- pages.py: whole pages cached per content version, with ETags and 304s through Django's `condition()`.
- memo.py: values and parts of pages cached in this process until the content version changes.
- outage.py: what this process last read from the database, for use while the database is down.

Other apps call `watch(models=..., data_files=...)` from `ready()` (a save of these models moves the version
on; these files are in the release), `content_version()` outside a request, `memo.for_content_version(name,
compute)`, `memo.fragment(template, **values)`, `outage.last_known(name, compute)`, `pages.cached_page(clock)`,
and `pages.forget()`, which drops everything cached, in every cache."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save

PAGES = "pages"  # the cache every worker and app server shares: cached pages, and outage copies
LOCAL = "local"  # this process's copy of each cached page


def enabled() -> bool:
    """Off in development (DEBUG), where templates change while the server runs."""
    return not settings.DEBUG


def watch(models=(), data_files=()) -> None:
    from .models import DATA_FILES, ContentVersion

    for model in models:  # QuerySet.update() and bulk_create() send no signals: change content through save()
        post_save.connect(ContentVersion.on_content_change, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(ContentVersion.on_content_change, sender=model, dispatch_uid=f"pagecache-{model}")
    DATA_FILES.extend(data_files)


def content_version():
    """The content version as the database has it now (a `models.Version`); raises DatabaseError when the
    database is down. In a request, read `request.content_version` instead: every part of a page agrees on it."""
    from .models import ContentVersion

    return ContentVersion.current()
