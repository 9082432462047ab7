"""The pump companion: the service worker and web app manifest, the patient's own pump card
(kept only in their browser), its two printouts, and the pages shown when there is no signal.

Nothing a person types on these pages reaches the server: the pages are the same for everyone,
and static/js/my-pump.mjs fills in the details from the browser's own storage.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from itb_portal.contacts.directory import load_directory
from itb_portal.interface_text import gettext_lazy
from itb_portal.pagecache.pages import cached_page
from itb_portal.symptoms.engine import TEAM_LINE
from itb_portal.symptoms.review import sheet_review
from itb_portal.symptoms.rules import RuleBook, load_rules

from .fields import PUMP_FIELDS
from .worker import existing_paths, worker_script

THEME_COLOUR = "#005eb8"  # NHS blue
# What the offline page offers: pages the service worker keeps (worker.OFFLINE_PAGES).
SAVED_LINKS = {
    "booklet:home": gettext_lazy("The ITB booklet"),
    "symptoms:checker": gettext_lazy("Check your symptoms"),
    "symptoms:emergency_sheet": gettext_lazy("The emergency sheet"),
    "contacts:index": gettext_lazy("Contacts and opening hours"),
    "companion:my_pump": gettext_lazy("Your pump card"),
    "search:results": gettext_lazy("Search the booklet"),
}
SERVICE_NAME = "Intrathecal baclofen (ITB) pump"
ICONS = (("192", "192x192", "any"), ("512", "512x512", "any"), ("maskable-512", "512x512", "maskable"))


@cached_page()
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    # Browsers must ask again each time (the cache decorator says so too when it is on).
    response["Cache-Control"] = "no-cache"
    return response


@cached_page()
@require_safe
def web_app_manifest(request: HttpRequest) -> HttpResponse:
    icon = "img/icon-{}.png"  # drawn by draw_icons.py
    manifest = {
        "id": reverse("booklet:home"),
        "name": SERVICE_NAME,
        "short_name": "ITB pump",
        "description": (
            f"Your ITB pump information, symptom checker and phone numbers from "
            f"{load_directory().service.team_at_hospital}, even with no signal."
        ),
        "lang": "en-GB",
        "start_url": reverse("booklet:home"),
        "scope": reverse("booklet:home"),
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static(icon.format(name)), "sizes": size, "type": "image/png", "purpose": purpose}
            for name, size, purpose in ICONS
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def offline_rules(rules: RuleBook) -> dict:
    """What the no-signal answer needs to put the ticked signs' level first (static/js/offline-answer.mjs):
    the rules and the levels' ranks as the rule book has them, and each sign's label."""
    return {
        "labels": {slug: sign.label for slug, sign in rules.signs.items()},
        "ranks": {level.id: level.rank for level in rules.levels.values()},
        "rules": [
            {
                "level": rule.level,
                "all_of": sorted(rule.all_of),
                "any_of": sorted(rule.any_of),
                "among": sorted(rule.among),
                "at_least": rule.at_least,
            }
            for rule in rules.rules
        ],
    }


# Every pump page and offline page is the same for everyone: what a person keeps about their own
# pump is filled in by the browser, never sent here.
@cached_page()
@require_safe
def pump_page(request: HttpRequest, template: str) -> HttpResponse:
    """/my-pump/ and its two printouts; and the pages the service worker shows with no signal: the
    offline page, for any page it has not kept, and the offline check, when the symptom checker is
    sent (the emergency sheet's guidance, from the same rules and numbers, and a line saying why)."""
    rules = load_rules()
    return render(
        request,
        f"companion/{template}.html",
        {
            "fields": PUMP_FIELDS,
            "rules": rules,
            "offline_rules": offline_rules(rules) if template == "offline_check" else None,
            "directory": load_directory(),
            "team_line": TEAM_LINE,
            # Everything these pages say comes from the rules and the contacts, as on the emergency sheet.
            "review": sheet_review(),
            "saved_links": existing_paths(SAVED_LINKS),
        },
    )
