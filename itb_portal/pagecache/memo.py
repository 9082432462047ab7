"""Values kept in this process: values computed from the content, and parts of pages.
A fragment is kept by what it is rendered from (its template, its values, the content and the release), so it
must depend on nothing else: never a request, nor anything from a query string. Every page and person shares it."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.db import DatabaseError
from django.template import engines
from markupsafe import Markup

from . import content_version, enabled

_values: dict[str, tuple[str, object]] = {}  # name: (the content version's key, the value)


def for_content_version(name: str, compute: Callable):
    """`compute()`, computed again when the content or the release changes. Kept in this process as it is
    (never pickled), so it may be any object. While the database is down, the value computed last."""
    try:
        key = content_version().key
    except DatabaseError:
        return _values[name][1] if name in _values else compute()
    if name not in _values or _values[name][0] != key:
        _values[name] = (key, compute())
    return _values[name][1]


def fragment(template: str, **values) -> Markup:
    """`template` rendered with `values` (and the content), kept for each set of values and content version."""
    key = tuple(sorted(values.items()))
    try:  # every time in development, and while the database is down
        return (_rendered if enabled() else _rendered.__wrapped__)(content_version().key, template, key)
    except DatabaseError:
        return _rendered.__wrapped__(None, template, key)


@lru_cache(maxsize=256)  # the same content, release, template and values give the same HTML; forget() clears it
def _rendered(version: str | None, template: str, values: tuple) -> Markup:
    return Markup(engines["jinja2"].env.get_template(template).render(dict(values)))  # noqa: S704 - autoescaped
