"""Drafts: an edit waits here, unseen by patients, until a clinical approver (not its author) approves it.

A draft holds a whole document, in the form content/ keeps it: a section as its file (front matter,
then Markdown), the contacts or the symptom rules as their whole YAML file. What patients see is
untouched until approval, so saving a draft never moves the content version and no page changes.

Two numbers guard against a silent undo, and both only ever go up:
- `version` counts saves of a section's or file's drafts (a new draft carries on from the last one's
  number): an editor's save names the version they started from, and a save from an older one is
  refused (and kept as a conflict copy), never written over another's.
- `base_version` is the published version (PublishedVersion) the editor's form was opened on. Once
  what patients see has moved on, a save or an approval from the older one is refused.

An open draft is being edited until its editor submits it (`submitted_at`); only then can it be
approved. An approver may send it back with a comment instead; an editor may discard it. Each step is
a DraftStep, shown as the draft's timeline, and a line in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from itb_portal.booklet.models import Section


class Draft(models.Model):
    SECTION = "section"
    CONTACTS = "contacts"  # the same names as DataFile's (a DataFileKind's name)
    RULES = "rules"
    KINDS = [(SECTION, "Booklet section"), (CONTACTS, "Contacts and opening hours"), (RULES, "Symptom checker rules")]

    OPEN = "open"
    CONFLICT = "conflict copy"
    APPROVED = "approved"
    DISCARDED = "discarded"
    STATUSES = [
        (OPEN, "Open"),
        (CONFLICT, "Conflict copy: refused because someone else saved first"),
        (APPROVED, "Approved and published"),
        (DISCARDED, "Discarded"),
    ]

    kind = models.CharField(max_length=20, choices=KINDS, default=SECTION)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="drafts", null=True, blank=True)
    document = models.TextField(help_text="The whole section or data file, as its file in content/ holds it.")
    base = models.TextField(
        blank=True,
        default="",
        help_text="What patients saw when the draft was started. Once that changes (a release from git), "
        "approval is refused, so the draft cannot quietly undo the change.",
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=OPEN, db_index=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves of this section's or file's drafts; it only ever goes up."
    )
    base_version = models.PositiveIntegerField(
        default=0, help_text="The published version the editor's form was opened on (0: not recorded)."
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an editor submitted it for approval; cleared by a new save or by sending it back.",
    )
    editors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("approve_draft", "Can approve a draft, so patients see it, and mark items reviewed")]
        constraints = [
            models.UniqueConstraint(fields=["section"], condition=Q(status="open"), name="one_open_draft_per_section"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status="open") & ~Q(kind="section"), name="one_open_draft_per_data_file"
            ),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.subject} ({self.get_status_display().lower()}, version {self.version})"

    @property
    def subject(self) -> str:
        return str(self.section) if self.kind == self.SECTION else self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN

    @property
    def is_submitted(self) -> bool:
        return self.status == self.OPEN and self.submitted_at is not None

    @property
    def state(self) -> str:
        """Where the draft stands, in the words its editor and approver use."""
        if self.status != self.OPEN:
            return self.get_status_display()
        if self.submitted_at:
            return "Waiting for approval"
        sent_back = self.last_step(DraftStep.SENT_BACK)
        return (
            "Sent back to the editor"
            if sent_back and not self.last_step(DraftStep.SAVED, after=sent_back)
            else "Being edited"
        )

    def last_step(self, step: str, after: DraftStep | None = None) -> DraftStep | None:
        found = self.steps.filter(step=step)
        if after is not None:
            found = found.filter(pk__gt=after.pk)
        return found.order_by("-pk").first()

    @property
    def sent_back_comment(self) -> str:
        """The approver's comment while the draft is sent back and not yet saved again; else ""."""
        if self.status != self.OPEN or self.submitted_at:
            return ""
        sent_back = self.last_step(DraftStep.SENT_BACK)
        return sent_back.note if sent_back and not self.last_step(DraftStep.SAVED, after=sent_back) else ""


class DraftStep(models.Model):
    """One step in a draft's life, shown as its timeline (the audit log holds the same steps, for everything)."""

    SAVED = "saved"
    SUBMITTED = "submitted"
    SENT_BACK = "sent back"
    APPROVED = "approved"
    REFUSED = "approval refused"
    DISCARDED = "discarded"
    CONFLICT = "conflict copy"
    STEPS = [(step, step) for step in (SAVED, SUBMITTED, SENT_BACK, APPROVED, REFUSED, DISCARDED, CONFLICT)]
    WORDS = {
        SAVED: "Saved",
        SUBMITTED: "Submitted for approval",
        SENT_BACK: "Sent back",
        APPROVED: "Approved and published",
        REFUSED: "Approval refused",
        DISCARDED: "Discarded",
        CONFLICT: "Conflict copy",
    }

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(auto_now_add=True)
    who = models.CharField(max_length=150)
    step = models.CharField(max_length=30, choices=STEPS)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.words} by {self.who}"

    @property
    def words(self) -> str:
        return self.WORDS.get(self.step, self.step)


class PublishedVersion(models.Model):
    """Each text patients have been shown of a section or data file, numbered from 1; numbers only go up.

    A new row is written when an approval publishes, and when a release from git is first noticed
    (workflow.published_version), so an editor's form can name the version it was opened on."""

    subject = models.CharField(max_length=40, help_text='"section:<id>", "contacts" or "rules".')
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    document = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["subject", "-number"]
        constraints = [models.UniqueConstraint(fields=["subject", "number"], name="one_number_per_published_version")]

    def __str__(self) -> str:
        return f"{self.subject} version {self.number}"


class ReviewsDue(Draft):
    """No data of its own: the admin's "Reviews due" page, listed on the admin's home page."""

    class Meta:
        proxy = True
        verbose_name = "reviews due"
        verbose_name_plural = "reviews due"
