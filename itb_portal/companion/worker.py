"""/sw.js: the service worker, and the list of what it keeps for use with no signal.

The worker's code is built by `npm run build` (static/js/sw-worker.mjs with Workbox bundled in,
written to static/dist/sw/worker.js) together with the precache manifest of the static files
(static/dist/sw/static-files.json: each file and a hash of its content, from workbox-build).
This module puts one line of settings in front of that code:

- the pages to keep (`offline` in itb_portal/page_registry.py): the home page, every booklet
  section, contacts, the symptom checker, the emergency sheet, the pump card pages, search and
  its index, and the two offline pages;
- the static files those pages use, under the addresses the pages ask for (hashed in production);
- the content version and the release fingerprint, as every kept page's revision.

So the script's bytes change whenever a page could: a section saved, a release with new code,
templates or data files (contacts.yaml, rules.yaml). Browsers check /sw.js when someone opens a
page, so the next visit online installs the new worker, which fetches every page again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse

from itb_portal import pagecache
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.page_registry import PAGES

WORKER_CODE = "sw/worker.js"
STATIC_MANIFEST = "sw/static-files.json"

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


def offline_pages() -> list[str]:
    """Every page kept for use offline (`offline` in the page registry), by path: each published
    section where the registry names the section page."""
    pages = []
    for name, page in PAGES.items():
        if not page.offline:
            continue
        if name == "booklet:section":
            pages += [section.get_absolute_url() for section in Section.objects.published()]
        else:
            pages.append(reverse(name))
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
