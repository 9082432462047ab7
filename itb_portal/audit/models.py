"""The audit log: who drafted, submitted, sent back, discarded, approved (or was refused), published,
restored or reviewed what, and when; and every admin action that changes what patients are told.

Append-only: an entry is written once and never changed or deleted, through the ORM or the admin.
Who is kept as text (a username, or the git commit of a release), so the log outlives accounts.
It is not content: no page shows it, so it never moves the content version.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete what the audit log has recorded."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit log is append-only: entries are never changed")

    def delete(self):
        raise AppendOnlyError("the audit log is append-only: entries are never deleted")


class AuditEntry(models.Model):
    DRAFTED = "drafted"
    CONFLICT = "conflict"  # a save or approval refused because someone else changed the text first
    APPROVED = "approved"
    PUBLISHED = "published"
    RESTORED = "restored"
    REVIEWED = "marked reviewed"
    RELEASED = "released from git"
    SUBMITTED = "submitted for approval"
    SENT_BACK = "sent back"
    DISCARDED = "discarded"
    REFUSED = "approval refused"
    REVIEW_STARTED = "review started"
    NUMBERS_CHECKED = "numbers checked"
    RECORDED = "data review changed"
    # Entries written before "conflict" had its name: the log is append-only, so they keep theirs.
    EARLIER_CONFLICT = "kept after a conflict"
    ACTIONS = [
        (action, action)
        for action in (
            DRAFTED,
            CONFLICT,
            APPROVED,
            PUBLISHED,
            RESTORED,
            REVIEWED,
            RELEASED,
            SUBMITTED,
            SENT_BACK,
            DISCARDED,
            REFUSED,
            REVIEW_STARTED,
            NUMBERS_CHECKED,
            RECORDED,
            EARLIER_CONFLICT,
        )
    ]

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    who = models.CharField(max_length=150, help_text="A username, or the git commit of a release.")
    action = models.CharField(max_length=30, choices=ACTIONS)
    what = models.CharField(max_length=200, help_text='What changed: "section the-trial", "contacts.yaml".')
    detail = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.action} {self.what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only: entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit log is append-only: entries are never deleted")


def record(action: str, what: str, who, detail: str = "") -> AuditEntry:
    """Append one entry. `who` is a user or a text such as "git 1a2b3c4"."""
    name = who if isinstance(who, str) else who.get_username()
    return AuditEntry.objects.create(action=action, what=what, who=name, detail=detail)


def release_commit() -> str:
    """The git commit the content was released from: ITB_GIT_COMMIT (set by a build without .git), else
    `git rev-parse`, else "" when neither can tell."""
    if os.environ.get("ITB_GIT_COMMIT"):
        return os.environ["ITB_GIT_COMMIT"].strip()
    try:
        found = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, as a developer runs it
            cwd=Path(settings.CONTENT_DIR),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


def release_label() -> str:
    """Who approved a release: its git commit, where one is known."""
    commit = release_commit()
    return f"git {commit[:12]}" if commit else "release (git commit unknown)"


def export_csv(path: Path) -> int:
    """Write the whole log, oldest first, to `path`; return how many entries."""
    import csv

    entries = AuditEntry.objects.order_by("at", "pk")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["at", "who", "action", "what", "detail"])
        for entry in entries:
            writer.writerow([entry.at.isoformat(), entry.who, entry.action, entry.what, entry.detail])
    return entries.count()
