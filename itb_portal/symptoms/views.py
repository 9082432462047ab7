from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from itb_portal.booklet.models import Section


@require_GET
def checker(request: HttpRequest) -> HttpResponse:
    return render(request, "symptoms/checker.html", {"review": Section.objects.published().review_dates()})
