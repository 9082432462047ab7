"""The symptom checker: a GET form, its result, and the emergency sheet for the fridge.

Privacy: nothing here logs, stores or caches which signs someone chose. The result
depends on the time of day, so it is never cached.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from itb_portal.contacts.directory import clock, load_directory
from itb_portal.pagecache.pages import cached_page

from .engine import Context, assess
from .result_page import personal_values, result_html
from .review import rules_review, sheet_review
from .rules import RuleBook, load_rules

MAX_QUERY_LENGTH = 2000
MAX_SIGN_VALUES = 60
SHOWN_VALUE_LENGTH = 40
PARAMETERS = ("sign", "recent_operation")


@dataclass(frozen=True)
class CheckRequest:
    signs: frozenset[str]
    recent_operation: bool

    def query_string(self) -> str:
        """A canonical query: the same request always has the same shareable address."""
        pairs = [("sign", slug) for slug in sorted(self.signs)]
        if self.recent_operation:
            pairs.append(("recent_operation", "yes"))
        return urlencode(pairs)


def shown(value: str) -> str:
    """A user's value, made safe to repeat back in a message: printable and short."""
    printable = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    return printable[:SHOWN_VALUE_LENGTH] + ("…" if len(printable) > SHOWN_VALUE_LENGTH else "")


def parse_check(raw_query: str, known_signs: set[str] | frozenset[str]) -> CheckRequest | list[str]:
    """The chosen signs and context from a query string, or plain-words problems with it."""
    if len(raw_query) > MAX_QUERY_LENGTH:
        return ["The web address is too long for us to read. Choose your signs again below."]
    query = QueryDict(raw_query)
    problems = [
        f"We did not understand “{shown(name)}” in the web address." for name in query if name not in PARAMETERS
    ]
    values = query.getlist("sign")
    if len(values) > MAX_SIGN_VALUES:
        problems.append("The web address lists too many signs. Choose your signs again below.")
        values = []
    for value in dict.fromkeys(values):
        if not value:
            problems.append("One of the signs in the web address was empty.")
        elif value not in known_signs:
            problems.append(f"We did not recognise the sign “{shown(value)}”.")
    recent = query.getlist("recent_operation")
    if any(value != "yes" for value in recent):
        bad = next(value for value in recent if value != "yes")
        problems.append(
            f"We did not understand “{shown(bad)}” as an answer about a recent operation. "
            "Tick the box, or leave it empty."
        )
    if problems:
        return problems
    return CheckRequest(signs=frozenset(values), recent_operation=bool(recent))


def checker_context(rules: RuleBook, chosen: CheckRequest | None, problems: list[str]) -> dict:
    return {
        "rules": rules,
        "chosen_signs": sorted(chosen.signs) if chosen else [],
        "recent_operation": chosen.recent_operation if chosen else False,
        "problems": problems,
        "review": rules_review(),
        "nav_current": "symptoms",
    }


# Cached only without a query string: "change your answers" links carry someone's choices.
@cached_page()
@require_safe
def checker(request: HttpRequest) -> HttpResponse:
    rules = load_rules()
    # A "change your answers" link brings the earlier choices back; anything odd is just ignored here.
    parsed = parse_check(request.META.get("QUERY_STRING", ""), set(rules.signs))
    chosen = parsed if isinstance(parsed, CheckRequest) else None
    return render(request, "symptoms/checker.html", checker_context(rules, chosen, []))


@never_cache
@require_safe
def result(request: HttpRequest) -> HttpResponse:
    rules = load_rules()
    parsed = parse_check(request.META.get("QUERY_STRING", ""), set(rules.signs))
    if not isinstance(parsed, CheckRequest):
        return render(request, "symptoms/checker.html", checker_context(rules, None, parsed), status=400)
    now = timezone.now()
    directory = load_directory()
    context = Context(recent_operation=parsed.recent_operation)
    outcome = assess(parsed.signs, context, now, rules=rules, directory=directory)
    personal = personal_values(outcome, parsed.query_string(), parsed.recent_operation, rules, uk_moment(now))
    return HttpResponse(result_html(request, outcome, personal, rules, directory, now))


def uk_moment(at: datetime) -> str:
    local = timezone.localtime(at, load_directory().timezone)
    return f"{local:%A} {local.day} {local:%B %Y}, {clock(local.time())} (UK time)"


# The sheet prints every phone number from contacts.yaml: never serve a copy cached
# before the numbers last changed.
@never_cache
@require_safe
def emergency_sheet(request: HttpRequest) -> HttpResponse:
    rules = load_rules()
    directory = load_directory()
    return render(
        request,
        "symptoms/emergency_sheet.html",
        {
            "rules": rules,
            "directory": directory,
            "review": sheet_review(),
            "nav_current": "symptoms",
        },
    )
