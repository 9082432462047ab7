"""The content version: one row that every content change moves on.

Pages are cached and validated (ETag, Last-Modified) by this row, read on each request, so
another gunicorn worker or another app instance never serves HTML older than the database.
`changed_at` is set by the database clock, so app servers whose clocks differ still agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.db.models.signals import post_delete, post_save
from django.utils.dateparse import parse_datetime

from .release import fingerprint

ROW = 1
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def as_utc(value: datetime | str) -> datetime:
    """A timestamp as the database driver returns it (SQLite: naive UTC, or text), made aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime

    @property
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
        return f"content version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def current(cls) -> Version:
        """One tiny query, on every page request. Raises DatabaseError when the database cannot be reached."""
        # Plain SQL: building the ORM query cost more than running it.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {cls._meta.db_table} WHERE id = %s", [ROW])  # noqa: S608
            row = cursor.fetchone()
        return Version(row[0], as_utc(row[1])) if row else Version(0, NEVER)

    @classmethod
    def bump(cls, release: str | None = None) -> None:
        changes = {"number": F("number") + 1, "changed_at": Now()}
        if release is not None:
            changes["release"] = release
        if cls.objects.filter(pk=ROW).update(**changes):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=ROW, number=1, changed_at=Now(), release=release or "")
        except IntegrityError:  # another process created the row first
            cls.objects.filter(pk=ROW).update(**changes)

    @classmethod
    def moves_with(cls, model) -> None:
        """Saving or deleting a row of `model` (in the admin, by load_content, or by a reversion restore)
        moves the version on. QuerySet.update() and bulk_create() send no signals: change content through save()."""
        post_save.connect(cls.on_content_change, sender=model, dispatch_uid=f"pagecache-save-{model}")
        post_delete.connect(cls.on_content_change, sender=model, dispatch_uid=f"pagecache-delete-{model}")

    @classmethod
    def on_content_change(cls, sender, **kwargs) -> None:
        cls.bump()

    @classmethod
    def on_migrate(cls, sender, **kwargs) -> None:
        release = fingerprint()
        try:
            stored = cls.objects.filter(pk=ROW).values_list("release", flat=True).first()
        except DatabaseError:  # `migrate` stopped before this app's table was made
            return
        if stored != release:
            cls.bump(release)
