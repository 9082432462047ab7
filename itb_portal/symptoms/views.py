"""The symptom checker: a GET form, its result, and the emergency sheet for the fridge.

Privacy: nothing here logs, stores or caches which signs someone chose. The result
depends on the time of day, so it is never cached; it is rendered whole for each request.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from itb_portal.addresses import absolute_url
from itb_portal.contacts.directory import Directory, clock, load_directory, when_it_opens
from itb_portal.interface_text import gettext, interface_date
from itb_portal.pagecache.pages import cached_page

from .engine import Context, Outcome, assess
from .query import CheckRequest, parse_check
from .review import rules_review, sheet_review
from .rules import RuleBook, load_rules
from .sheet_pdf import sheet_pdf


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
    outcome = assess(parsed.signs, Context(recent_operation=parsed.recent_operation), now, rules, directory)
    opening = directory.next_opening(directory.team_line, now) if outcome.route == "team-closed" else None
    return render(
        request,
        "symptoms/result.html",
        {
            "outcome": outcome,
            "advice": advice_only(outcome),
            "team_hours": directory.team_line.hours_text if outcome.route == "team-open" else None,
            "team_reopens": when_it_opens(opening, now) if opening else None,
            # Someone sent to A&E or 999 has no time for triggers (issue 20, point 12).
            "show_triggers": outcome.card != "emergency" and rules.triggers_apply(parsed.signs),
            "recent_operation": parsed.recent_operation,
            "rules": rules,
            "directory": directory,
            "checked_at": uk_moment(now, directory),
            "canonical_path": parsed.address(),
            "change_path": parsed.address("symptoms:checker"),
            "review": rules_review(),
            "nav_current": "symptoms",
        },
    )


def advice_only(outcome: Outcome) -> Outcome:
    """The outcome without what it says about the signs chosen: what the care card may show.

    The card is memoised with this as its key, so it holds nothing about the person."""
    return replace(outcome, reasons=(), fired_rules=(), sources=())


def uk_moment(at: datetime, directory: Directory) -> str:
    local = timezone.localtime(at, directory.timezone)
    return gettext("%(day)s, %(time)s (UK time)") % {
        "day": interface_date(local, "l j F Y"),
        "time": clock(local.time()),
    }


# The sheet prints every phone number from contacts.yaml: never serve a copy cached
# before the numbers last changed.
@never_cache
@require_safe
def emergency_sheet(request: HttpRequest) -> HttpResponse:
    return emergency_sheet_page(request, load_rules(), load_directory())


def emergency_sheet_page(request: HttpRequest, rules: RuleBook, directory) -> HttpResponse:
    """The sheet from these rules and contacts; the admin's preview of a draft renders it the same way."""
    return render(
        request,
        "symptoms/emergency_sheet.html",
        {"rules": rules, "directory": directory, "review": sheet_review(), "nav_current": "symptoms"},
    )


# Never cached by a browser, like the sheet itself: a PDF kept for years already outlives its numbers, so at
# least the download is made from contacts.yaml as it is now. It says the day it was made and where to check.
@never_cache
@require_safe
def emergency_sheet_pdf(request: HttpRequest) -> HttpResponse:
    response = sheet_pdf_made_today(request)
    response["Content-Disposition"] = 'attachment; filename="itb-emergency-sheet.pdf"'
    return response


# The server keeps the file it made for the day and content version (issue 21: made each time, 22 a second).
@cached_page()
def sheet_pdf_made_today(request: HttpRequest) -> HttpResponse:
    sheet_address = absolute_url(reverse("symptoms:emergency_sheet"), request)
    pdf = sheet_pdf(load_rules(), load_directory(), timezone.localdate(), sheet_address)
    return HttpResponse(pdf, content_type="application/pdf")
