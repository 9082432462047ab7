from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from itb_portal.pagecache.pages import cached_page

from .faq import faq_json_ld
from .models import Section, SlugRedirect


@cached_page()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    sections = Section.objects.published()
    return render(
        request,
        "booklet/home.html",
        {"sections": sections, "review": sections.review_dates(), "nav_current": "contents"},
    )


@cached_page()
@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    sections = list(Section.objects.published())
    current = next((s for s in sections if s.slug == slug), None)
    if current is None:
        old = get_object_or_404(
            SlugRedirect.objects.select_related("section"), old_slug=slug, section__is_published=True
        )
        return HttpResponsePermanentRedirect(old.section.get_absolute_url())
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
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "booklet/accessibility.html", {"review": Section.objects.published().review_dates()})
