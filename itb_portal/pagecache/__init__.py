"""Caching for the public site, in one place (README, "Caching").

- models.py: the content version, one database row moved on by every change to content pages show,
  and the release fingerprint, a hash of the code, templates and data files.
- pages.py: whole pages without a query string, kept per content version, release and day in the
  shared `pages` cache (Django's cache framework), revalidated by ETag.
- memo.py: values computed from the content, and parts of pages, memoised in each process.

For other apps:
- `watch(models=..., data_files=...)`, from `AppConfig.ready()`: a save or delete of these models
  moves the content version on; these files (functions giving their paths) are in the release.
- `content_version().key`: changes whenever any page may have changed (a service worker's cache name).
- `memo.for_content_version(name, compute)`: a value kept in each process until the content or the
  release changes (a loaded search index; share its serialised form through the `pages` cache).
- `memo.fragment(template, **values)`, `pages.cached_page(clock)`, and `pages.forget()`, which
  drops everything kept, in every cache above.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save


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

    return ContentVersion.current()
