"""Parts of pages that depend only on a few non-personal values, rendered once per process.

The NHS.UK header and footer macros cost about as much as the rest of a page. They depend
only on which navigation item is current, so each variant is rendered once and reused,
including on the symptom checker's result page, which is never cached whole.

Only pass values that say nothing about a person: never anything from a query string.
A value that may (such as a symptom result's address) goes in `slots`: the fragment is
rendered once with a marker in its place, and each request's own value, escaped, replaces
the marker. Slot values are never part of the key or of what is kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.template import engines
from markupsafe import Markup, escape

from . import enabled

_rendered: dict[tuple, Markup] = {}
# Letters, digits and hyphens only, so templates and macros pass it through unchanged.
_MARKER = f"app-slot-{secrets.token_hex(8)}-"


def shared_fragment(name: str, slots: Mapping[str, str] | None = None, **context: str | bool | None) -> Markup:
    slots = slots or {}
    key = (name, tuple(sorted(slots)), *sorted(context.items()))
    html = _rendered.get(key)
    if html is None:
        markers = {slot: f"{_MARKER}{slot}" for slot in slots}
        html = Markup(engines["jinja2"].env.get_template(name).render({**context, **markers}))  # noqa: S704
        if enabled():
            _rendered[key] = html
    for slot, value in slots.items():
        html = Markup(html.replace(f"{_MARKER}{slot}", escape(value)))  # noqa: S704 - the value is escaped
    return html


def forget_fragments() -> None:
    """For tests that change settings a fragment depends on."""
    _rendered.clear()
