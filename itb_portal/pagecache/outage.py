"""What this process last read from the database, for use while the database is down.

Pages built from files alone (the checker, its results, the contacts page) must keep working in an outage,
but some of what they show is read from the database: review dates, review records, approved data. Each such
read goes through `last_known(name, compute)`: the answer is remembered, and while the database is down the
answer remembered last is used instead. `shared=True` also leaves a copy in the shared page cache, so a worker
started during an outage uses it rather than something older (approved data, which replaces a file in git)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import DatabaseError

from . import PAGES

logger = logging.getLogger(__name__)
T = TypeVar("T")

_known: dict[str, object] = {}  # name: the answer last computed in this process


def last_known(name: str, compute: Callable[[], T], *, shared: bool = False) -> T:
    """`compute()`, remembered under `name`; while the database is down, the answer remembered last (in this
    process, else in the shared cache if `shared`). Raises the DatabaseError if nothing was remembered."""
    try:
        value = compute()
    except DatabaseError:
        if name in _known:
            return _known[name]
        if shared:
            copy = _shared("get", f"last-known:{name}")
            if copy is not None:
                _known[name] = copy[0]
                return copy[0]
        raise
    _known[name] = value
    if shared:
        _shared("set", f"last-known:{name}", (value,), None)  # in a tuple: a value of None is still an answer
    return value


def clear() -> None:
    """Forget every answer this process remembered (the shared copies stay, as for a new worker)."""
    _known.clear()


def _shared(method: str, *args):
    try:
        return getattr(caches[PAGES], method)(*args)
    except Exception:  # a broken or unreachable cache only loses the fallback
        logger.warning("shared cache %s failed", method, exc_info=True)
        return None
