"""The contacts page: every number from content/contacts.yaml, and whether each line is open now."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from itb_portal.booklet.models import Section

from .directory import load_directory


@never_cache  # "open now" changes with the clock, so the page must never be served from a cache
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    directory = load_directory()
    now = timezone.now()
    local = timezone.localtime(now, directory.timezone)
    return render(
        request,
        "contacts/index.html",
        {
            "directory": directory,
            "entries": [(line, directory.is_open(line, now)) for line in directory.lines],
            "now_text": f"{local:%A} {local.day} {local:%B}, {local:%H:%M}",
            "review": Section.objects.published().review_dates(),
            "nav_current": "contacts",
        },
    )
