"""Site-wide views: the health probe and the error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from itb_portal.symptoms.checks import data_problems

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def symptom_data_status() -> str:
    # The problems themselves go to the log, not to whoever asked.
    problems = data_problems()
    if problems:
        logger.error("health: the symptom data cannot be used: %s", " | ".join(problems))
        return "invalid"
    return "ok"


# What /health/ reports: each check's name, and a function saying "ok" or what is wrong.
# Any answer but "ok" makes the probe answer 503, so the orchestrator stops sending patients here.
HEALTH_CHECKS = {"data": symptom_data_status, "database": database_status}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For an orchestrator's probe: 200 when every check is ok, 503 when any is not.

    It answers whatever the Host header says (itb_portal/health.py): probes come by IP address.
    """
    report = {name: check() for name, check in HEALTH_CHECKS.items()}
    healthy = all(answer == "ok" for answer in report.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503)


def in_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith("/" + settings.ADMIN_URL)


def error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    # An error page is not a page of information (`error_page`): nothing to share, preview or name
    # as canonical, and no database work to find out, since the error may be the database. It may
    # also be answering a bad Host header, so it must build no absolute address.
    return render(request, template, {"review": None, "error_page": True}, status=status)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, "errors/500.html", 500)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, "errors/400.html", 400)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """A page that needs the database while it is down: the error page, as a 503 to try again later."""
    response = error_page(request, "errors/500.html", 503)
    response["Retry-After"] = "30"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check. Public pages set no cookie and take only GET and HEAD, so outside the
    admin this is a method the page does not take: 405, as the view itself would say, not 403."""
    if in_admin(request):
        return django_csrf_failure(request, reason)
    return HttpResponseNotAllowed(["GET", "HEAD"])
