"""Values kept in this process (the `local` cache): parts of pages, and values computed from the content.

A fragment is keyed by everything it is rendered from, so two values can never share one:
its template, the values given, and the release (code, templates and data files). It must
depend on nothing else. Never give it a request or anything from a query string: a fragment
is shared by every page and every person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import DatabaseError
from django.template import engines
from markupsafe import Markup

from . import content_version, enabled
from .release import fingerprint

T = TypeVar("T")
LOCAL = "local"
MISSING = object()


def for_content_version(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, computed again when the content version or the release moves on.

    While the database is down the value computed last is used (or `compute` is left to cope),
    so a page that needs nothing else from the database keeps working."""
    local = caches[LOCAL]
    try:
        key = f"memo:{name}:{content_version().key}"
    except DatabaseError:
        value = local.get(f"memo:{name}:last", MISSING)
        return compute() if value is MISSING else value
    value = local.get(key, MISSING)
    if value is MISSING:
        value = compute()
        local.set_many({key: value, f"memo:{name}:last": value}, None)
    return value


def fragment(template: str, **values) -> Markup:
    """`template` rendered with `values` alone, once per set of values (every time in development)."""
    if not enabled():
        return _render(template, values)
    key = "fragment:" + hashlib.sha256(repr((fingerprint(), template, sorted(values.items()))).encode()).hexdigest()
    html = caches[LOCAL].get(key)
    if html is None:
        html = _render(template, values)
        caches[LOCAL].set(key, html, None)
    return html


def _render(template: str, values: dict) -> Markup:
    return Markup(engines["jinja2"].env.get_template(template).render(values))  # noqa: S704 - autoescaped template
