"""The rules of sign-off, apart from the admin that shows them.

- Saving an edit writes a draft, never the published section: patients see nothing new, and the
  content version does not move.
- An editor's form names the published version it was opened on (a hidden field). If what patients
  see has moved on since (another draft approved, or a release from git), the save is refused: the
  editor is shown both texts, and may carry their change over onto the current one. Published
  version numbers, and draft version numbers, only ever go up.
- A save names the draft version it started from. If someone saved since, the save is refused and its
  text kept as a conflict copy (a draft of its own, status `Draft.CONFLICT`), so neither editor's work is lost.
- A draft is being edited until its editor submits it for approval; saving it again takes it back
  (it must be submitted again). An approver approves it, or sends it back with a comment its editor
  sees; an editor may discard it (the row stays, marked discarded).
- A draft remembers what patients saw when it was started. If that changes before approval (a release
  from git), approval is refused and the draft becomes a conflict copy, so it never quietly undoes the release.
- Only a user with `editorial.approve_draft` (the "Clinical approver" group) approves, and never a draft
  they edited: it takes two people. Approval publishes, records who, when and a note, and is a
  revision in the history, so every published version stays restorable.
- Every step, refused approvals included, goes to the append-only audit log and the draft's timeline.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet.loader import ContentError, parse_section_text
from itb_portal.booklet.markdown import render
from itb_portal.booklet.models import Section
from itb_portal.datafiles import DATA_FILES
from itb_portal.datafiles.signoff import clear_sign_off, sign_off

from . import datadrafts, notify
from .documents import merge, section_document, section_from_document
from .models import Draft, DraftStep, PublishedVersion

APPROVE = "editorial.approve_draft"
EDIT = "booklet.change_section"


class Refused(Exception):
    """A step the rules do not allow; the message says why, in words for the person who tried."""


class Invalid(Refused):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Not saved: " + "; ".join(problems))


class Conflict(Refused):
    def __init__(self, conflict_copy: Draft, current: int):
        self.conflict_copy, self.current = conflict_copy, current
        super().__init__(conflict_message(conflict_copy))


class Moved(Refused):
    """A save from a form opened on a published version that has since moved on (no silent undo)."""

    def __init__(self, seen: PublishedVersion | None, current: PublishedVersion, yours: str, seen_number: int = 0):
        self.seen, self.current, self.yours = seen, current, yours
        self.seen_number = seen.number if seen else seen_number
        self.carried = merge(seen.document, yours, current.document) if seen else None
        super().__init__(
            f"Not saved: what patients see has changed since you opened this page (it was version "
            f"{seen.number if seen else 'unknown'}, it is now version {current.number}). Saving your text would "
            "quietly undo that change. Compare the two texts below, then carry your change over and save again."
        )


SAVED_SINCE = "Not saved: another editor saved this draft after you opened it."


def conflict_copy_note(conflict_copy: Draft) -> str:
    return (
        f"Your text is kept as a conflict copy, draft #{conflict_copy.pk} (in Drafts), and theirs is the open "
        f"draft. Reload this page to see the open draft, bring in your changes from draft #{conflict_copy.pk}, "
        "and save again."
    )


def conflict_message(conflict_copy: Draft) -> str:
    return f"{SAVED_SINCE} {conflict_copy_note(conflict_copy)}"


def what(section: Section | None, kind: str = Draft.SECTION) -> str:
    """What the audit log says a step was about: a section, or a data file."""
    return f"section {section.slug}" if section else datadrafts.label(kind)


def subject_key(section: Section | int | None, kind: str = Draft.SECTION) -> str:
    if kind != Draft.SECTION:
        return kind
    return f"section:{section if isinstance(section, int) else section.pk}"


def fingerprint(kind: str, document: str) -> str:
    """What a published text tells patients, as a hash: a section's review dates are left out, as they move
    on by themselves (mark as reviewed) and undo nobody's edit."""
    return hashlib.sha256(repr(_advice(kind, document.replace("\r\n", "\n").strip())).encode()).hexdigest()


def published_version(
    section: Section | int | None = None, kind: str = Draft.SECTION, source: str = ""
) -> PublishedVersion:
    """The version patients see now, numbered: a text not seen before (an approval, or a release from git
    noticed now) gets the next number."""
    if kind == Draft.SECTION:  # as saved, never as edited in a form or held by a caller
        section = Section.objects.get(pk=section if isinstance(section, int) else section.pk)
    text = published(section, kind)
    mark, key = fingerprint(kind, text), subject_key(section, kind)
    for _ in range(3):  # another request may number the same text a moment before this one
        latest = PublishedVersion.objects.filter(subject=key).order_by("-number").first()
        if latest and latest.fingerprint == mark:
            return latest
        try:
            with transaction.atomic():
                return PublishedVersion.objects.create(
                    subject=key,
                    number=(latest.number if latest else 0) + 1,
                    fingerprint=mark,
                    document=text,
                    source=source or "a release from git, or the first time it was opened here",
                )
        except IntegrityError:
            continue
    return PublishedVersion.objects.filter(subject=key).order_by("-number").first()


def seen_version(section: Section | None, kind: str, number: int) -> PublishedVersion | None:
    return PublishedVersion.objects.filter(subject=subject_key(section, kind), number=number).first()


def next_draft_version(section: Section | None, kind: str) -> int:
    """Draft versions carry on from the last draft of the same section or file: they never go back to 1."""
    drafts = Draft.objects.filter(section=section) if section else Draft.objects.filter(kind=kind)
    return (drafts.aggregate(models_max=Max("version"))["models_max"] or 0) + 1


def step(draft: Draft, user, name: str, note: str = "") -> None:
    who = user if isinstance(user, str) else user.get_username()
    DraftStep.objects.create(draft=draft, who=who, step=name, note=note)


def open_draft(section: Section | int | None) -> Draft | None:
    if section is None:
        return None
    section_id = section if isinstance(section, int) else section.pk
    return Draft.objects.filter(section_id=section_id, status=Draft.OPEN).first() if section_id else None


def draft_version(section: Section | int | None) -> int:
    """The version an editor starts from: that of the open draft, or 0 when there is none."""
    draft = open_draft(section)
    return draft.version if draft else 0


def save_conflict_copy(
    document: str, user, seen: int, current: int, *, section: Section | None = None, kind=Draft.SECTION
) -> Draft:
    """Keep a refused save as a conflict copy, a draft of its own, so no one's text is lost."""
    copy = Draft.objects.create(
        kind=kind,
        section=section,
        document=document,
        status=Draft.CONFLICT,
        updated_by=user,
        version=next_draft_version(section, kind),
    )
    copy.editors.add(user)
    step(copy, user, DraftStep.CONFLICT, f"refused: started from draft version {seen}, but version {current} was saved")
    record(
        AuditEntry.CONFLICT,
        what(section, kind),
        user,
        detail=f"started from draft version {seen}, but version {current} was saved meanwhile; "
        f"conflict copy saved as draft #{copy.pk}",
    )
    return copy


def moved_since(
    document: str, seen_published: int | None, *, section: Section | None = None, kind=Draft.SECTION
) -> Moved | None:
    """The refusal (Moved) for a save from a form opened on a published version that has moved on
    since, or None. Records nothing: `refuse_moved` does, once the refusal is shown."""
    current = published_version(section, kind)
    if seen_published is None or seen_published == current.number:
        return None
    return Moved(seen_version(section, kind, seen_published), current, document, seen_published)


def record_moved(moved: Moved, user, *, section: Section | None = None, kind=Draft.SECTION) -> None:
    """The audit log's entry for a save refused because what patients see moved on."""
    record(
        AuditEntry.CONFLICT,
        what(section, kind),
        user,
        detail=f"refused: the form was opened on published version {moved.seen_number}, "
        f"now version {moved.current.number}",
    )


def check_published(
    document: str, user, seen_published: int | None, *, section: Section | None = None, kind=Draft.SECTION
) -> PublishedVersion:
    """Refuse (Moved) a save from a form opened on a published version that has moved on since."""
    moved = moved_since(document, seen_published, section=section, kind=kind)
    if moved is None:
        return published_version(section, kind)
    record_moved(moved, user, section=section, kind=kind)
    raise moved


def _save(
    document: str,
    user,
    seen: int,
    *,
    section: Section | None = None,
    kind=Draft.SECTION,
    seen_published: int | None = None,
) -> Draft:
    """Write the open draft of a section or data file, or refuse (Conflict) a save started from an older
    draft, or (Moved) from an older published version."""
    target = {"kind": kind, "section": section}
    subject = what(section, kind)
    conflict_with, moved_meanwhile = None, False
    current_published = check_published(document, user, seen_published, section=section, kind=kind)
    try:
        with transaction.atomic():
            draft = Draft.objects.select_for_update().filter(status=Draft.OPEN, **target).first()
            current = draft.version if draft else 0
            if seen != current:
                conflict_with = current
            elif draft is None and fingerprint(kind, base := published(section, kind)) != current_published.fingerprint:
                moved_meanwhile = True  # published a moment after the check above
            elif draft is None:
                draft = Draft.objects.create(
                    document=document,
                    base=base,
                    base_version=current_published.number,
                    updated_by=user,
                    version=next_draft_version(section, kind),
                    **target,
                )
            else:
                draft.document, draft.updated_by, draft.submitted_at = document, user, None
                draft.version = next_draft_version(section, kind)
                draft.save()
            if conflict_with is None and not moved_meanwhile:
                draft.editors.add(user)
                step(draft, user, DraftStep.SAVED, f"version {draft.version}")
                record(AuditEntry.DRAFTED, subject, user, detail=f"draft #{draft.pk}, version {draft.version}")
    except IntegrityError:  # another editor's first save made the open draft a moment before this one
        found = Draft.objects.filter(status=Draft.OPEN, **target).first()
        conflict_with = found.version if found else 0
    if moved_meanwhile:
        raise Moved(current_published, published_version(section, kind), document)
    if conflict_with is not None:
        # Saved outside the transaction above, so the refusal never takes the conflict copy with it.
        raise Conflict(save_conflict_copy(document, user, seen, conflict_with, **target), conflict_with)
    return draft


def unapproved_sections():
    """Sections whose row holds text nobody approved: made (or recovered) in the admin, never approved. A
    section from content/ was approved by its release; one edited in the admin, by its approved draft."""
    approved = Draft.objects.filter(status=Draft.APPROVED, section__isnull=False).values("section_id")
    return Section.objects.filter(edited_in_admin=True).exclude(pk__in=approved)


def approved_sections():
    return Section.objects.exclude(pk__in=unapproved_sections().values("pk"))


def published(section: Section | None, kind: str = Draft.SECTION) -> str:
    """What patients see now: a section (as saved, not as edited in a form) or a data file."""
    return section_document(section) if section else DATA_FILES[kind].text_in_use()


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


def save_draft(
    section: Section, user, seen: int, seen_published: int | None = None, *, document: str | None = None
) -> Draft:
    """Save `section`'s values (not saved themselves), or `document` if given, as its open draft. Raises
    Conflict when `seen` is not the open draft's version, Moved when `seen_published` is not the published
    version."""
    document = (document or section_document(section)).replace("\r\n", "\n")  # lines as browsers send them
    return _save(document, user, seen, section=Section.objects.get(pk=section.pk), seen_published=seen_published)


def set_shown(section: Section, shown: bool, user, seen: int, seen_published: int | None) -> Draft:
    """A draft that takes the section off the site (`shown` False) or puts it back, its text kept (from the
    open draft if there is one). Like any draft it changes nothing until submitted and approved."""
    draft = open_draft(section)
    current = section_from_document(draft.document, Section.objects.get(pk=section.pk)) if draft else section
    current.is_published = shown
    return save_draft(current, user, seen, seen_published)


def open_data_draft(kind: str) -> Draft | None:
    return Draft.objects.filter(kind=kind, status=Draft.OPEN).first()


def draft_version_of(kind: str) -> int:
    draft = open_data_draft(kind)
    return draft.version if draft else 0


def save_data_draft(kind: str, document: str, user, seen: int, seen_published: int | None = None) -> Draft:
    """Save a whole contacts or rules file as its open draft. Raises Invalid when `release` would refuse
    the text (nothing is saved), Conflict and Moved as for a section."""
    document = document.replace("\r\n", "\n")
    found = datadrafts.problems(kind, document)
    if found:
        raise Invalid(found)
    return _save(document, user, seen, kind=kind, seen_published=seen_published)


def restore_data_version(approved: Draft, user) -> Draft:
    """An earlier published version of a data file becomes its draft again: live only once approved."""
    if approved.kind == Draft.SECTION or approved.status != Draft.APPROVED:
        raise Refused("Only a published version of a data file can be restored here.")
    if open_data_draft(approved.kind):
        raise Refused("A draft of this file is already waiting for approval: approve it, or bring this version in.")
    draft = _save(approved.document, user, 0, kind=approved.kind)  # restoring is meant to replace what is live
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


def submit(draft: Draft, user, request=None) -> Draft:
    """The editor says the draft is ready: approvers are emailed, and it can now be approved."""
    if not user.has_perm(EDIT):
        raise Refused("Only an editor can submit a draft for approval.")
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.status != Draft.OPEN:
            raise Refused("This draft is no longer open: it was approved, discarded or made a conflict copy.")
        if draft.submitted_at:
            raise Refused("This draft is already waiting for approval.")
        draft.submitted_at = timezone.now()
        draft.save(update_fields=["submitted_at"])
        step(draft, user, DraftStep.SUBMITTED, f"version {draft.version}")
        record(
            AuditEntry.SUBMITTED,
            what(draft.section, draft.kind),
            user,
            detail=f"draft #{draft.pk}, version {draft.version}",
        )
    notify.submitted(draft, user, request)
    return draft


def send_back(draft: Draft, user, comment: str, request=None) -> Draft:
    """An approver returns a submitted draft to its editor, with a comment saying what to change."""
    comment = comment.strip()
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if not user.has_perm(APPROVE):
            raise Refused("Only a clinical approver can send a draft back.")
        if not comment:
            raise Refused("Say what should change: the editor sees your comment.")
        if not draft.is_submitted:
            raise Refused("This draft is not waiting for approval, so it cannot be sent back.")
        if draft.editors.filter(pk=user.pk).exists():
            raise Refused("You edited this draft: another clinical approver checks it.")
        draft.submitted_at = None
        draft.save(update_fields=["submitted_at"])
        step(draft, user, DraftStep.SENT_BACK, comment)
        record(AuditEntry.SENT_BACK, what(draft.section, draft.kind), user, detail=f"draft #{draft.pk}: {comment}")
    notify.sent_back(draft, user, request)
    return draft


def discard(draft: Draft, user) -> Draft:
    """An editor gives up a draft. Nothing is deleted: it stays in Drafts, marked discarded."""
    if not user.has_perm(EDIT):
        raise Refused("Only an editor can discard a draft.")
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.status != Draft.OPEN:
            raise Refused("This draft is no longer open: it was approved, discarded or made a conflict copy.")
        draft.status, draft.submitted_at = Draft.DISCARDED, None
        draft.save(update_fields=["status", "submitted_at"])
        step(draft, user, DraftStep.DISCARDED)
        record(
            AuditEntry.DISCARDED,
            what(draft.section, draft.kind),
            user,
            detail=f"draft #{draft.pk}, version {draft.version}",
        )
    return draft


def approve(draft: Draft, user, note: str = "", seen: int | None = None, request=None) -> Section | None:
    """Publish `draft` (giving the section, or None for a data file). Raises Refused, saying why, when the
    rules do not allow it; a refusal is audited, and shown on the draft's timeline."""
    try:
        published_section = _approve(draft, user, note, seen)
    except Refused as refused:
        step(draft, user, DraftStep.REFUSED, str(refused))
        record(AuditEntry.REFUSED, what(draft.section, draft.kind), user, detail=f"draft #{draft.pk}: {refused}")
        raise
    notify.approved(Draft.objects.get(pk=draft.pk), user, request)
    return published_section


def _approve(draft: Draft, user, note: str, seen: int | None) -> Section | None:
    if not user.has_perm(APPROVE):
        raise Refused("Only a clinical approver can approve a draft.")
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.status != Draft.OPEN:
            raise Refused("This draft is not waiting for approval: it was approved already, or made a conflict copy.")
        if not draft.submitted_at:
            raise Refused("This draft has not been submitted for approval: its editor may still be working on it.")
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
    # Outside the transaction above, as a refused save's conflict copy is, so the refusal keeps it.
    Draft.objects.filter(pk=draft.pk, status=Draft.OPEN).update(status=Draft.CONFLICT, submitted_at=None)
    record(
        AuditEntry.CONFLICT,
        what(draft.section, draft.kind),
        user,
        detail=f"draft #{draft.pk} was started before the published text changed (a release); not approved",
    )
    raise Refused(
        "What patients see has changed since this draft was started (a release from git, most likely). "
        "Approving it would quietly undo that change, so it is not approved. "
        f"Its text is kept as a conflict copy, draft #{draft.pk}: its editor can bring it into a new draft "
        "of the current text."
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
        published_version(None, draft.kind, source=f"approved by {user.get_username()}, draft #{draft.pk}")
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
    published_version(section, source=f"approved by {user.get_username()}, draft #{draft.pk}")
    return section


def _close(draft: Draft, user, note: str) -> None:
    draft.status, draft.approved_by, draft.approved_at, draft.approval_note = Draft.APPROVED, user, timezone.now(), note
    draft.save()
    step(draft, user, DraftStep.APPROVED, note)


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
