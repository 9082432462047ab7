"""Caching for the public site, all of it on Django's cache framework.

Everything a page shows comes from the database (booklet sections), from data files
(content/*.yaml) or from the code and templates. So:

- the **content version** (models.py) is one database row, moved on by every save or delete of
  a row a page shows; the **release fingerprint** (release.py) is a hash of the code, the
  templates and the data files. Together they say whether anything a page shows has changed;
- **whole pages** without a query string are kept per content version, release and day
  (`pages.cached_page`) in the `pages` cache, which is shared by every worker and every app
  server (Redis, or a folder on one machine). Browsers revalidate them with their ETag;
- **parts of pages** that depend on a few plain values (the header by its current section, the
  footer, a care card by its advice) and values computed from the content (`memo.fragment`,
  `memo.for_content_version`) are kept in this process, in the `local` cache;
- anything with a query string is never kept: the symptom checker's choices travel in it.

For other apps, the public API is:

- `watch(models=..., data_files=...)`, called from an app's `AppConfig.ready()`: saving or
  deleting one of these models moves the content version on, and a change to one of these
  files (each given as a function returning its path) changes the release fingerprint;
- `content_version()`: the current `Version` (number, changed_at, and `key`, a string that
  changes whenever any page may have changed: for example a service worker's cache name);
- `memo.for_content_version(name, compute)`: `compute()`'s value, kept until the content
  version or release moves on (for example a search index). Values are pickled, so keep them
  small or keep their serialised form;
- `memo.fragment(template, **values)`: a template rendered once per set of values;
- `pages.cached_page(clock)`: the view decorator for whole pages;
- `pages.forget()`: drops everything kept, in every cache above (tests use it).
"""

from django.conf import settings


def enabled() -> bool:
    """Off in development (DEBUG), where templates change while the server runs."""
    return not settings.DEBUG


def watch(models=(), data_files=()) -> None:
    """Pages show these models' rows and these data files: a change to either must reach them."""
    from .models import ContentVersion
    from .release import DATA_FILES

    for model in models:
        ContentVersion.moves_with(model)
    DATA_FILES.extend(data_files)


def content_version():
    """The current content version. Raises DatabaseError when the database cannot be reached."""
    from .models import ContentVersion

    return ContentVersion.current()
