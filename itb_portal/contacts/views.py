"""The contacts page: every number from content/contacts.yaml, and whether each line is open now."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from itb_portal.interface_text import interface_date
from itb_portal.pagecache.pages import cached_page, each_minute

from .directory import Directory, load_directory
from .now import call_now
from .reviews import contacts_review


# "Open now" and the time shown change with the clock: a copy is only reused within its minute,
# and browsers must check it is current before each use.
@cached_page(each_minute, stale_in_outage=False)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return contacts_page(request, load_directory())


def contacts_page(request: HttpRequest, directory: Directory) -> HttpResponse:
    """The page from this directory; the admin's preview of a draft renders it the same way."""
    now = timezone.now()
    local = timezone.localtime(now, directory.timezone)
    return render(
        request,
        "contacts/index.html",
        {
            "directory": directory,
            "entries": [(line, directory.is_open(line, now)) for line in directory.lines],
            "call_now": call_now(directory, now),
            "now_text": f"{interface_date(local, 'l j F')}, {local:%H:%M}",
            "review": contacts_review(),
            "nav_current": "contacts",
        },
    )
