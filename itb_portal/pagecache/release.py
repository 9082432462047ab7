"""A fingerprint of everything besides the database that shapes a page.

Code, templates, the static files manifest (pages link to hashed file names) and the data files
that apps register with `pagecache.watch(data_files=...)` only change with a deploy, so they are
hashed once per process. The fingerprint is part of every page's cache key and ETag: a new
release never serves, or gets a 304 for, HTML rendered by the old one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

CODE_DIR = Path(__file__).resolve().parent.parent
LIBRARIES = ("Django", "nhsuk-frontend-jinja", "Jinja2", "Markdown")
# Functions returning the path of each data file pages are built from (they follow settings.CONTENT_DIR).
DATA_FILES: list[Callable[[], Path]] = []


def fingerprint() -> str:
    data = _data(tuple(str(path()) for path in DATA_FILES))
    return _combined(_code(), data, getattr(staticfiles_storage, "manifest_hash", ""))


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
def _data(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in map(Path, sorted(paths)):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()
