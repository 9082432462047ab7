"""The data file records (`DataFile` rows): read for pages, and kept in step with git by a release.

A release from git is not a clinical check. A file whose text changed loses its sign-off and the review
dates an approver recorded for the old text, unless the new text is the one an approver approved in the
admin. Text approved in the admin stays in use until git holds the same text (`settle_approved`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from django.db import DatabaseError
from django.utils import timezone

from itb_portal.audit import models as audit
from itb_portal.audit.models import release_label
from itb_portal.pagecache import memo

from . import DATA_FILES, read_text
from .models import DataFile
from .signoff import clear_sign_off

_last_read: dict[str, DataFile] = {}


def all_files() -> dict[str, Path]:
    """Every data file, by the name its record has, at its path in content/."""
    return {kind.name: kind.path() for kind in DATA_FILES.values()}


def recorded() -> dict[str, DataFile]:
    """Every data file's record, by its `data` name: read once per content version (saving one moves it on)."""
    return memo.for_content_version("data-file-records", _read_records)


def _read_records() -> dict[str, DataFile]:
    try:
        found = {row.data: row for row in DataFile.objects.all()}
    except DatabaseError:
        # outage fallback
        return dict(_last_read)
    _last_read.clear()
    _last_read.update(found)
    return found


def last_changed(data: set[str]) -> datetime | None:
    """When this website last changed any of these data files."""
    records = recorded()
    found = [records[name].changed_at for name in data if name in records and records[name].changed_at]
    return max(found) if found else None


def approved_now_in_git(files: dict[str, Path] | None = None) -> set[str]:
    """The data files whose text approved in the admin is now the file's text (read before `settle_approved`)."""
    files = all_files() if files is None else files
    rows = DataFile.objects.filter(data__in=list(files)).exclude(document="")
    return {row.data for row in rows if row.document.strip() == read_text(files[row.data]).strip()}


def record_release(
    files: dict[str, Path] | None = None, released_by: str = "", approved: set[str] = frozenset()
) -> list[str]:
    """Note which data files changed since the last release, and when; return their names. A file whose
    text changed loses its sign-off and recorded review dates unless its new text is `approved`."""
    files = all_files() if files is None else files
    released_by = released_by or release_label()
    changed = []
    for data, path in files.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        record, _ = DataFile.objects.get_or_create(data=data)
        if record.content_hash != digest:
            fields = ["content_hash", "changed_at"]
            if data not in approved:
                clear_sign_off(record)
                record.last_reviewed = record.next_review_due = None
                fields += ["signed_off_on", "signed_off_by", "approver_name", "last_reviewed", "next_review_due"]
            record.content_hash = digest
            record.changed_at = timezone.now()
            record.save(update_fields=fields)
            audit.record(audit.AuditEntry.RELEASED, path.name, released_by, detail=f"sha256 {digest[:16]}")
            changed.append(data)
    return changed


def settle_approved(files: dict[str, Path] | None = None, *, force: bool = False) -> tuple[list[str], list[str]]:
    """After a release, text approved in the admin in place of a file: cleared once git holds the same text
    (the file is then in use), or when forced; otherwise kept, as an edited section is. Gives (cleared, kept)."""
    files = all_files() if files is None else files
    cleared, kept = [], []
    for data, path in files.items():
        row = DataFile.objects.filter(data=data).exclude(document="").first()
        if row is None:
            continue
        if force or row.document.strip() == read_text(path).strip():
            row.document = ""
            row.save(update_fields=["document"])  # the content version moves on: the file is in use now
            cleared.append(data)
        else:
            kept.append(data)
    return cleared, kept


def export_approved(files: dict[str, Path] | None = None) -> list[Path]:
    """Write text approved in the admin back to its file, so it can be reviewed in git."""
    files = all_files() if files is None else files
    written = []
    for data, path in files.items():
        row = DataFile.objects.filter(data=data).exclude(document="").first()
        if row is not None and row.document.strip() != read_text(path).strip():
            path.write_text(row.document, encoding="utf-8")
            written.append(path)
    return written
