"""The editorial admin's forms: a section's draft, a data file's draft, approval, sending back and
marking as reviewed. Each class is built once, here; nothing about the person asking is stored on it."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django import forms
from django.utils import timezone

from itb_portal.booklet.loader import ContentError, parse_section_text
from itb_portal.booklet.models import Section

from . import workflow
from .documents import section_document, section_from_document

LABELS = {
    "slug": (
        "Web address",
        "The last part of the page's address, such as the-trial. Changing it keeps the old one working.",
    ),
    "is_published": ("Shown to patients", ""),
    "order": ("Position in the booklet", ""),
}


@dataclass(frozen=True)
class StaleDraft:
    """A save started from an older draft version than the open draft's: someone else saved since."""

    document: str
    seen: int
    current: int
    section: Section


class SectionDraftForm(forms.ModelForm):
    """A section's open draft, if it has one, else its published text; with the draft version and the
    published version the editor opened it on (optimistic concurrency: a save from an older one is
    refused, never written over).

    Checking refuses nothing silently and writes nothing: a stale save is named in `refusal` (a
    workflow.Moved, or a StaleDraft), and the admin records it for the person who asked."""

    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    published_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    opens_draft = True  # False when restoring an earlier version: the form then shows that version

    def __init__(self, *args, instance: Section | None = None, **kwargs):
        # None for a new section, or one recovered from its history (not in the database until saved).
        self.existing = Section.objects.filter(pk=instance.pk).first() if instance and instance.pk else None
        draft = workflow.open_draft(self.existing) if self.existing and self.opens_draft else None
        if draft is not None:
            # The editor carries on with the draft: the form edits a copy of the section holding its text.
            # Fields not on the form (whether it is shown, its review dates) come from the draft too.
            with suppress(ContentError):
                instance = section_from_document(draft.document, Section.objects.get(pk=instance.pk))
        super().__init__(*args, instance=instance, **kwargs)
        for name, (label, help_text) in LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = help_text or self.fields[name].help_text
        self.fields["draft_version"].initial = workflow.draft_version(self.instance.pk)
        if self.existing:
            self.fields["published_version"].initial = workflow.published_version(self.existing).number
        self.refusal: workflow.Moved | StaleDraft | None = None

    @property
    def moved(self) -> workflow.Moved | None:
        return self.refusal if isinstance(self.refusal, workflow.Moved) else None

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the editor's values
        if not self.existing or self.errors:
            return
        document = section_document(self.instance).replace("\r\n", "\n")
        moved = workflow.moved_since(document, self.cleaned_data.get("published_version"), section=self.existing)
        if moved is not None:
            self.refusal = moved
            self.add_error(None, str(moved))
            return
        seen = self.cleaned_data.get("draft_version") or 0
        current = workflow.draft_version(self.instance.pk)
        if seen != current:
            self.refusal = StaleDraft(document, seen, current, self.existing)
            # The form keeps the version it started from, so saving this text again is refused again.
            self.add_error(None, workflow.SAVED_SINCE)


class RestoredSectionForm(SectionDraftForm):
    """An earlier version of a section, from its history, to save as the draft."""

    opens_draft = False


def form_values(document: str) -> dict[str, str]:
    """A section document as the section form posts it (the fields an editor changes)."""
    try:
        parsed = parse_section_text(document, Path("a draft"))
    except ContentError:
        return {}
    fields = parsed.fields
    values = {name: str(fields[name]) for name in ("title", "summary", "order", "body") if name in fields}
    values["sources"] = str(fields.get("sources", ""))
    values["slug"] = parsed.slug
    return values


class VersionsForm(forms.Form):
    """The hidden versions a data file's form was opened on (no silent undo)."""

    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    published_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class DataDraftForm(VersionsForm):
    document = forms.CharField(
        label="The whole file (YAML, for advanced users)",
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        strip=False,
        help_text="It is checked as a release checks it; a problem is named and nothing is saved.",
    )
    field_order = ["document", "draft_version", "published_version"]


class ApprovalForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional: what you checked."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="Comment for the editor",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what should change. The editor sees it on the draft and on the page; "
        "the email only says there is a comment.",
    )


class MarkReviewedForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    next_review_due = forms.DateField(
        help_text="The date of the next review, after today (usually a year from now).",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm = forms.BooleanField(label="I have reviewed this clinically and it is correct.")

    def clean_next_review_due(self) -> date:
        value = self.cleaned_data["next_review_due"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The next review date must be after today.")
        return value
