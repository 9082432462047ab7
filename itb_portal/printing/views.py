from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from itb_portal.booklet.models import Section


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "printing/index.html", {"review": Section.objects.published().review_dates()})
