""" "Was this page useful?": a Yes/No form on every public page, and an optional comment after "No".

Both are plain HTML forms, so they work with JavaScript off; static/js/feedback.mjs only keeps the
reader on the page. Public pages set no cookies, so these forms carry no CSRF token. That is safe
here because a forged submission can do no more than a real one, and a real one can do very little:

- it changes nothing anyone else sees: it adds one to a count, or adds a comment only editors read;
- it takes only the address of a page of this site (anything else is refused with 400);
- a comment over MAX_LENGTH characters is given back to be shortened (400), and has personal
  details taken out before it is stored;
- a form sent from another site (its Origin header names another host) is refused with 403;
- each client address may send RATE_PER_MINUTE submissions a minute (then 429), counted on
  Django's cache (Redis in production, so every worker and server shares the count), so one
  client cannot flood the counts or the database, nor lock anyone else out;
- no session, cookie or sign-in is involved, so there is nothing of the reader's to misuse.

Nothing is logged, and neither the reader's address nor the time of day is stored: only the
page, the answer and the date (models.py). The rate limit's count is kept for a minute under a
keyed hash of the address, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from itb_portal.addresses import NotASitePage, client_ip, url
from itb_portal.contacts.directory import Line, load_directory
from itb_portal.interface_text import gettext_lazy
from itb_portal.sharing.pages import shared_page
from itb_portal.symptoms.rules import load_rules

from .models import AnswerCount, Comment
from .redact import MAX_LENGTH, redact, tidy

# A reader sends two (an answer, then perhaps a comment); a ward's shared address sends a few more.
RATE_PER_MINUTE = 20
# A comment this many times MAX_LENGTH is refused before it is even tidied: tidying looks at each
# character, and a megabyte of them cost a third of a second.
UNREAD_BEYOND = 4
NOT_A_PAGE = gettext_lazy("We could not tell which page your feedback is about. Nothing was saved.")
TOO_LONG = format_lazy(gettext_lazy("Your comment is too long. Use {} characters or fewer."), MAX_LENGTH)


class RateLimit:
    """At most `limit` submissions from one client address in each minute, counted on Django's cache
    so that every worker shares the count. If the cache is down, nothing is refused."""

    def __init__(self, limit: int, clock=time.time, cache: str = "default"):
        self.limit = limit
        self.clock = clock
        self.cache = cache

    def key(self, address: str) -> str:
        minute = int(self.clock() // 60)
        keyed = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
        return f"feedback-rate:{keyed}:{minute}"

    def allow(self, address: str) -> bool:
        cache, key = caches[self.cache], self.key(address)
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # the count expired between add and incr: this is the first of a new one
            cache.add(key, 1, timeout=120)
            count = 1
        return count is None or count <= self.limit


rate_limit = RateLimit(RATE_PER_MINUTE)


def known_page(value: str | None, request: HttpRequest) -> str | None:
    """The page of this site `value` names, as its newest address without any query; else None."""
    try:
        page = shared_page(value or "", request)
    except (NotASitePage, DatabaseError):
        return None
    return urlsplit(page.path).path


def help_lines() -> tuple[Line, ...]:
    """Who to call for help now, as the checker says: the lines for urgent advice while the team
    is open, then the emergency line."""
    levels = load_rules().levels
    ids = [*levels["urgent"].routes["team-open"].lines, *levels["call-999"].advice.lines]
    directory = load_directory()
    return tuple(directory.line(line_id) for line_id in dict.fromkeys(ids))


def comment_form(request: HttpRequest, page: str, text: str = "", problem: str | None = None) -> HttpResponse:
    context = {"page": page, "comment": text, "problem": problem, "max_length": MAX_LENGTH, "help_lines": help_lines()}
    return render(request, "feedback/tell_us_more.html", context, status=400 if problem else 200)


def from_another_site(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


def refused(request: HttpRequest, message: str, status: int, page: str | None = None) -> HttpResponse:
    response = render(request, "feedback/problem.html", {"message": message, "page": page}, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    return response


def step(name: str, page: str) -> HttpResponseRedirect:
    """See Other: the next step's address, so reloading it never sends the form again."""
    return HttpResponseRedirect(f"{url(name)}?{urlencode({'page': page})}", status=303)


def checked(view):
    """The checks every submission passes before anything is stored."""

    def wrapper(request: HttpRequest) -> HttpResponse:
        if from_another_site(request):
            return refused(
                request, gettext_lazy("This form can only be sent from this website. Nothing was saved."), 403
            )
        page = known_page(request.POST.get("page"), request)
        if page is None:
            return refused(request, NOT_A_PAGE, 400)
        if not rate_limit.allow(client_ip(request)):
            return refused(
                request, gettext_lazy("We are getting a lot of feedback right now. Try again in a minute."), 429, page
            )
        return view(request, page)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@csrf_exempt  # see the module's docstring
@never_cache
@require_POST
@checked
def answer(request: HttpRequest, page: str) -> HttpResponse:
    """Counts a Yes or a No for a page, then thanks the reader (or, after No, asks what was missing)."""
    given = request.POST.get("answer")
    if given not in ("yes", "no"):
        return refused(request, "Choose Yes or No. Nothing was saved.", 400, page)
    AnswerCount.add_one(page, timezone.localdate(), given)
    return step("feedback:thanks" if given == "yes" else "feedback:tell_us_more", page)


@csrf_exempt  # see the module's docstring
@never_cache
@require_POST
@checked
def comment(request: HttpRequest, page: str) -> HttpResponse:
    """Keeps an optional comment after a No, with personal details taken out first."""
    typed = request.POST.get("comment", "")
    if len(typed) > MAX_LENGTH * UNREAD_BEYOND:
        return comment_form(request, page, typed, TOO_LONG)
    text = tidy(typed)
    if len(text) > MAX_LENGTH:
        return comment_form(request, page, text, TOO_LONG)
    if text:
        Comment.objects.create(page=page, day=timezone.localdate(), text=redact(text))
    return step("feedback:thanks", page)


@never_cache
@require_safe
def tell_us_more(request: HttpRequest) -> HttpResponse:
    page = known_page(request.GET.get("page"), request)
    if page is None:
        return refused(request, NOT_A_PAGE, 400)
    return comment_form(request, page)


@never_cache
@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thanks.html", {"page": known_page(request.GET.get("page"), request)})
