"""What the review dashboard lists: every section, the contacts file and the rules file, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet import blocks
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import contacts_path, load_directory
from itb_portal.contacts.models import DataReview
from itb_portal.contacts.reviews import file_or_recorded_review, numbers_checked_on, sign_off
from itb_portal.symptoms.rules import load_rules, rules_path

from . import workflow
from .models import Draft


@dataclass(frozen=True)
class Item:
    key: str  # "section:<pk>" or "data:contacts" / "data:rules"
    kind: str
    name: str
    last_reviewed: date
    next_review_due: date
    numbers_checked_on: date | None  # None where the item shows no phone numbers
    checked_on: date | None
    checked_by: str
    open_draft: Draft | None = None
    change_url: str = ""
    can_mark_reviewed: bool = True
    note: str = ""  # what else an approver should know, such as approved text not yet in git

    @property
    def last_approved(self) -> str:
        """The last clinical approval in words: a release by its date and version, or an approver's name."""
        if not self.checked_on:
            return "Never"
        if self.checked_by.startswith("git "):
            return f"The release of {self.checked_on:%-d %b %Y} (version {self.checked_by[4:11]})"
        if self.checked_by.startswith("release"):
            return f"The release of {self.checked_on:%-d %b %Y}"
        return f"{self.checked_on:%-d %b %Y} by {self.checked_by}"

    @property
    def is_overdue(self) -> bool:
        return self.next_review_due < timezone.localdate()


def items() -> list[Item]:
    """Overdue items first, then the rest; each group by the soonest review date."""
    drafts = {draft.section_id: draft for draft in Draft.objects.filter(status=Draft.OPEN, kind=Draft.SECTION)}
    numbers = numbers_checked_on()
    found = [
        Item(
            key=f"section:{section.pk}",
            kind="Booklet section",
            name=section.title,
            last_reviewed=section.last_reviewed,
            next_review_due=section.next_review_due,
            numbers_checked_on=numbers if "contacts" in blocks.data_used(section.body) else None,
            checked_on=section.checked_on,
            checked_by=section.checked_by,
            open_draft=drafts.get(section.pk),
            change_url=reverse("admin:booklet_section_change", args=[section.pk]),
        )
        for section in Section.objects.order_by("order", "title")
    ]
    records = {row.data: row for row in DataReview.objects.all()}
    for data, name, review, numbers_on in (
        (DataReview.CONTACTS, "Contacts and opening hours", load_directory().review, numbers),
        (DataReview.RULES, "Symptom checker rules", load_rules().review, None),
    ):
        row = records.get(data)
        last_reviewed, next_review_due = file_or_recorded_review(review, row)
        draft = Draft.objects.filter(kind=data, status=Draft.OPEN).first()
        found.append(
            Item(
                key=f"data:{data}",
                kind=f"Data file ({(contacts_path() if data == DataReview.CONTACTS else rules_path()).name})",
                name=name,
                last_reviewed=last_reviewed,
                next_review_due=next_review_due,
                numbers_checked_on=numbers_on,
                checked_on=row.checked_on if row else None,
                checked_by=row.checked_by if row else "",
                open_draft=draft,
                change_url=reverse("admin:editorial_draft_data", args=[data]),
                note="In use: text approved in the admin, not yet in git (make export-content)."
                if row and row.document
                else "",
            )
        )
    return sorted(found, key=lambda item: (not item.is_overdue, item.next_review_due, item.name))


def find(key: str) -> Item | None:
    return next((item for item in items() if item.key == key), None)


def mark_reviewed(item: Item, user, next_review_due: date) -> None:
    """Record an approver's confirmed review: new dates on the pages, and in the audit log."""
    kind, _, ident = item.key.partition(":")
    if kind == "section":
        workflow.mark_section_reviewed(Section.objects.get(pk=int(ident)), user, next_review_due)
        return
    if not user.has_perm(workflow.APPROVE):
        raise workflow.Refused("Only a clinical approver can mark a file as reviewed.")
    today = timezone.localdate()
    if next_review_due <= today:
        raise workflow.Refused("The next review date must be after today.")
    with transaction.atomic():
        row, _ = DataReview.objects.get_or_create(data=ident)
        row.reviewed_on, row.next_review_due, row.review_started_on = today, next_review_due, None
        sign_off(row, user)
        row.save()
        record(AuditEntry.REVIEWED, item.name, user, detail=f"next review due {next_review_due.isoformat()}")
