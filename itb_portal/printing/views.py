"""Printing the booklet: a chooser, and the whole booklet or the chosen sections as one document."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from itb_portal.addresses import absolute_url
from itb_portal.booklet.html import combined_html
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import PageReview, combined, contacts_review
from itb_portal.pagecache.pages import cached_page
from itb_portal.symptoms.query import MAX_QUERY_LENGTH
from itb_portal.symptoms.review import sheet_review
from itb_portal.symptoms.rules import load_rules

from .booklet import EXTRAS, LARGE, SIZE, BookletChoice, Refusal, choice_from_query

# Ids the booklet template uses itself, and the added contacts and emergency sheet; no section
# heading may take them.
TEMPLATE_IDS = ("maincontent", "contents", "contacts", "emergency-sheet", "my-pump", "what-to-do", "numbers")


def _chooser(request: HttpRequest, sections: list[Section], *, problem: str = "", status: int = 200) -> HttpResponse:
    # Boxes come back ticked from a "choose other sections" link; anything odd just ticks nothing.
    query = request.META.get("QUERY_STRING", "")
    asked = QueryDict(query) if not problem and len(query) <= MAX_QUERY_LENGTH else QueryDict()
    ticked = set(asked.getlist("section"))
    also = set(asked.getlist("also"))
    large = asked.get(SIZE) == LARGE
    return render(
        request,
        "printing/index.html",
        {
            "sections": sections,
            "ticked": ticked,
            "also": also,
            "large": large,
            "extras": EXTRAS,
            "problem": problem,
            "review": Section.objects.published().review_dates(),
            "nav_current": "print",
            "hide_print_button": True,
        },
        status=status,
    )


@cached_page()
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The chooser: the whole booklet, the emergency sheet, or a GET form to tick sections."""
    return _chooser(request, list(Section.objects.published()))


def kept_choice(request: HttpRequest) -> str:
    """A choice of sections, named by its canonical query so that the same sections in any order are kept once;
    "" (never kept) for a refusal or a choice naming sections we do not know, whose names made-up words could be."""
    choice = choice_from_query(request.META.get("QUERY_STRING", ""))
    return "" if isinstance(choice, Refusal) or choice.skipped else choice.query


# The whole booklet (no query) is cached per content version like any page. A choice of sections is kept too,
# per content version, day and choice (issue 21: 38 a second, against 666 for the kept booklet); its answer
# still says no-store, private, as every answer to a query does.
@cached_page(variant=kept_choice)
@require_safe
def booklet(request: HttpRequest) -> HttpResponse:
    """`/print/booklet/` is the whole booklet; `?section=<slug>&section=<slug>` only those, in booklet order."""
    choice = choice_from_query(request.META.get("QUERY_STRING", ""))
    if isinstance(choice, Refusal):
        return _chooser(request, list(Section.objects.published()), problem=choice.message, status=400)
    return render(request, "printing/booklet.html", booklet_context(request, choice))


def printout_review(choice: BookletChoice) -> PageReview | None:
    """The printout is as old as its oldest part: the sections chosen, and the data added to them."""
    parts = [Section.objects.filter(pk__in=[s.pk for s in choice.sections]).review_dates()] if choice.sections else []
    if "contacts" in choice.also:
        parts.append(contacts_review())
    if "emergency-sheet" in choice.also:
        parts.append(sheet_review())
    found = [review for review in parts if review]
    return combined(*found) if found else None


def booklet_context(request: HttpRequest, choice: BookletChoice) -> dict:
    anchors, bodies = combined_html(choice.sections, absolute_url(choice.path, request), reserved=TEMPLATE_IDS)
    directory = load_directory()
    return {
        "choice": choice,
        "parts": [
            {"section": section, "id": anchors.section_ids[section.slug], "html": html}
            for section, html in zip(choice.sections, bodies, strict=True)
        ],
        # Paper is kept far longer than "open now" stays true: no line is marked open or closed.
        "entries": [(line, None) for line in directory.lines],
        "directory": directory,
        "rules": load_rules(),
        "in_printout": True,
        "canonical_path": choice.path,
        "review": printout_review(choice),
        "nav_current": "print",
    }
