"""What the reviews due page lists: every section, the contacts file and the rules file, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet import blocks
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import file_or_recorded_review, numbers_confirmed_on
from itb_portal.datafiles import CONTACTS, RULES
from itb_portal.datafiles.models import DataFile
from itb_portal.datafiles.signoff import sign_off
from itb_portal.symptoms.rules import load_rules

from . import workflow
from .models import Draft


@dataclass(frozen=True)
class Item:
    key: str  # "section:<pk>" or "data:contacts" / "data:rules"
    kind: str
    name: str
    last_reviewed: date
    next_review_due: date
    numbers_confirmed_on: date | None  # None where the item shows no phone numbers
    signed_off_on: date | None
    signed_off_by: str
    open_draft: Draft | None = None
    change_url: str = ""
    can_mark_reviewed: bool = True
    note: str = ""  # what else an approver should know, such as approved text not yet in git

    @property
    def last_approved(self) -> str:
        """The last clinical approval in words: a release by its date and version, or an approver's name."""
        if not self.signed_off_on:
            return "Never"
        if self.signed_off_by.startswith("git "):
            return f"The release of {self.signed_off_on:%-d %b %Y} (version {self.signed_off_by[4:11]})"
        if self.signed_off_by.startswith("release"):
            return f"The release of {self.signed_off_on:%-d %b %Y}"
        return f"{self.signed_off_on:%-d %b %Y} by {self.signed_off_by}"

    @property
    def is_overdue(self) -> bool:
        return self.next_review_due < timezone.localdate()


def items() -> list[Item]:
    """Overdue items first, then the rest; each group by the soonest review date."""
    drafts = {draft.section_id: draft for draft in Draft.objects.filter(status=Draft.OPEN, kind=Draft.SECTION)}
    numbers = numbers_confirmed_on()
    found = [
        Item(
            key=f"section:{section.pk}",
            kind="Booklet section",
            name=section.title,
            last_reviewed=section.last_reviewed,
            next_review_due=section.next_review_due,
            numbers_confirmed_on=numbers if "contacts" in blocks.data_used(section.body) else None,
            signed_off_on=section.signed_off_on,
            signed_off_by=section.signed_off_by,
            open_draft=drafts.get(section.pk),
            change_url=reverse("admin:booklet_section_change", args=[section.pk]),
        )
        for section in Section.objects.order_by("order", "title")
    ]
    records = {row.data: row for row in DataFile.objects.all()}
    for file, review, numbers_on in ((CONTACTS, load_directory().review, numbers), (RULES, load_rules().review, None)):
        data = file.name
        row = records.get(data)
        last_reviewed, next_review_due = file_or_recorded_review(review, row)
        draft = Draft.objects.filter(kind=data, status=Draft.OPEN).first()
        found.append(
            Item(
                key=f"data:{data}",
                kind=f"Data file ({file.path().name})",
                name=file.title,
                last_reviewed=last_reviewed,
                next_review_due=next_review_due,
                numbers_confirmed_on=numbers_on,
                signed_off_on=row.signed_off_on if row else None,
                signed_off_by=row.signed_off_by if row else "",
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
        row, _ = DataFile.objects.get_or_create(data=ident)
        row.last_reviewed, row.next_review_due, row.review_started_on = today, next_review_due, None
        sign_off(row, user)
        row.save()
        record(AuditEntry.REVIEWED, item.name, user, detail=f"next review due {next_review_due.isoformat()}")
