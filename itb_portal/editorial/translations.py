"""Sign-off of translations: the same two-person approval as any draft, naming the translation reviewer.

- A translation of a section is a draft like any other (workflow.py): an editor saves and submits it, and a
  clinical approver who did not edit it approves it. Approving a translation also names its translation
  reviewer, the person (from the trust's interpreting and translation service, or a bilingual clinician)
  who compared it with the English. Without that name it is not approved. The name goes on the section,
  in the approval's note, on the draft's timeline and in the audit log.
- A page shows a translation only while that sign-off stands (booklet/translations.py): new text, or a
  new English text version, needs a new approval naming a translation reviewer again.
- A language line (content/languages.yaml) is signed off here too: a clinical approver records that its
  text, as it is in git now, was compared with the English by a named translation reviewer. A changed
  text needs a new sign-off before it shows.
There is no machine translation anywhere: every word shown in another language was written by people.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet import translations as booklet_translations
from itb_portal.booklet.loader import ContentError, parse_section_text
from itb_portal.booklet.models import LanguageLineSignOff, Section
from itb_portal.datafiles.signoff import approver_name

from . import workflow
from .models import Draft, DraftStep

NAME_THE_REVIEWER = (
    "Name the translation reviewer: the person who compared this translation with the English. "
    "A translation is shown to patients only with their name on record."
)


def is_translation(draft: Draft) -> bool:
    return draft.kind == Draft.SECTION and draft.section is not None and not draft.section.is_english


def approve(
    draft: Draft, user, note: str = "", seen: int | None = None, request=None, translation_reviewer: str = ""
) -> Section | None:
    """workflow.approve; for a translation, only with its translation reviewer named, who is then recorded."""
    if not is_translation(draft):
        return workflow.approve(draft, user, note, seen, request)
    name = " ".join(translation_reviewer.split())
    if not name:
        workflow.step(draft, user, DraftStep.REFUSED, NAME_THE_REVIEWER)
        record(AuditEntry.REFUSED, workflow.what(draft.section), user, detail=f"draft #{draft.pk}: {NAME_THE_REVIEWER}")
        raise workflow.Refused(NAME_THE_REVIEWER)
    named = f"Translation reviewer: {name}."
    section = workflow.approve(draft, user, f"{note.strip()} {named}".strip(), seen, request)
    # Until this save the translation has a sign-off but no translation reviewer, so no page shows it: a
    # failure here leaves it unseen, never shown unreviewed.
    section = Section.objects.get(pk=section.pk)
    section.translation_reviewer = name
    section.save(update_fields=["translation_reviewer", "stored_html", "updated_at"])
    return section


def approval_context(draft: Draft) -> dict:
    """What the approval page says about a translation: its language, its English section and whether the
    translation was made from the English text patients read now."""
    if not is_translation(draft):
        return {}
    english = draft.section.translation_of
    made_from = fields_of_translation(draft.document)
    return {
        "translation": {
            "language": booklet_translations.load_languages().get(draft.section.language).english_name,
            "english": english,
            "made_from": made_from,
            "english_now": english.text_version,
            "out_of_date": made_from != english.text_version,
        }
    }


def fields_of_translation(document: str) -> str:
    """The English text version a translation draft says it was made from ("" if it says none)."""
    try:
        return parse_section_text(document, Path("a translation's draft")).fields.get("translated_from", "")
    except ContentError:
        return ""


# --- Language lines ---------------------------------------------------------------------------------------


def line_choices() -> list[tuple[str, str]]:
    """Each language line written in content/languages.yaml and not yet signed off, with its text."""
    choices = []
    for language in booklet_translations.load_languages().by_code.values():
        for line, label in LanguageLineSignOff.LINES:
            text = language.lines.get(line, "")
            if text and not booklet_translations.line_signed_off(language, line):
                choices.append((f"{language.code}:{line}", f"{language.english_name}, {label.lower()}: “{text}”"))
    return choices


def sign_off_line(code: str, line: str, user, translation_reviewer: str) -> LanguageLineSignOff:
    """A clinical approver signs off a language line's text as it is in git now, naming its translation reviewer."""
    if not user.has_perm(workflow.APPROVE):
        raise workflow.Refused("Only a clinical approver can sign off a language line.")
    name = " ".join(translation_reviewer.split())
    if not name:
        raise workflow.Refused(NAME_THE_REVIEWER)
    language = booklet_translations.load_languages().by_code.get(code)
    text = language.lines.get(line, "") if language else ""
    if not text:
        raise workflow.Refused("That language has no such line in content/languages.yaml.")
    signed = LanguageLineSignOff.objects.create(
        language=code,
        line=line,
        text=text,
        signed_off_on=timezone.localdate(),
        signed_off_by=user.get_username(),
        approver_name=approver_name(user),
        translation_reviewer=name,
    )
    record(
        AuditEntry.APPROVED,
        f"language line {code} {line}",
        user,
        detail=f"Translation reviewer: {name}. Text: {text}",
    )
    return signed


class LineSignOffForm(forms.ModelForm):
    choice = forms.ChoiceField(label="Language line", choices=())

    class Meta:
        model = LanguageLineSignOff
        fields = ["choice", "translation_reviewer"]
        labels = {"translation_reviewer": "Translation reviewer"}

    user = None  # set per request by LanguageLineSignOffAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = line_choices()
        self.fields["choice"].help_text = "Its text as content/languages.yaml has it now."
        self.fields[
            "translation_reviewer"
        ].help_text = "Who compared this line with the English: their name, as their record of the check gives it."

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        code, line = cleaned["choice"].split(":", 1)
        try:
            self.instance = sign_off_line(code, line, self.user, cleaned["translation_reviewer"])
        except workflow.Refused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return cleaned


@admin.register(LanguageLineSignOff)
class LanguageLineSignOffAdmin(admin.ModelAdmin):
    """Sign-offs are only ever added, by a clinical approver; nobody changes or deletes one."""

    form = LineSignOffForm
    list_display = ["language", "line", "text", "approver_name", "translation_reviewer", "signed_off_on"]
    list_filter = ["language", "line"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        pass  # sign_off_line saved it while the form was checked, so a refusal is shown on the form

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(workflow.APPROVE) or request.user.has_perm(workflow.EDIT)

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm(workflow.APPROVE)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
