"""/sw.js: the service worker, and the list of what it keeps for use with no signal.

The worker's code is built by `npm run build` (static/js/sw-worker.mjs with Workbox bundled in,
written to static/dist/sw/worker.js) together with the precache manifest of the static files
(static/dist/sw/static-files.json: each file and a hash of its content, from workbox-build).
This module puts one line of settings in front of that code:

- the pages to keep: the home page, every booklet section, contacts, the symptom checker, the
  emergency sheet, the pump card pages, search when the site has it, and the two offline pages;
- the static files those pages use, under the addresses the pages ask for (hashed in production);
- the content version and the release fingerprint, as every kept page's revision.

So the script's bytes change whenever a page could: a section saved, a release with new code,
templates or data files (contacts.yaml, rules.yaml). Browsers check /sw.js when someone opens a
page, so the next visit online installs the new worker, which fetches every page again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from itb_portal import pagecache
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory

WORKER_CODE = "sw/worker.js"
STATIC_MANIFEST = "sw/static-files.json"

# Pages kept for use offline, by URL name. A name this site does not have (search, before it
# lands) is left out, so the list can name pages other apps add.
OFFLINE_PAGES = (
    "booklet:home",
    "contacts:index",
    "symptoms:checker",
    "symptoms:emergency_sheet",
    "companion:my_pump",
    "companion:wallet_card",
    "companion:handover_sheet",
    "companion:offline",
    "companion:offline_check",
    "search:results",
    "search:index",  # the search index, for lunr.js in the browser
)
# Offline, submitting the checker shows this page: it is never the result itself, which holds
# what someone chose and is never kept.
RESULT_PAGE = "symptoms:result"
# How long a page may take over a weak signal before the kept copy is shown instead.
NETWORK_TIMEOUT_SECONDS = 5
# Enough to tell two versions of a file apart; each character is paid for by every first visit.
REVISION_LENGTH = 12


class WorkerNotBuilt(RuntimeError):
    """`npm run build` has not made the worker's code (static/dist/sw/)."""


@dataclass(frozen=True)
class PrecacheEntry:
    url: str
    revision: str | None  # None for an address that changes with the file (a hashed name)

    def as_json(self) -> dict[str, str] | str:
        return {"url": self.url, "revision": self.revision} if self.revision else self.url


def _path(name: str) -> Path:
    found = finders.find(name)
    if found:
        return Path(found)
    if settings.STATIC_ROOT and (Path(settings.STATIC_ROOT) / name).exists():
        return Path(settings.STATIC_ROOT) / name
    raise WorkerNotBuilt(f"static/dist/{name} is missing: run `npm run build`")


@cache
def _built(name: str) -> str:
    # Built files change only with a release, which starts new processes.
    return _path(name).read_text(encoding="utf-8")


def existing_paths(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """(title, path) for each URL name this site has, in order: `names` maps a name to its title."""
    found = []
    for name, title in names.items():
        try:
            found.append((title, reverse(name)))
        except NoReverseMatch:
            continue
    return found


def offline_pages() -> list[str]:
    """Every page kept for use offline, by path."""
    pages = [path for _, path in existing_paths(dict.fromkeys(OFFLINE_PAGES, ""))]
    pages[1:1] = [section.get_absolute_url() for section in Section.objects.published()]
    return list(dict.fromkeys(pages))


def static_files() -> list[PrecacheEntry]:
    """The static files the kept pages use, under every address a page asks for them by."""
    entries = []
    for item in json.loads(_built(STATIC_MANIFEST)):
        name, revision = item["url"], item["revision"][:REVISION_LENGTH]
        served = staticfiles_storage.url(name)
        plain = settings.STATIC_URL + name
        # A hashed name changes with the file, so it needs no revision of its own.
        entries.append(PrecacheEntry(served, None if served != plain else revision))
        if served != plain and name.endswith((".js", ".mjs")):
            # Modules import each other by their plain names ("./print.mjs"), which are not hashed.
            entries.append(PrecacheEntry(plain, revision))
    return entries


def content_revision() -> str:
    """Changes whenever any kept page could: a content change, or a release."""
    return hashlib.sha256(pagecache.content_version().key.encode()).hexdigest()[:REVISION_LENGTH]


def worker_settings() -> dict:
    revision = content_revision()
    pages = offline_pages()
    directory = load_directory()
    return {
        "version": revision,
        "precache": [PrecacheEntry(page, revision).as_json() for page in pages]
        + [entry.as_json() for entry in static_files()],
        "offlinePage": reverse("companion:offline"),
        "offlineCheck": reverse("companion:offline_check"),
        "resultPath": reverse(RESULT_PAGE),
        "staticPrefix": settings.STATIC_URL,
        "networkTimeoutSeconds": NETWORK_TIMEOUT_SECONDS,
        "timeZone": str(directory.timezone),
        "savedCopyNotice": render_to_string("companion/_saved_copy_notice.html", {"directory": directory}).strip(),
    }


def worker_script() -> str:
    settings_line = json.dumps(worker_settings(), ensure_ascii=True, separators=(",", ":"))
    # Settings from itb_portal/companion/worker.py, then static/js/sw-worker.mjs built with Workbox.
    return f"self.ITB_OFFLINE={settings_line};\n" + _built(WORKER_CODE)
