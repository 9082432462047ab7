"""Values kept in this process: values computed from the content, and parts of pages.
A fragment is kept by what it is rendered from (its template, its values and the release), so it must
depend on nothing else: never a request, nor anything from a query string. Every page and person shares it."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.db import DatabaseError
from django.template import engines
from markupsafe import Markup

from . import content_version, enabled
from .models import fingerprint

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
    """`template` rendered with `values` alone, once per set of values (every time in development)."""
    render = _rendered if enabled() else _rendered.__wrapped__
    return render(fingerprint(), template, tuple(sorted(values.items())))


# Kept by value: the same release, template and values always give the same HTML. forget() clears it.
@lru_cache(maxsize=256)
def _rendered(release: str, template: str, values: tuple) -> Markup:
    return Markup(engines["jinja2"].env.get_template(template).render(dict(values)))  # noqa: S704 - autoescaped
