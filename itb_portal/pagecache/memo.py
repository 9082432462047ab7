"""Values kept in this process: values computed from the content (in the `local` cache), and parts of pages.
A fragment is kept by what it is rendered from (its template, its values and the release), so it must
depend on nothing else: never a request, nor anything from a query string. Every page and person shares it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.core.cache import caches
from django.db import DatabaseError
from django.template import engines
from markupsafe import Markup

from . import content_version, enabled
from .models import fingerprint

LOCAL = "local"


def for_content_version(name: str, compute: Callable):
    """`compute()` (never None), computed again when the content or the release changes. While the database
    is down, the value computed last (or `compute()`, left to cope), so pages built from files keep working."""
    try:
        key = f"memo:{name}:{content_version().key}"
    except DatabaseError:
        key = f"memo:{name}:last"
    value = caches[LOCAL].get(key)
    if value is None:
        value = compute()
        caches[LOCAL].set_many({key: value, f"memo:{name}:last": value})
    return value


def fragment(template: str, **values) -> Markup:
    """`template` rendered with `values` alone, once per set of values (every time in development)."""
    render = _rendered if enabled() else _rendered.__wrapped__
    return render(fingerprint(), template, tuple(sorted(values.items())))


# Kept by value: the same release, template and values always give the same HTML. forget() clears it.
@lru_cache(maxsize=256)
def _rendered(release: str, template: str, values: tuple) -> Markup:
    return Markup(engines["jinja2"].env.get_template(template).render(dict(values)))  # noqa: S704 - autoescaped
