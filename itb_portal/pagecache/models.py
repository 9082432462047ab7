"""The content version, one row moved on by every content change and read on each request (so no
worker or app server serves a page older than the database; the database clock sets `changed_at`),
and the release fingerprint, a hash of the rest that shapes a page: code, templates, the static files
manifest and the data files apps name in `pagecache.watch`. Those change only with a deploy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils.dateparse import parse_datetime

from . import memo

ROW = 1
CODE_DIR = Path(__file__).resolve().parent.parent
LIBRARIES = ("Django", "nhsuk-frontend-jinja", "Jinja2", "Markdown")
DATA_FILES: list[Callable[[], Path]] = []  # each gives its file's path, in settings.CONTENT_DIR


def fingerprint() -> str:
    manifest = getattr(staticfiles_storage, "manifest_hash", "")  # none in development and tests
    return _hashed(settings.CONTENT_DIR, manifest)


@cache
def _hashed(content_dir: Path, manifest: str) -> str:
    digest = hashlib.sha256("".join(f"{name}=={version(name)}|" for name in LIBRARIES).encode() + manifest.encode())
    for folder in [CODE_DIR, *(Path(d) for d in settings.TEMPLATES[0]["DIRS"])]:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".py", ".html", ".jinja"}):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for path in sorted(str(data_file()) for data_file in DATA_FILES):
        digest.update(Path(path).read_bytes() if Path(path).exists() else b"missing")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime

    @cached_property  # read by the memo and by each kept page: worked out once per request
    def key(self) -> str:
        """Changes whenever anything a page shows may have changed: the content or the release."""
        return f"{fingerprint()}-{self.number}-{self.changed_at.timestamp():.6f}"


class ContentVersion(models.Model):
    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()
    release = models.CharField(max_length=64, blank=True, help_text="Fingerprint of the code and data last released.")

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"content version {self.number}"

    @classmethod
    def current(cls) -> Version:
        """One tiny query, in plain SQL (building the ORM query cost more than running it).
        Raises DatabaseError when the database cannot be reached."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {cls._meta.db_table} WHERE id = %s", [ROW])  # noqa: S608
            row = cursor.fetchone()
        if row is None:
            return Version(0, datetime(2000, 1, 1, tzinfo=UTC))
        changed_at = parse_datetime(row[1]) if isinstance(row[1], str) else row[1]  # SQLite gives text
        return Version(row[0], changed_at if changed_at.tzinfo else changed_at.replace(tzinfo=UTC))

    @classmethod
    def bump(cls, release: str | None = None) -> None:
        memo.clear()  # what this process kept was made for the version before
        changes = {"number": F("number") + 1, "changed_at": Now(), **({"release": release} if release else {})}
        if cls.objects.filter(pk=ROW).update(**changes):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=ROW, number=1, changed_at=Now(), release=release or "")
        except IntegrityError:  # another process made the row first
            cls.objects.filter(pk=ROW).update(**changes)

    @classmethod
    def on_content_change(cls, sender, **kwargs) -> None:
        cls.bump()

    @classmethod
    def on_migrate(cls, sender, **kwargs) -> None:
        """`migrate` is part of every release: it makes the row, and moves the version on for new code or data."""
        try:
            released = cls.objects.filter(pk=ROW).values_list("release", flat=True).first()
        except DatabaseError:  # `migrate` stopped before this app's table was made
            return
        if released != fingerprint():
            cls.bump(fingerprint())
