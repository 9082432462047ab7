"""Parts of pages that depend only on a few non-personal values, rendered once per process.

The NHS.UK header and footer macros cost about as much as the rest of a page. They depend
only on which navigation item is current, so each variant is rendered once and reused,
including on the symptom checker's result page, which is never cached whole.

Only pass values that say nothing about a person: never anything from a query string.
"""

from __future__ import annotations

from django.template import engines
from markupsafe import Markup

from . import enabled

_rendered: dict[tuple, Markup] = {}


def shared_fragment(name: str, **context: str | bool | None) -> Markup:
    key = (name, *sorted(context.items()))
    html = _rendered.get(key)
    if html is None:
        html = Markup(engines["jinja2"].env.get_template(name).render(context))  # noqa: S704
        if enabled():
            _rendered[key] = html
    return html


def forget_fragments() -> None:
    """For tests that change settings a fragment depends on."""
    _rendered.clear()
