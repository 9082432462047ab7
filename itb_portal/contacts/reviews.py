"""How current a page is, and who has checked it: one plain statement at the end of every page and PDF.

A page says it was reviewed only when a named person with the clinical approver role recorded that in
the admin (`sign_off`: approving a draft, or "Mark as reviewed"). Loading or releasing content from git
is not a clinical check: it records none, and a release that changes text clears the sign-off of that
text. Until a clinician signs a page off, it says plainly that it is based on the booklet and has not
been reviewed. The dates in a section's front matter and in each data file's `review` are the booklet's:
the edition the page is based on and when that booklet is due for review. A page that holds advice
added after the booklet (a section's `safety_additions`, the checker's rules) says so, so the booklet's
date never dates it. docs/sign-off-claims.md has the rules in full.

Every page ends with the statement (templates/partials/review_dates.html) and every printout starts
with its first sentences (partials/print_header.html). An editor also records in the admin when a
review has started (`DataReview`, `Section.review_started_on`), and an approver when the phone numbers
were checked: a page never says either unless someone recorded it.

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
from itb_portal.interface_text import gettext, interface_date, ngettext
from itb_portal.pagecache import memo

from .directory import FileReview, load_directory
from .models import DataReview

# The permission of the "Clinical approver" group (editorial/roles.py), named here as a string: this app
# sits below editorial, which records every sign-off through `sign_off`.
APPROVE = "editorial.approve_draft"


@dataclass(frozen=True, order=True)
class SignOff:
    """A check a named clinical approver recorded in the admin: when, and who (as pages name them)."""

    on: date
    name: str


def approver_name(user) -> str:
    """How pages name an approver: their full name, else their username."""
    return user.get_full_name().strip() or user.get_username()


def sign_off(record, user) -> SignOff:
    """Record on `record` (a Section or a DataReview, saved by the caller) that `user`, a clinical
    approver, checked it today. The date is always today: nobody can record a check in the future."""
    if not user.has_perm(APPROVE):
        raise PermissionError("Only a clinical approver can sign off what patients see.")
    record.checked_on, record.checked_by = timezone.localdate(), user.get_username()
    record.approver_name = approver_name(user)
    return SignOff(record.checked_on, record.approver_name)


def clear_sign_off(record) -> None:
    """Text changed from git: nobody has checked the new text yet."""
    record.checked_on, record.checked_by, record.approver_name = None, "", ""


def recorded_sign_off(record) -> SignOff | None:
    """The sign-off a Section or DataReview holds, if a named approver recorded one (never in the future)."""
    if record is None or not record.checked_on or not record.approver_name:
        return None
    if record.checked_on > timezone.localdate():
        return None
    return SignOff(record.checked_on, record.approver_name)


def _day(value: date) -> str:
    return interface_date(value, "j F Y")


def _month(value: date) -> str:
    return interface_date(value, "F Y")


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


@dataclass(frozen=True)
class Review:
    last_reviewed: date  # the booklet's date, until an approver marks the page reviewed (then that day)
    next_review_due: date  # the booklet's review date, or the one the approver set
    numbers_checked: SignOff | None = None  # an approver confirmed every phone number (the admin)
    review_started_on: date | None = None  # set only when an editor recorded a review under way
    last_changed: datetime | None = None  # when this website last changed what the page shows
    sign_offs: tuple[SignOff, ...] = ()  # every clinical sign-off of what the page shows; empty until all of it has one
    added_advice: bool = False  # the page holds advice added after the booklet
    about_booklet: bool = True  # False for the accessibility statement, which is not clinical advice

    @property
    def is_overdue(self) -> bool:
        return self.next_review_due < timezone.localdate()

    @property
    def last_changed_on(self) -> date | None:
        return timezone.localtime(self.last_changed).date() if self.last_changed else None

    @property
    def checked_on(self) -> date | None:
        """The oldest clinical sign-off of what the page shows, or None while any part has none."""
        return min(self.sign_offs).on if self.sign_offs else None

    @property
    def due_is_set(self) -> bool:
        """A due date set before the last sign-off (the booklet's, on a page approved after it) dates nothing."""
        return not self.sign_offs or self.next_review_due > max(self.sign_offs).on

    @property
    def summary(self) -> list[str]:
        """Who checked the page, or that nobody has yet, and when it is due for review: the sentences a
        printout puts at the top of every sheet."""
        return self.about("page")

    def about(self, noun: str) -> list[str]:
        """The summary, for a "page" or for one "section" of a printout."""
        if not self.about_booklet:
            updated, due = _day(self.last_reviewed), _day(self.next_review_due)
            return [
                gettext("This statement was last updated on %(date)s.") % {"date": updated},
                (
                    gettext("Its next update was due by %(date)s.")
                    if self.is_overdue
                    else gettext("Its next update is due by %(date)s.")
                )
                % {"date": due},
            ]
        # Whole sentences for "page" and "section", so each language can word them its own way.
        page = noun == "page"
        if not self.sign_offs:
            booklet = {"month": _month(self.last_reviewed)}
            said = [
                (
                    gettext("This page is based on our patient booklet of %(month)s.")
                    if page
                    else gettext("This section is based on our patient booklet of %(month)s.")
                )
                % booklet
            ]
            if self.added_advice:
                said.append(gettext("Some of its advice was added after the booklet."))
            said.append(
                gettext("A clinician has not yet reviewed this page.")
                if page
                else gettext("A clinician has not yet reviewed this section.")
            )
            due = {"month": _month(self.next_review_due)}
            if self.is_overdue:
                return [*said, gettext("The booklet was due for review in %(month)s.") % due]
            return [*said, gettext("The booklet is due for review in %(month)s.") % due]
        names = sorted({sign_off.name for sign_off in self.sign_offs})
        first, last = min(self.sign_offs).on, max(self.sign_offs).on
        who = {"names": _names(names), "first": _day(first), "last": _day(last)}
        if first == last:
            said = [
                ngettext(
                    "Reviewed by %(names)s (clinical approver) on %(first)s.",
                    "Reviewed by %(names)s (clinical approvers) on %(first)s.",
                    len(names),
                )
                % who
            ]
        else:
            said = [
                ngettext(
                    "Reviewed by %(names)s (clinical approver) between %(first)s and %(last)s.",
                    "Reviewed by %(names)s (clinical approvers) between %(first)s and %(last)s.",
                    len(names),
                )
                % who
            ]
        if not self.due_is_set:
            return [*said, gettext("No date is set for its next review.")]
        due = {"date": _day(self.next_review_due)}
        if self.is_overdue:
            return [
                *said,
                (
                    gettext("This page was due for another review on %(date)s.")
                    if page
                    else gettext("This section was due for another review on %(date)s.")
                )
                % due,
            ]
        return [*said, gettext("Next review due by %(date)s.") % due]

    @property
    def statement(self) -> list[str]:
        """The one plain statement at the end of the page: the summary, then what still holds."""
        said = list(self.summary)
        if not self.about_booklet:
            return said
        if self.review_started_on:
            team = load_directory().service.team
            said.append(
                gettext("%(team)s started reviewing it on %(date)s.")
                % {"team": f"{team[:1].upper()}{team[1:]}", "date": _day(self.review_started_on)}
            )
        if self.numbers_checked:
            said.append(
                gettext("%(name)s (clinical approver) checked the phone numbers on %(date)s.")
                % {"name": self.numbers_checked.name, "date": _day(self.numbers_checked.on)}
            )
        if self.is_overdue and self.due_is_set:
            said.append(
                gettext("If anything here is different from what your own team told you, follow your team's advice.")
            )
        if self.last_changed_on:
            said.append(gettext("This page last changed on %(date)s.") % {"date": _day(self.last_changed_on)})
        return said


def combined(*reviews: Review) -> Review:
    """One page drawn from several sources is as old as its oldest part, and changed when any part did."""
    started = [review.review_started_on for review in reviews]
    numbers = [review.numbers_checked for review in reviews if review.numbers_checked]
    changed = [review.last_changed for review in reviews if review.last_changed]
    return Review(
        last_reviewed=min(review.last_reviewed for review in reviews),
        next_review_due=min(review.next_review_due for review in reviews),
        numbers_checked=min(numbers) if numbers else None,
        # Under review only if every part is: never claim more than was recorded.
        review_started_on=max(started) if all(started) else None,
        last_changed=max(changed) if changed else None,
        # Reviewed only if every part was.
        sign_offs=tuple(sorted({s for r in reviews for s in r.sign_offs}))
        if all(review.sign_offs for review in reviews)
        else (),
        added_advice=any(review.added_advice for review in reviews),
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
    """For the editors' dashboard: the later of the date in contacts.yaml and the date an approver recorded."""
    in_file = load_directory().review.numbers_checked
    record = (records if records is not None else recorded()).get(DataReview.CONTACTS)
    return max(filter(None, [in_file, record.numbers_checked_on if record else None]))


def numbers_check(records: dict[str, DataReview] | None = None) -> SignOff | None:
    """For pages: the phone numbers' check, only as a named approver recorded it in the admin."""
    record = (records if records is not None else recorded()).get(DataReview.CONTACTS)
    if record is None or not record.numbers_checked_on or not record.numbers_checked_by:
        return None
    if record.numbers_checked_on > timezone.localdate():
        return None
    return SignOff(record.numbers_checked_on, record.numbers_checked_by)


def data_review(data: str, dates: FileReview) -> Review:
    """The review of a page built from one data file (`DataReview.CONTACTS` or `DataReview.RULES`)."""
    records = recorded()
    record = records.get(data)
    last_reviewed, next_review_due = file_or_recorded_review(dates, record)
    signed = recorded_sign_off(record)
    return Review(
        last_reviewed=last_reviewed,
        next_review_due=next_review_due,
        numbers_checked=numbers_check(records),
        review_started_on=record.review_started_on if record else None,
        last_changed=record.changed_at if record else None,
        sign_offs=(signed,) if signed else (),
        # Both add to the booklet: the checker's rules combine its signs, with advice from NHS.UK it does
        # not give, and the contacts give NHS 111 and who to call now, which it does not either.
        added_advice=True,
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


def approved_now_in_git(files: dict[str, Path]) -> set[str]:
    """The data files whose text approved in the admin is now the file's text (read before `settle_approved`)."""
    rows = DataReview.objects.filter(data__in=list(files)).exclude(document="")
    return {row.data for row in rows if row.document.strip() == read_text(files[row.data]).strip()}


def record_release(files: dict[str, Path], released_by: str = "", approved: set[str] = frozenset()) -> list[str]:
    """Note which data files changed since the last release, and when; return their names.

    A release from git is not a clinical check. A file whose text changed loses its sign-off and the
    review dates an approver recorded for the old text, unless the new text is the one an approver
    approved in the admin (`approved`, its data names)."""
    released_by = released_by or release_label()
    changed = []
    for data, path in files.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        record, _ = DataReview.objects.get_or_create(data=data)
        if record.content_hash != digest:
            fields = ["content_hash", "changed_at"]
            if data not in approved:
                clear_sign_off(record)
                record.reviewed_on = record.next_review_due = None
                fields += ["checked_on", "checked_by", "approver_name", "reviewed_on", "next_review_due"]
            record.content_hash = digest
            record.changed_at = timezone.now()
            record.save(update_fields=fields)
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
