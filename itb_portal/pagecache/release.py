"""A fingerprint of everything besides the database that shapes a page.

Code, templates, the static files manifest (pages link to hashed file names) and the data
files content/contacts.yaml and content/symptoms/rules.yaml only change with a deploy, so
they are hashed once per process. The fingerprint is part of every page's cache key and
ETag: a new release never serves, or gets a 304 for, HTML rendered by the old one.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

from itb_portal.contacts.directory import contacts_path
from itb_portal.symptoms.rules import rules_path

CODE_DIR = Path(__file__).resolve().parent.parent
LIBRARIES = ("Django", "nhsuk-frontend-jinja", "Jinja2", "Markdown")


def fingerprint() -> str:
    return _combined(_code(), _data(settings.CONTENT_DIR), getattr(staticfiles_storage, "manifest_hash", ""))


@cache
def _combined(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@cache
def _code() -> str:
    digest = hashlib.sha256()
    for name in LIBRARIES:
        digest.update(f"{name}=={version(name)}\n".encode())
    folders = [CODE_DIR, *(Path(d) for d in settings.TEMPLATES[0]["DIRS"])]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".py", ".html", ".jinja"}):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _data(content_dir: Path | str) -> str:
    # Both files live in settings.CONTENT_DIR, so that one setting names the data in use.
    digest = hashlib.sha256()
    for path in (contacts_path(), rules_path()):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()
