"""Search: `GET /search/?q=` (works with JavaScript off) and the index for offline search.

Privacy: a query can say something about someone's health. It is never logged, stored or cached:
a results page says `Cache-Control: no-store, private` (middleware.QueriesAreNeverCached does that
for any address with a query string), sets no cookie, and nothing here writes a log line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.views.decorators.http import condition, require_safe

from itb_portal.addresses import url
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.interface_text import gettext_lazy
from itb_portal.pagecache.memo import for_content_version
from itb_portal.pagecache.pages import cached_page
from itb_portal.symptoms.rules import load_rules

from .cards import every_card, symptom_cards
from .engine import MAX_RESULTS, search
from .index import current_index

MAX_QUERY_LENGTH = 100
TOO_LONG = format_lazy(gettext_lazy("Your search is too long. Use {} characters or fewer."), MAX_QUERY_LENGTH)
EMPTY = gettext_lazy("Enter a word or question to search for.")


@dataclass(frozen=True)
class Query:
    text: str  # what to search for and show back: printable, single-spaced
    problem: str | None
    status: int


def read_query(raw: str | None) -> Query | None:
    """The `q` parameter made safe to search for and to show; None when there was none.

    It is normalised (NFKC) before its length is counted: one character can stand for several
    ("㎉" is "kcal"), and the search works on the letters. Control characters are only spaces
    here, and markup or "%" only text (escaped when shown)."""
    if raw is None:
        return None
    printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in unicodedata.normalize("NFKC", raw))
    text = " ".join(printable.split())
    if len(text) > MAX_QUERY_LENGTH:
        return Query(text[:MAX_QUERY_LENGTH], TOO_LONG, 400)
    if not text:
        return Query("", EMPTY, 200)
    return Query(text, None, 200)


def search_context(query: Query | None) -> dict:
    rules, directory = load_rules(), load_directory()
    context = {
        "query": query,
        "max_query_length": MAX_QUERY_LENGTH,
        "max_results": MAX_RESULTS,
        "review": Section.objects.published().review_dates(),
        # A printout names the search page, never the query.
        "canonical_path": url("search:results"),
        "messages": {"too_long": str(TOO_LONG), "empty": str(EMPTY)},
    }
    if query is None:
        # The page an offline search fills in: patterns for its results and cards. Working out the
        # card for every choice of signs takes a few milliseconds, so it is done once per content version.
        context["patterns"] = for_content_version("search-card-patterns", lambda: every_card(rules, directory))
        context["card_outcomes"] = [group.as_data() for group in context["patterns"]]
    elif not query.problem:
        answer = search(query.text, current_index())
        context["outcome"] = answer  # templates/search/search.html's name for it, until that template is renamed
        context["cards"] = symptom_cards(answer.signs, rules, directory)
    return context


# Without a query the page is the same for everyone, so it is kept like any other page; with one,
# `cached_page` never stores it, and QueriesAreNeverCached marks it no-store, private.
@cached_page()
@require_safe
def results(request: HttpRequest) -> HttpResponse:
    query = read_query(request.GET.get("q"))
    status = query.status if query else 200
    return render(request, "search/search.html", search_context(query), status=status)


@condition(etag_func=lambda request: current_index().tag)
@require_safe
def index_json(request: HttpRequest) -> HttpResponse:
    """The serialised index, for lunr.js in the browser. Its ETag changes with the booklet and
    the synonyms, and browsers must check it before each use."""
    response = current_index().served()
    response["Cache-Control"] = "public, no-cache"
    return response
