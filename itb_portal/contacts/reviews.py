"""How current a page is, and who has signed it off: one plain statement at the end of every page and PDF.

A page says it was reviewed only when a named person with the clinical approver role recorded a sign-off in
the admin (`datafiles.signoff.sign_off`: approving a draft, or "Mark as reviewed"). Loading or releasing
content from git is not a clinical check: it records none, and a release that changes text clears the
sign-off of that text. Until a clinician signs a page off, it says plainly that it is based on the booklet
and has not been reviewed. The dates in a section's front matter and in each data file's `review` are the
booklet's: the edition the page is based on and when that booklet is due for review. A page that holds
advice added after the booklet (a section's `safety_additions`, a data file's) says so, so the booklet's
date never dates it. docs/sign-off-claims.md has this in full.

Every page ends with the statement (templates/partials/review_dates.html) and every printout starts
with its first sentences (partials/print_header.html). An editor also records in the admin when a
review has started (`DataFile`, `Section.review_started_on`), and an approver when they confirmed the phone
numbers: a page never says either unless someone recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

from itb_portal.datafiles import CONTACTS
from itb_portal.datafiles.models import DataFile
from itb_portal.datafiles.records import recorded
from itb_portal.datafiles.signoff import SignOff, recorded_sign_off

from .directory import ReviewDates, load_directory


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _month(value: date) -> str:
    return date_format(value, "F Y")


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class PageReview:
    """What one page says about its review and its sign-off (docs/glossary.md, "page review statement")."""

    last_reviewed: date  # the booklet's date, until an approver marks the page reviewed (then that day)
    next_review_due: date  # the booklet's review date, or the one the approver set
    numbers_confirmed: SignOff | None = None  # an approver confirmed every phone number (the admin)
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
    def signed_off_on(self) -> date | None:
        """The oldest clinical sign-off of what the page shows, or None while any part has none."""
        return min(self.sign_offs).on if self.sign_offs else None

    @property
    def due_is_set(self) -> bool:
        """A due date set before the last sign-off (the booklet's, on a page approved after it) dates nothing."""
        return not self.sign_offs or self.next_review_due > max(self.sign_offs).on

    @property
    def summary(self) -> list[str]:
        """Who signed the page off, or that nobody has yet, and when it is due for review: the sentences a
        printout puts at the top of every sheet."""
        return self.about("page")

    def about(self, noun: str) -> list[str]:
        """The summary, for a "page" or for one "section" of a printout."""
        if not self.about_booklet:
            return [
                f"This statement was last updated on {_day(self.last_reviewed)}.",
                f"Its next update {'was' if self.is_overdue else 'is'} due by {_day(self.next_review_due)}.",
            ]
        if not self.sign_offs:
            said = [f"This {noun} is based on our patient booklet of {_month(self.last_reviewed)}."]
            if self.added_advice:
                said.append("Some of its advice was added after the booklet.")
            said.append(f"A clinician has not yet reviewed this {noun}.")
            tense = "was" if self.is_overdue else "is"
            return [*said, f"The booklet {tense} due for review in {_month(self.next_review_due)}."]
        names = sorted({sign_off.by for sign_off in self.sign_offs})
        first, last = min(self.sign_offs).on, max(self.sign_offs).on
        role = "clinical approvers" if len(names) > 1 else "clinical approver"
        when = f"on {_day(first)}" if first == last else f"between {_day(first)} and {_day(last)}"
        said = [f"Reviewed by {_names(names)} ({role}) {when}."]
        if not self.due_is_set:
            return [*said, "No date is set for its next review."]
        if self.is_overdue:
            return [*said, f"This {noun} was due for another review on {_day(self.next_review_due)}."]
        return [*said, f"Next review due by {_day(self.next_review_due)}."]

    @property
    def statement(self) -> list[str]:
        """The one plain statement at the end of the page: the summary, then what still holds."""
        said = list(self.summary)
        if not self.about_booklet:
            return said
        if self.review_started_on:
            team = load_directory().service.team
            said.append(f"{team[:1].upper()}{team[1:]} started reviewing it on {_day(self.review_started_on)}.")
        if self.numbers_confirmed:
            said.append(
                f"{self.numbers_confirmed.by} (clinical approver) confirmed the phone numbers "
                f"on {_day(self.numbers_confirmed.on)}."
            )
        if self.is_overdue and self.due_is_set:
            said.append("If anything here is different from what your own team told you, follow your team's advice.")
        if self.last_changed_on:
            said.append(f"This page last changed on {_day(self.last_changed_on)}.")
        return said


def combined(*reviews: PageReview) -> PageReview:
    """One page drawn from several sources is as old as its oldest part, and changed when any part did."""
    started = [review.review_started_on for review in reviews]
    numbers = [review.numbers_confirmed for review in reviews if review.numbers_confirmed]
    changed = [review.last_changed for review in reviews if review.last_changed]
    return PageReview(
        last_reviewed=min(review.last_reviewed for review in reviews),
        next_review_due=min(review.next_review_due for review in reviews),
        numbers_confirmed=min(numbers) if numbers else None,
        # Under review only if every part is: never claim more than was recorded.
        review_started_on=max(started) if all(started) else None,
        last_changed=max(changed) if changed else None,
        # Reviewed only if every part was.
        sign_offs=tuple(sorted({s for r in reviews for s in r.sign_offs}))
        if all(review.sign_offs for review in reviews)
        else (),
        added_advice=any(review.added_advice for review in reviews),
    )


def numbers_confirmed_on(records: dict[str, DataFile] | None = None) -> date:
    """For the editors' dashboard: the later of the date in contacts.yaml and the date an approver recorded."""
    in_file = load_directory().review.numbers_confirmed
    record = (records if records is not None else recorded()).get(CONTACTS.name)
    return max(filter(None, [in_file, record.numbers_confirmed_on if record else None]))


def numbers_confirmed(records: dict[str, DataFile] | None = None) -> SignOff | None:
    """For pages: the phone numbers confirmed, only as a named approver recorded it in the admin."""
    record = (records if records is not None else recorded()).get(CONTACTS.name)
    if record is None or not record.numbers_confirmed_on or not record.numbers_confirmed_by:
        return None
    if record.numbers_confirmed_on > timezone.localdate():
        return None
    return SignOff(record.numbers_confirmed_on, record.numbers_confirmed_by)


def data_review(data: str, dates: ReviewDates) -> PageReview:
    """The review of a page built from one data file (the `name` of a `datafiles.DataFileKind`)."""
    records = recorded()
    record = records.get(data)
    last_reviewed, next_review_due = file_or_recorded_review(dates, record)
    signed = recorded_sign_off(record)
    return PageReview(
        last_reviewed=last_reviewed,
        next_review_due=next_review_due,
        numbers_confirmed=numbers_confirmed(records),
        review_started_on=record.review_started_on if record else None,
        last_changed=record.changed_at if record else None,
        sign_offs=(signed,) if signed else (),
        # Every data file adds to the booklet: the contacts give NHS 111 and who to call now, which it does
        # not, and the checker's data combines signs with advice from NHS.UK (docs/sign-off-claims.md).
        added_advice=True,
    )


def file_or_recorded_review(dates: ReviewDates, record: DataFile | None) -> tuple[date, date]:
    """The file's review dates, or those an approver recorded in the admin when that review is later."""
    if record and record.last_reviewed and record.next_review_due and record.last_reviewed > dates.last_reviewed:
        return record.last_reviewed, record.next_review_due
    return dates.last_reviewed, dates.next_review_due


def contacts_review() -> PageReview:
    return data_review(CONTACTS.name, load_directory().review)
