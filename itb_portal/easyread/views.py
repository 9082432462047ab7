"""The Easy Read pages and the Easy Read symptom checker (issue 26).

The checker asks one group of signs per screen: a GET form whose "Next" button carries the signs
ticked so far in the address, as the main checker does. It works with JavaScript off, and nothing
anyone picks is stored or logged. Its result comes from the same engine (symptoms.engine.assess).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from itb_portal.addresses import url
from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import PageReview
from itb_portal.symptoms.engine import Context, assess
from itb_portal.symptoms.query import MAX_QUERY_LENGTH, CheckRequest, parse_check
from itb_portal.symptoms.review import rules_review
from itb_portal.symptoms.rules import RuleBook, load_rules

from .content import PAGES, START_PAGE, easy_read_page

URL_NAMES = {
    "if-something-is-wrong": "easyread:if_something_is_wrong",
    "refills": "easyread:refills",
    "living-with-your-pump": "easyread:living_with_your_pump",
    "the-operation": "easyread:the_operation",
    "contacts": "easyread:contacts",
}
STEP = "step"


def easy_read_review() -> PageReview:
    """The rules' review dates, but never their sign-off: a clinician who approved rules.yaml has not
    approved the Easy Read words in content/easy-read/, so no Easy Read page claims they did."""
    return replace(rules_review(), sign_offs=())


@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    pages = []
    if slug == START_PAGE:
        pages = [(url(URL_NAMES[name]), easy_read_page(name)) for name in PAGES]
    return render(
        request,
        "easyread/page.html",
        {
            "page": easy_read_page(slug),
            "slug": slug,
            "pages": pages,
            "rules": load_rules(),
            "review": easy_read_review(),
            "nav_current": "easy-read",
        },
    )


def read_step(raw_query: str, rules: RuleBook) -> tuple[int, CheckRequest] | list[str]:
    """The step asked for (1 to one more than the groups, the last asking about a recent operation) and
    the check so far, or plain-words problems with the address."""
    if len(raw_query) > MAX_QUERY_LENGTH:
        return [_("The web address is too long for us to read. Start again.")]
    query = QueryDict(raw_query)
    steps = query.getlist(STEP)
    rest = [(name, value) for name in query for value in query.getlist(name) if name != STEP]
    parsed = parse_check(urlencode(rest), set(rules.signs))
    problems = [] if isinstance(parsed, CheckRequest) else list(parsed)
    last = len(rules.groups) + 1
    step = 1
    if len(steps) > 1 or (steps and not (steps[0].isascii() and steps[0].isdigit() and 1 <= int(steps[0]) <= last)):
        problems.append(_("We did not understand which step to show. Start again."))
    elif steps:
        step = int(steps[0])
    return problems if problems else (step, parsed)


def checker_context(rules: RuleBook) -> dict:
    return {
        "rules": rules,
        "review": easy_read_review(),
        "nav_current": "easy-read",
        "intro": easy_read_page("checker"),
        "step": 1,
        "steps": len(rules.groups) + 1,
    }


def step_address(step: int, check: CheckRequest) -> str:
    query = check.query_string()
    return url("easyread:checker") + f"?{STEP}={step}" + (f"&{query}" if query else "")


def is_emergency(check: CheckRequest, rules: RuleBook) -> bool:
    outcome = assess(check.signs, Context(recent_operation=check.recent_operation), timezone.now(), rules)
    return rules.levels[outcome.level].card == "emergency"


@never_cache
@require_safe
def checker(request: HttpRequest) -> HttpResponse:
    rules = load_rules()
    found = read_step(request.META.get("QUERY_STRING", ""), rules)
    context = checker_context(rules)
    if isinstance(found, list):
        return render(request, "easyread/checker.html", {**context, "problems": found}, status=400)
    step, check = found
    if check.signs and is_emergency(check, rules):
        # Someone who ticked a 999 or A&E sign and pressed "Next" is not shown more screens first.
        return redirect(check.address("easyread:result"))
    group = rules.groups[step - 1] if step <= len(rules.groups) else None
    in_group = {sign.slug for sign in rules.signs_in(group.id)} if group else set()
    return render(
        request,
        "easyread/checker.html",
        {
            **context,
            "problems": [],
            "step": step,
            "steps": len(rules.groups) + 1,
            "group": group,
            "signs": rules.signs_in(group.id) if group else [],
            "chosen": check.signs,
            # The signs ticked on the other screens travel on, hidden, so this screen can untick its own.
            "kept": sorted(check.signs - in_group),
            "recent_operation": check.recent_operation,
            "back": step_address(step - 1, check) if step > 1 else "",
        },
    )


@never_cache
@require_safe
def result(request: HttpRequest) -> HttpResponse:
    rules = load_rules()
    parsed = parse_check(request.META.get("QUERY_STRING", ""), set(rules.signs))
    if not isinstance(parsed, CheckRequest):
        return render(request, "easyread/checker.html", {**checker_context(rules), "problems": parsed}, status=400)
    outcome = assess(parsed.signs, Context(recent_operation=parsed.recent_operation), timezone.now(), rules)
    return render(
        request,
        "easyread/result.html",
        {
            "outcome": outcome,
            "level": rules.levels[outcome.level],
            "said": easy_read_page("checker-result"),
            "chosen": [sign for sign in rules.signs.values() if sign.slug in parsed.signs],
            "change": step_address(1, parsed),
            "main_result": parsed.address(),
            # The one address of this result, whatever order the signs came in (the page registry).
            "canonical_path": parsed.address("easyread:result"),
            "directory": load_directory(),
            "review": easy_read_review(),
            "nav_current": "easy-read",
        },
    )
