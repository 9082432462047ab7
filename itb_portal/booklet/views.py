from dataclasses import replace

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import PageReview
from itb_portal.pagecache.pages import cached_page
from itb_portal.symptoms.rules import load_rules

from . import translations
from .faq import faq_json_ld, question_links
from .models import ENGLISH, Section, base_language


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
    # The address is the English section's under the language's prefix (/ur/...); the active language says which.
    language = base_language(get_language())
    translation = None
    if language != ENGLISH:
        translation = replace(
            translations.on_page(current, language), english_url=translate_url(request.path, settings.LANGUAGE_CODE)
        )
    return section_page(request, current, sections, translation)


def section_page(
    request: HttpRequest,
    current: Section,
    sections: list[Section],
    translation: translations.TranslatedPage | None = None,
) -> HttpResponse:
    """The page of `current` among `sections` (in a language other than English, `translation` says what it
    shows); the admin's preview of a draft renders it the same way."""
    if translation is None and not current.is_english:  # the admin's preview of a translation's draft
        translation = translations.preview(current)
        sections = [s for s in sections if s.is_english]
        current = current.translation_of
    index = sections.index(current)
    shown = translation.section if translation else current
    return render(
        request,
        "booklet/section.html",
        {
            "section": shown,
            "shared_title": shown.title,
            "sections": sections,
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "review": shown.review,
            "nav_current": "contents",
            "faq_json_ld": faq_json_ld(shown, request),
            "questions": question_links(shown.body_html),
            "translation": translation,
        },
    )


@cached_page()
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    directory = load_directory()
    # The statement's own dates (content/contacts.yaml): it holds no clinical advice, so its footer gives
    # these, not the booklet's (PageReview.about_booklet).
    dates = directory.service.accessibility_statement
    review = PageReview(dates.updated, dates.update_due, about_booklet=False)
    return render(
        request,
        "booklet/accessibility.html",
        {"review": review, "prepared_on": dates.prepared, "directory": directory},
    )
