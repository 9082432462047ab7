"""What a draft changes: a section, or a data file. Each kind of subject answers the same three
questions, so the approval page and the preview never ask which kind they hold:

- `changes(request)`: what the approval page shows of the change (a dict for its template);
- `preview(request)`: the page as patients will see it once the draft is published;
- `edit_url`: where its editor changes it.

`preview` raises CannotShow, with the reason in plain words, when the draft has no page to show."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse

from itb_portal.booklet.loader import ContentError
from itb_portal.booklet.models import Section
from itb_portal.booklet.views import section_page
from itb_portal.contacts.directory import load_directory, parse_directory_text
from itb_portal.contacts.views import contacts_page
from itb_portal.datafiles import DATA_FILES
from itb_portal.symptoms.rules import parse_rules_text
from itb_portal.symptoms.views import emergency_sheet_page

from . import datadrafts, workflow
from .documents import body_of, changed_fields, changed_lines, changed_parts, fields_of, section_document
from .models import Draft


class CannotShow(Exception):
    """A draft with no page to preview; the message says why, in plain words. `level` is the admin
    message's: an error for a draft that cannot be read, a warning for one that takes its page down."""

    def __init__(self, message: str, level: int = messages.ERROR):
        super().__init__(message)
        self.level = level


class SectionSubject:
    def __init__(self, draft: Draft):
        self.draft = draft

    @property
    def edit_url(self) -> str:
        return reverse("admin:booklet_section_change", args=[self.draft.section_id])

    def changes(self, request) -> dict:
        published, document = section_document(self.draft.section), self.draft.document
        before, after = fields_of(published), fields_of(document)
        return {
            "fields_changed": changed_fields(published, document),
            "parts": changed_parts(body_of(published), body_of(document)),
            "unchanged": published.strip() == document.strip(),
            "takes_page_down": before.get("is_published") == "True" and after.get("is_published") == "False",
            "puts_page_up": before.get("is_published") == "False" and after.get("is_published") == "True",
            "edit_url": self.edit_url,
        }

    def preview(self, request) -> HttpResponse:
        try:
            current = workflow.preview_section(self.draft)
        except ContentError as error:
            raise CannotShow(f"This draft cannot be shown: {datadrafts.plain([str(error)])[0]}") from error
        if fields_of(self.draft.document).get("is_published", "True") != "True":
            raise CannotShow(
                "This draft takes the page off the site: once approved, patients will not see it at all.",
                messages.WARNING,
            )
        sections = [current if s.pk == current.pk else s for s in Section.objects.published()]
        if current not in sections:
            sections = sorted([*sections, current], key=lambda s: (s.order, s.title))
        return section_page(request, current, sections)


class DataFileSubject:
    """A contacts or rules file: its changes are facts and lines; its preview is the page it feeds."""

    def __init__(self, draft: Draft):
        self.draft = draft

    @property
    def edit_url(self) -> str:
        return reverse("admin:editorial_draft_data", args=[self.draft.kind])

    def changes(self, request) -> dict:
        kind, document = self.draft.kind, self.draft.document
        published = DATA_FILES[kind].text_in_use()
        return {
            "facts_changed": datadrafts.changed_facts(kind, published, document),
            "parts": changed_lines(published, document),
            "unchanged": published.strip() == document.strip(),
            "can_restore": request.user.has_perm(workflow.EDIT),
            "edit_url": self.edit_url,
        }

    def preview(self, request) -> HttpResponse:
        try:
            return self.page(request)
        except ValueError as error:
            raise CannotShow(f"This draft cannot be shown: {datadrafts.plain([str(error)])[0]}") from error

    def page(self, request) -> HttpResponse:
        raise NotImplementedError


class ContactsSubject(DataFileSubject):
    def page(self, request) -> HttpResponse:
        """The contacts page, from the draft."""
        return contacts_page(request, parse_directory_text(self.draft.document, datadrafts.path_of(self.draft.kind)))


class RulesSubject(DataFileSubject):
    def page(self, request) -> HttpResponse:
        """The emergency sheet, from the draft: every sign, level and action."""
        rules = parse_rules_text(self.draft.document, datadrafts.path_of(self.draft.kind))
        return emergency_sheet_page(request, rules, load_directory())


SUBJECTS = {Draft.SECTION: SectionSubject, Draft.CONTACTS: ContactsSubject, Draft.RULES: RulesSubject}


def subject_of(draft: Draft) -> SectionSubject | DataFileSubject:
    return SUBJECTS[draft.kind](draft)
