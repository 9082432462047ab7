"""The rules of sign-off, apart from the admin that shows them.

- Saving an edit writes a draft, never the published section: patients see nothing new, and the
  content version does not move.
- A save names the draft version it started from. If someone saved since, the save is refused and its
  text kept as a draft of its own (status "kept"), so neither editor's work is lost.
- A draft remembers what patients saw when it was started. If that changes before approval (a release
  from git), approval is refused and the draft kept, so it never quietly undoes the release.
- Only a user with `editorial.approve_draft` (the "Clinical approver" group) approves, and never a draft
  they edited: it takes two people. Approval publishes, records who, when and a note, and is a
  revision in the history, so every published version stays restorable.
- Every step goes to the append-only audit log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet.loader import ContentError, parse_section_text
from itb_portal.booklet.markdown import render
from itb_portal.booklet.models import Section
from itb_portal.contacts.reviews import clear_sign_off, sign_off

from . import datadrafts
from .documents import section_document, section_from_document
from .models import Draft

APPROVE = "editorial.approve_draft"


class Refused(Exception):
    """A step the rules do not allow; the message says why, in words for the person who tried."""


class Invalid(Refused):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Not saved: " + "; ".join(problems))


class Conflict(Refused):
    def __init__(self, kept: Draft, current: int):
        self.kept, self.current = kept, current
        super().__init__(conflict_message(kept))


def conflict_message(kept: Draft) -> str:
    return (
        f"Not saved: another editor saved this draft after you opened it. Your text is kept as draft "
        f"#{kept.pk} (in Drafts), and theirs is the open draft. Reload this page to see the open draft, "
        f"bring in your changes from draft #{kept.pk}, and save again."
    )


def what(section: Section | None, kind: str = Draft.SECTION) -> str:
    """What the audit log says a step was about: a section, or a data file."""
    return f"section {section.slug}" if section else datadrafts.label(kind)


def open_draft(section: Section | int | None) -> Draft | None:
    if section is None:
        return None
    section_id = section if isinstance(section, int) else section.pk
    return Draft.objects.filter(section_id=section_id, status=Draft.OPEN).first() if section_id else None


def draft_version(section: Section | int | None) -> int:
    """The version an editor starts from: that of the open draft, or 0 when there is none."""
    draft = open_draft(section)
    return draft.version if draft else 0


def keep(document: str, user, seen: int, current: int, *, section: Section | None = None, kind=Draft.SECTION) -> Draft:
    """Keep a refused save as a draft of its own, so no one's text is lost."""
    kept = Draft.objects.create(kind=kind, section=section, document=document, status=Draft.KEPT, updated_by=user)
    kept.editors.add(user)
    record(
        AuditEntry.KEPT,
        what(section, kind),
        user,
        detail=f"started from draft version {seen}, but version {current} was saved meanwhile; "
        f"kept as draft #{kept.pk}",
    )
    return kept


def _save(document: str, user, seen: int, *, section: Section | None = None, kind=Draft.SECTION) -> Draft:
    """Write the open draft of a section or data file, or refuse (Conflict) a save started from an older one."""
    target = {"kind": kind, "section": section}
    subject = what(section, kind)
    conflict_with = None
    try:
        with transaction.atomic():
            draft = Draft.objects.select_for_update().filter(status=Draft.OPEN, **target).first()
            current = draft.version if draft else 0
            if seen != current:
                conflict_with = current
            elif draft is None:
                draft = Draft.objects.create(
                    document=document, base=published(section, kind), updated_by=user, **target
                )
            else:
                draft.document, draft.updated_by = document, user
                draft.version += 1
                draft.save()
            if conflict_with is None:
                draft.editors.add(user)
                record(AuditEntry.DRAFTED, subject, user, detail=f"draft #{draft.pk}, version {draft.version}")
    except IntegrityError:  # another editor's first save made the open draft a moment before this one
        found = Draft.objects.filter(status=Draft.OPEN, **target).first()
        conflict_with = found.version if found else 0
    if conflict_with is not None:
        # Kept outside the transaction above, so the refusal never takes the kept text with it.
        raise Conflict(keep(document, user, seen, conflict_with, **target), conflict_with)
    return draft


def published(section: Section | None, kind: str = Draft.SECTION) -> str:
    """What patients see now: a section (as saved, not as edited in a form) or a data file."""
    return section_document(section) if section else datadrafts.published_text(kind)


def _advice(kind: str, document: str):
    """What a document tells patients: a section's review dates move on by themselves (mark as reviewed)."""
    if kind != Draft.SECTION:
        return document
    try:
        fields = parse_section_text(document, Path("a draft's base")).fields
    except ContentError:
        return document
    return {name: value for name, value in fields.items() if name not in {"last_reviewed", "next_review_due"}}


def moved_on(draft: Draft, section: Section | None) -> bool:
    """True when what patients see (`section`, as saved, or the draft's data file) is no longer what they
    saw when `draft` was started."""
    if not draft.base:  # a draft started before drafts remembered this
        return False
    return _advice(draft.kind, draft.base) != _advice(draft.kind, published(section, draft.kind))


def save_draft(section: Section, user, seen: int) -> Draft:
    """Save `section`'s values (not saved themselves) as its open draft. Raises Conflict when `seen` is
    not the open draft's version."""
    document = section_document(section).replace("\r\n", "\n")  # as browsers send a textarea's lines
    return _save(document, user, seen, section=Section.objects.get(pk=section.pk))


def open_data_draft(kind: str) -> Draft | None:
    return Draft.objects.filter(kind=kind, status=Draft.OPEN).first()


def draft_version_of(kind: str) -> int:
    draft = open_data_draft(kind)
    return draft.version if draft else 0


def save_data_draft(kind: str, document: str, user, seen: int) -> Draft:
    """Save a whole contacts or rules file as its open draft. Raises Invalid when `release` would refuse
    the text (nothing is saved), Conflict as for a section."""
    document = document.replace("\r\n", "\n")
    found = datadrafts.problems(kind, document)
    if found:
        raise Invalid(found)
    return _save(document, user, seen, kind=kind)


def restore_data_version(approved: Draft, user) -> Draft:
    """An earlier published version of a data file becomes its draft again: live only once approved."""
    if approved.kind == Draft.SECTION or approved.status != Draft.APPROVED:
        raise Refused("Only a published version of a data file can be restored here.")
    if open_data_draft(approved.kind):
        raise Refused("A draft of this file is already waiting for approval: approve it, or bring this version in.")
    draft = _save(approved.document, user, 0, kind=approved.kind)
    record(
        AuditEntry.RESTORED, datadrafts.label(approved.kind), user, detail=f"draft #{approved.pk}, as draft #{draft.pk}"
    )
    return draft


def preview_section(draft: Draft) -> Section:
    """The section as it will be once `draft` is published: unsaved, with its HTML rendered."""
    section = section_from_document(draft.document, Section.objects.get(pk=draft.section_id))
    section.stored_html = render(section.body)
    section.is_published = True
    clear_sign_off(section)  # nobody has signed off the draft's text yet: the preview never says so
    return section


def approve(draft: Draft, user, note: str = "", seen: int | None = None) -> Section | None:
    """Publish `draft` (giving the section, or None for a data file). Raises Refused, saying why, when the
    rules do not allow it."""
    if not user.has_perm(APPROVE):
        raise Refused("Only a clinical approver can approve a draft.")
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.status != Draft.OPEN:
            raise Refused("This draft is not waiting for approval: it was approved already, or kept after a conflict.")
        if seen is not None and seen != draft.version:
            raise Refused(
                f"An editor saved this draft again (now version {draft.version}) after you opened it. "
                "Look at the changes again before approving."
            )
        if draft.editors.filter(pk=user.pk).exists():
            raise Refused(
                "You cannot approve a draft you edited: approval takes a second person. "
                "Ask another clinical approver to check it."
            )
        section = Section.objects.select_for_update().get(pk=draft.section_id) if draft.section_id else None
        if not moved_on(draft, section):
            return _publish(draft, section, user, note)
    # Kept outside the transaction above, as a refused save is, so the refusal keeps it.
    Draft.objects.filter(pk=draft.pk, status=Draft.OPEN).update(status=Draft.KEPT)
    record(
        AuditEntry.KEPT,
        what(draft.section, draft.kind),
        user,
        detail=f"draft #{draft.pk} was started before the published text changed (a release); not approved",
    )
    raise Refused(
        "What patients see has changed since this draft was started (a release from git, most likely). "
        "Approving it would quietly undo that change, so it is not approved. "
        f"Its text is kept as draft #{draft.pk}: its editor can bring it into a new draft of the current text."
    )


def _publish(draft: Draft, section: Section | None, user, note: str) -> Section | None:
    """Approval's second half, inside approve()'s transaction (`section` locked there), once every rule
    has allowed it."""
    if section is None:
        found = datadrafts.problems(draft.kind, draft.document)  # the data in use may have moved on
        if found:
            raise Refused("This draft cannot be published as it is: " + "; ".join(found))
        datadrafts.publish(draft, user, note)
        _close(draft, user, note)
        record(AuditEntry.APPROVED, datadrafts.label(draft.kind), user, detail=note or f"draft #{draft.pk}")
        return None
    review_dates = (section.last_reviewed, section.next_review_due)
    try:
        section_from_document(draft.document, section)
        section.full_clean()
    except (ContentError, ValidationError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise Refused("This draft cannot be published as it is: " + "; ".join(messages)) from error
    if review_dates[0] > section.last_reviewed:
        # Marked reviewed after the draft was started: the newer review stands.
        section.last_reviewed, section.next_review_due = review_dates
    section.edited_in_admin = True
    sign_off(section, user)  # the approver is named on the page, with today's date
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Approved by {user.get_username()}" + (f": {note}" if note else ""))
        section.save()
    _close(draft, user, note)
    record(AuditEntry.APPROVED, what(section), user, detail=note or f"draft #{draft.pk}, version {draft.version}")
    record(AuditEntry.PUBLISHED, what(section), user, detail=f"draft #{draft.pk}, version {draft.version}")
    return section


def _close(draft: Draft, user, note: str) -> None:
    draft.status, draft.approved_by, draft.approved_at, draft.approval_note = Draft.APPROVED, user, timezone.now(), note
    draft.save()


def mark_section_reviewed(section: Section, user, next_review_due: date) -> Section:
    """An approver confirms the section was reviewed today: new review dates, published at once (the
    text is unchanged, and the approver is the clinician signing it off)."""
    if not user.has_perm(APPROVE):
        raise Refused("Only a clinical approver can mark a section as reviewed.")
    today = timezone.localdate()
    if next_review_due <= today:
        raise Refused("The next review date must be after today.")
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section.pk)
        section.last_reviewed, section.next_review_due = today, next_review_due
        section.review_started_on = None
        sign_off(section, user)
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Marked reviewed by {user.get_username()}; next review {next_review_due:%d %b %Y}")
            section.save()
        record(AuditEntry.REVIEWED, what(section), user, detail=f"next review due {next_review_due.isoformat()}")
    return section
