"""How current a page is: the review dates its own data holds, and what an editor has recorded since.

Every page ends with these (templates/partials/review_dates.html) and every printout starts with
them. A section's dates are in its front matter; the checker's, the emergency sheet's and the
contacts page's are in content/symptoms/rules.yaml and content/contacts.yaml. On top of those, an
editor records in the admin when a review has started and when the phone numbers were last
checked (`DataReview`, and `Section.review_started_on`): a page never says the team is checking
it unless someone recorded that.

The checker and the contacts page must keep working while the database is down, so the records
read last by this process are used then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import DatabaseError
from django.utils import timezone

from itb_portal.audit import models as audit
from itb_portal.audit.models import release_label
from itb_portal.datafiles import read_text
from itb_portal.pagecache import memo

from .directory import FileReview, load_directory
from .models import DataReview


@dataclass(frozen=True)
class Review:
    last_reviewed: date
    next_review_due: date
    numbers_checked_on: date | None = None  # when every phone number was last confirmed
    review_started_on: date | None = None  # set only when an editor recorded a review under way
    last_changed: datetime | None = None  # when this website last changed what the page shows
    checked_on: date | None = None  # the last clinical approval of what the page shows (never who)

    @property
    def is_overdue(self) -> bool:
        return self.next_review_due < timezone.localdate()

    @property
    def last_changed_on(self) -> date | None:
        return timezone.localtime(self.last_changed).date() if self.last_changed else None


def combined(*reviews: Review) -> Review:
    """One page drawn from several sources is as old as its oldest part, and changed when any part did."""
    started = [review.review_started_on for review in reviews]
    checked = [review.numbers_checked_on for review in reviews if review.numbers_checked_on]
    changed = [review.last_changed for review in reviews if review.last_changed]
    approved = [review.checked_on for review in reviews]
    return Review(
        last_reviewed=min(review.last_reviewed for review in reviews),
        next_review_due=min(review.next_review_due for review in reviews),
        numbers_checked_on=min(checked) if checked else None,
        # Under review only if every part is: never claim more than was recorded.
        review_started_on=max(started) if all(started) else None,
        last_changed=max(changed) if changed else None,
        # Checked on the day its least recently approved part was, and only if every part was.
        checked_on=min(approved) if all(approved) else None,
    )


_last_read: dict[str, DataReview] = {}


def recorded() -> dict[str, DataReview]:
    """Every data file's record, by its `data` name: read once per content version (saving one moves it on)."""
    return memo.for_content_version("data-reviews", _read_records)


def _read_records() -> dict[str, DataReview]:
    try:
        found = {row.data: row for row in DataReview.objects.all()}
    except DatabaseError:
        return dict(_last_read)
    _last_read.clear()
    _last_read.update(found)
    return found


def numbers_checked_on(records: dict[str, DataReview] | None = None) -> date:
    """The later of the date in contacts.yaml and the date an editor recorded in the admin."""
    in_file = load_directory().review.numbers_checked
    record = (records if records is not None else recorded()).get(DataReview.CONTACTS)
    return max(filter(None, [in_file, record.numbers_checked_on if record else None]))


def data_review(data: str, dates: FileReview) -> Review:
    """The review of a page built from one data file (`DataReview.CONTACTS` or `DataReview.RULES`)."""
    records = recorded()
    record = records.get(data)
    last_reviewed, next_review_due = file_or_recorded_review(dates, record)
    return Review(
        last_reviewed=last_reviewed,
        next_review_due=next_review_due,
        numbers_checked_on=numbers_checked_on(records),
        review_started_on=record.review_started_on if record else None,
        last_changed=record.changed_at if record else None,
        checked_on=record.checked_on if record else None,
    )


def file_or_recorded_review(dates: FileReview, record: DataReview | None) -> tuple[date, date]:
    """The file's review dates, or those an approver recorded in the admin when that review is later."""
    if record and record.reviewed_on and record.next_review_due and record.reviewed_on > dates.last_reviewed:
        return record.reviewed_on, record.next_review_due
    return dates.last_reviewed, dates.next_review_due


def contacts_review() -> Review:
    return data_review(DataReview.CONTACTS, load_directory().review)


def last_changed(data: set[str]) -> datetime | None:
    """When this website last changed any of these data files."""
    records = recorded()
    found = [records[name].changed_at for name in data if name in records and records[name].changed_at]
    return max(found) if found else None


def record_release(files: dict[str, Path], released_by: str = "") -> list[str]:
    """Note which data files changed since the last release, and when; return their names.

    A release comes from git, and git review is its approval: `released_by` (the commit) is recorded as
    the approver, and the audit log says so."""
    released_by = released_by or release_label()
    changed = []
    for data, path in files.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        record, _ = DataReview.objects.get_or_create(data=data)
        if record.content_hash != digest:
            record.content_hash = digest
            record.changed_at = timezone.now()
            record.checked_on, record.checked_by = timezone.localdate(), released_by
            record.save(update_fields=["content_hash", "changed_at", "checked_on", "checked_by"])
            audit.record(audit.AuditEntry.RELEASED, path.name, released_by, detail=f"sha256 {digest[:16]}")
            changed.append(data)
    return changed


def settle_approved(files: dict[str, Path], *, force: bool = False) -> tuple[list[str], list[str]]:
    """After a release, text approved in the admin in place of a file: cleared once git holds the same text
    (the file is then in use), or when forced; otherwise kept, as an edited section is. Gives (cleared, kept)."""
    cleared, kept = [], []
    for data, path in files.items():
        row = DataReview.objects.filter(data=data).exclude(document="").first()
        if row is None:
            continue
        if force or row.document.strip() == read_text(path).strip():
            row.document = ""
            row.save(update_fields=["document"])  # the content version moves on: the file is in use now
            cleared.append(data)
        else:
            kept.append(data)
    return cleared, kept


def export_approved(files: dict[str, Path]) -> list[Path]:
    """Write text approved in the admin back to its file, so it can be reviewed in git."""
    written = []
    for data, path in files.items():
        row = DataReview.objects.filter(data=data).exclude(document="").first()
        if row is not None and row.document.strip() != read_text(path).strip():
            path.write_text(row.document, encoding="utf-8")
            written.append(path)
    return written
