"""Values and parts of pages cached in this process until the content version or the release changes.

The content version middleware calls `follow(request.content_version)` once per request and
`ContentVersion.bump()` calls `clear()`, so nothing here reads the database. A fragment is cached by what it
is rendered from (its template and its values), so it must depend on nothing else: never a request, nor
anything from a query string. Every page and person shares it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.template import engines
from markupsafe import Markup

from . import enabled
from .outage import last_known


@dataclass
class Following:
    """The content version everything cached here was made for, and whether the database can be read."""

    version_key: str | None = None  # None: no request has read it yet (a command, a test)
    database_down: bool = False  # a request could not read it: keep what is here, keep nothing new


_following = Following()
_values: dict[str, object] = {}


def follow(version) -> None:
    """A request read `version` (a models.Version; None when the database is down). A new content version or
    release forgets everything; while the database is down, what is cached stays and nothing new is cached."""
    _following.database_down = version is None
    if version is not None and version.key != _following.version_key:
        clear()
        _following.version_key = version.key


def clear() -> None:
    """Forget every value and fragment cached in this process."""
    _values.clear()
    _rendered.cache_clear()
    _following.version_key = None


def storing() -> bool:
    return enabled() and not _following.database_down


def for_content_version(name: str, compute: Callable):
    """`compute()`, computed again when the content or the release changes. Cached in this process as it is
    (never pickled), so it may be any object. While the database is down, the value computed last."""
    if name in _values:
        return _values[name]
    value = last_known(f"memo:{name}", compute)
    if not _following.database_down:  # computed in an outage: a fallback, not the content version's value
        _values[name] = value
    return value


def fragment(template: str, **values) -> Markup:
    """`template` rendered with `values` (and the content), cached until the content version changes."""
    key = tuple(sorted(values.items()))
    return _rendered(template, key) if storing() else _rendered.__wrapped__(template, key)


@lru_cache(maxsize=256)  # the same content, release, template and values give the same HTML; clear() empties it
def _rendered(template: str, values: tuple) -> Markup:
    return Markup(engines["jinja2"].env.get_template(template).render(dict(values)))  # noqa: S704 - autoescaped
