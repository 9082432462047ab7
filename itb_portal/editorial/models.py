"""Drafts: an edit waits here, unseen by patients, until a clinical approver (not its author) approves it.

A draft holds a whole document, in the form content/ keeps it: a section as its file (front matter,
then Markdown), the contacts or the symptom rules as their whole YAML file. What patients see is
untouched until approval, so saving a draft never moves the content version and no page changes.
`version` counts saves: an editor's save names the version they started from, and a save from an
older one is refused (and kept), never written over another's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from itb_portal.booklet.models import Section


class Draft(models.Model):
    SECTION = "section"
    CONTACTS = "contacts"  # the same names as DataReview's
    RULES = "rules"
    KINDS = [(SECTION, "Booklet section"), (CONTACTS, "Contacts and phone numbers"), (RULES, "Symptom rules")]

    OPEN = "open"
    KEPT = "kept"
    APPROVED = "approved"
    STATUSES = [
        (OPEN, "Waiting for approval"),
        (KEPT, "Kept: refused because another editor saved first"),
        (APPROVED, "Approved and published"),
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
    version = models.PositiveIntegerField(default=1, help_text="How many times this draft has been saved.")
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
        return str(self.section) if self.kind == self.SECTION else self.get_kind_display().lower()


class ReviewDashboard(Draft):
    """No data of its own: the admin's "Review dashboard" page, listed on the admin's home page."""

    class Meta:
        proxy = True
        verbose_name = "review dashboard"
        verbose_name_plural = "review dashboard"
