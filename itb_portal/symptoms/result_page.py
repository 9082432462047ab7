"""The symptom result page, filled into a shell rendered once per advice variant.

Most of the page's rendering (the NHS.UK layout, the care card, the print header, the share
controls) follows from the advice given, never from the signs chosen. So the page of every
advice variant is rendered once, all of them together (which ones exist never says what anyone
picked), with markers where each request's own values go:

- the sentence and the list about the chosen signs, and the time of the check;
- the page's query string. It shows in the page's addresses in several encodings (in HTML, in
  the QR and share links, in the email and text-message links), so a probe query with both
  characters a canonical query can hold (= and &) is rendered in its place, and each encoded
  form of the probe is replaced with the same encoding of the real query.

A shell in which a marker is left that none of those forms explains is never used: the page
is rendered whole. tests/test_result_page.py proves both ways give the same page.

Shells are kept per content version, UK day, host and data files. They hold nothing from any
request: what someone picked is never kept (hazard H12).
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.template import engines
from django.template.loader import render_to_string
from markupsafe import Markup, escape

from itb_portal.contacts.directory import Directory
from itb_portal.jinja2 import url
from itb_portal.pagecache import enabled
from itb_portal.pagecache.pages import LONDON, for_content_version
from itb_portal.sharing.qr import MAX_PATH_LENGTH, absolute_page_url

from .cards import Advice, RenderedAdvice, rendered_advice, rendered_variants
from .engine import Outcome
from .review import rules_review
from .rules import RuleBook

# Letters, digits and hyphens only, so templates, escaping and URL quoting pass it through unchanged.
_MARKER = f"app-result-{secrets.token_hex(8)}-"
_PROBE_QUERY = f"{_MARKER}a={_MARKER}b&{_MARKER}c"
_PERSONAL = ("intro", "why", "checked_at")
# How the query can show in the page: URL-quoted twice, once, HTML-escaped, as it is.
_ENCODINGS: tuple[Callable[[str], str], ...] = (
    lambda q: quote(quote(q, safe=""), safe=""),
    lambda q: quote(q, safe=""),
    lambda q: str(escape(q)),
    lambda q: q,
)
_KEPT_KEYS = 16


@dataclass(frozen=True)
class Personal:
    """One request's own values: never kept once its page is sent."""

    query: str  # the canonical query string
    intro: Markup
    why: Markup
    checked_at: Markup


@dataclass(frozen=True)
class Shell:
    # Literal text alternating with slots: ("query", encoding index) or (a Personal field, None).
    parts: tuple[str | tuple[str, int | None], ...]

    def fill(self, personal: Personal) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "query":
                out.append(_ENCODINGS[part[1]](personal.query))
            else:
                out.append(str(getattr(personal, part[0])))  # HTML, escaped for this request
        return "".join(out)


def _slots() -> dict[str, tuple[str, int | None]]:
    found: dict[str, tuple[str, int | None]] = {}
    for index, encode in enumerate(_ENCODINGS):
        found.setdefault(encode(_PROBE_QUERY), ("query", index))
    for name in _PERSONAL:
        found[f"{_MARKER}{name}"] = (name, None)
    return found


_SLOTS = _slots()
_SLOT_PATTERN = re.compile("|".join(re.escape(text) for text in sorted(_SLOTS, key=len, reverse=True)))


def parse_shell(html: str) -> Shell | None:
    """The shell in `html`, or None when a marker shows in a form no slot explains."""
    parts: list[str | tuple[str, int | None]] = []
    at = 0
    for match in _SLOT_PATTERN.finditer(html):
        parts.append(html[at : match.start()])
        parts.append(_SLOTS[match.group()])
        at = match.end()
    parts.append(html[at:])
    if any(isinstance(part, str) and _MARKER in part for part in parts):
        return None
    return Shell(tuple(parts))


def result_path(query: str) -> str:
    return url("symptoms:result") + (f"?{query}" if query else "")


def page_context(
    request: HttpRequest,
    advice: Advice,
    rendered: RenderedAdvice,
    rules: RuleBook,
    directory: Directory,
    values: Personal,
) -> dict:
    """What result.html needs. `values` holds the request's own values, or the markers for a shell."""
    path = result_path(values.query)
    return {
        "advice": advice,
        "rendered": rendered,
        "rules": rules,
        "directory": directory,
        "intro": values.intro,
        "why": values.why,
        "checked_at": values.checked_at,
        "canonical_path": path,
        "change_url": url("symptoms:checker") + (f"?{values.query}" if values.query else ""),
        "share_url": absolute_page_url(path, request),
        "review": rules_review(),
        "nav_current": "symptoms",
    }


def personal_values(outcome: Outcome, query: str, recent_operation: bool, rules: RuleBook, checked_at: str) -> Personal:
    # One render gives both parts: the template sets them as variables.
    parts = (
        engines["jinja2"]
        .env.get_template("symptoms/_result_personal.html")
        .make_module({"outcome": outcome, "recent_operation": recent_operation, "rules": rules})
    )
    return Personal(
        query=query,
        intro=Markup(parts.intro),  # noqa: S704 - rendered by an autoescaping template
        why=Markup(parts.why),  # noqa: S704 - rendered by an autoescaping template
        checked_at=escape(checked_at),
    )


def render_whole(request: HttpRequest, advice: Advice, rules: RuleBook, directory: Directory, values: Personal) -> str:
    context = page_context(request, advice, rendered_advice(advice, rules, directory), rules, directory, values)
    _share_as(request, context["canonical_path"])
    return render_to_string("symptoms/result.html", context, request)


def _share_as(request: HttpRequest, path: str) -> None:
    """Link previews and the share controls name the result's canonical address, whatever order or
    repeats the address asked for had (the memo `sharing.pages.page_being_shown` reads)."""
    # Imported here: the sharing code imports this app's views.
    from itb_portal.sharing.pages import PAGE_TITLES, SharedPage

    if len(path) <= MAX_PATH_LENGTH:
        request._shared_page = SharedPage(
            path=path,
            url=absolute_page_url(path, request),
            title=PAGE_TITLES["symptoms:result"],
            view_name="symptoms:result",
        )


def _shell_request(request: HttpRequest) -> HttpRequest:
    """A copy of `request` for the probe's address: the same host and scheme, no query of its own."""
    shell = copy.copy(request)
    shell.META = {**request.META, "QUERY_STRING": _PROBE_QUERY}
    shell.__dict__.pop("GET", None)
    return shell


def build_shells(request: HttpRequest, rules: RuleBook, directory: Directory) -> dict[Advice, Shell | None]:
    shell_request = _shell_request(request)
    markers = Personal(
        query=_PROBE_QUERY,
        intro=Markup(f"{_MARKER}intro"),  # noqa: S704 - letters, digits and hyphens
        why=Markup(f"{_MARKER}why"),  # noqa: S704 - letters, digits and hyphens
        checked_at=Markup(f"{_MARKER}checked_at"),  # noqa: S704 - letters, digits and hyphens
    )
    return {
        advice: parse_shell(render_whole(shell_request, advice, rules, directory, markers))
        for advice in rendered_variants(rules, directory)
    }


def shells_for(request: HttpRequest, rules: RuleBook, directory: Directory, at: datetime) -> dict[Advice, Shell | None]:
    kept: dict[tuple, dict[Advice, Shell | None]] = for_content_version("result-shells", dict)
    # The day: printouts show it and review dates go overdue. The host: absolute addresses.
    host = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    key = (at.astimezone(LONDON).date(), host, id(rules), id(directory))
    shells = kept.get(key)
    if shells is None:
        if len(kept) >= _KEPT_KEYS:
            kept.clear()
        shells = kept[key] = build_shells(request, rules, directory)
    return shells


def result_html(
    request: HttpRequest, outcome: Outcome, personal: Personal, rules: RuleBook, directory: Directory, at: datetime
) -> str:
    advice = Advice.of(outcome, directory)
    # The empty query has no "?" to fill, and an address too long to share gets no share controls.
    if enabled() and personal.query and len(result_path(personal.query)) <= MAX_PATH_LENGTH:
        shell = shells_for(request, rules, directory, at).get(advice)
        if shell is not None:
            return shell.fill(personal)
    return render_whole(request, advice, rules, directory, personal)
