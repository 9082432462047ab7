from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import PageReview
from itb_portal.pagecache.pages import cached_page
from itb_portal.symptoms.rules import load_rules

from .faq import faq_json_ld, question_links
from .models import Section


@cached_page()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    sections = Section.objects.published()
    return render(
        request,
        "booklet/home.html",
        # The rules give the home page's red flags: the signs that mean 999, in the checker's words.
        {"sections": sections, "rules": load_rules(), "review": sections.review_dates(), "nav_current": "contents"},
    )


@cached_page()
@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    sections = list(Section.objects.published())
    current = next((s for s in sections if s.slug == slug), None)
    if current is None:
        # An old address (from before a rename, or typed with capitals): one hop to the newest.
        moved = Section.objects.published().at_address(slug)
        if moved is None:
            raise Http404("No section at this address")
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    return section_page(request, current, sections)


def section_page(request: HttpRequest, current: Section, sections: list[Section]) -> HttpResponse:
    """The page of `current` among `sections`; the admin's preview of a draft renders it the same way."""
    index = sections.index(current)
    return render(
        request,
        "booklet/section.html",
        {
            "section": current,
            "sections": sections,
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "review": current.review,
            "nav_current": "contents",
            "faq_json_ld": faq_json_ld(current, request),
            "questions": question_links(current.body_html),
        },
    )


# The statement's own dates: public sector statements are brought up to date at least once a year. It holds
# no clinical advice, so its footer gives these dates, not the booklet's (PageReview.about_booklet).
STATEMENT_PREPARED = date(2026, 11, 22)
STATEMENT_UPDATED = date(2026, 11, 25)
STATEMENT_UPDATE_DUE = date(2027, 11, 25)


@cached_page()
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    review = PageReview(STATEMENT_UPDATED, STATEMENT_UPDATE_DUE, about_booklet=False)
    return render(
        request,
        "booklet/accessibility.html",
        {"review": review, "prepared_on": STATEMENT_PREPARED, "directory": load_directory()},
    )
