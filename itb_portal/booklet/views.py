from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from itb_portal.contacts.directory import load_directory
from itb_portal.pagecache.pages import cached_page

from .faq import faq_json_ld
from .models import Section


@cached_page()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    sections = Section.objects.published()
    return render(
        request,
        "booklet/home.html",
        {"sections": sections, "review": sections.review_dates(), "nav_current": "contents"},
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
        },
    )


@cached_page()
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "booklet/accessibility.html",
        {"review": Section.objects.published().review_dates(), "directory": load_directory()},
    )
