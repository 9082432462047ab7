from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from itb_portal.booklet.models import Section
from itb_portal.pagecache.pages import cached_page


@cached_page()
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "printing/index.html", {"review": Section.objects.published().review_dates()})
