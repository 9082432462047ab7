"""The admin's side of sign-off: sections save as drafts, approvers approve with the changes in front of
them, and the review dashboard lists what is due. The rules themselves are in workflow.py."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from reversion.models import Version

from itb_portal.audit.admin import ReadOnlyAdmin
from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet import admin as booklet_admin
from itb_portal.booklet.loader import ContentError
from itb_portal.booklet.models import Section
from itb_portal.booklet.views import section_page
from itb_portal.contacts.directory import load_directory, parse_directory_text
from itb_portal.contacts.views import contacts_page
from itb_portal.symptoms.rules import parse_rules_text
from itb_portal.symptoms.views import emergency_sheet_page

from . import dashboard, datadrafts, workflow
from .documents import body_of, changed_fields, section_document, section_from_document, word_diff
from .models import Draft, ReviewDashboard


class SectionDraftForm(forms.ModelForm):
    """The section form, with the draft version the editor started from (optimistic concurrency)."""

    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    editor = None  # set per request by SectionAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_from = workflow.draft_version(self.instance.pk)
        self.fields["draft_version"].initial = self.started_from

    def _post_clean(self):
        super()._post_clean()
        if not self.instance.pk:
            return
        seen = self.cleaned_data.get("draft_version") or 0
        current = workflow.draft_version(self.instance.pk)
        if seen != current and not self.errors:
            published = Section.objects.get(pk=self.instance.pk)
            document = section_document(self.instance).replace("\r\n", "\n")
            kept = workflow.keep(document, self.editor, seen, current, section=published)
            # The form keeps the version it started from, so saving this text again is refused again: the
            # editor reloads to see the open draft, and brings in their changes from the kept one.
            self.add_error(None, workflow.conflict_message(kept))


admin.site.unregister(Section)


@admin.register(Section)
class SectionAdmin(booklet_admin.SectionAdmin):
    """Saving writes a draft; patients see the published text until a clinical approver approves it."""

    form = SectionDraftForm
    change_form_template = "admin/editorial/section_change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "order", "is_published", "draft_version"]}),
        *booklet_admin.SectionAdmin.fieldsets[1:],
    ]

    list_display = [*booklet_admin.SectionAdmin.list_display, "draft_state", "checked_on"]

    @admin.display(description="Draft")
    def draft_state(self, obj: Section) -> str:
        draft = workflow.open_draft(obj)
        return f"Waiting for approval (version {draft.version})" if draft else "—"

    def has_delete_permission(self, request, obj=None):
        # A deletion would take advice off the site at once, with nobody's approval. Unticking
        # "Published" takes a section down as a draft, which an approver approves like any edit.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def get_object(self, request, object_id, from_field=None):
        section = super().get_object(request, object_id, from_field)
        restoring = request.resolver_match and request.resolver_match.url_name.endswith("_revision")
        draft = None if section is None or restoring else workflow.open_draft(section)
        if draft is not None:
            with suppress(ContentError):  # the editor carries on with the draft, not the published text
                section_from_document(draft.document, section)
        return section

    def save_model(self, request, obj, form, change):
        seen = form.cleaned_data.get("draft_version") or 0
        recovering = bool(request.resolver_match and request.resolver_match.url_name.endswith("_recover"))
        if not change or recovering:
            # A new or recovered section is kept hidden; its draft says whether patients see it once approved.
            shown = obj.is_published
            obj.is_published = False
            super().save_model(request, obj, form, change)
            obj.is_published = shown
        try:
            obj.saved_draft = workflow.save_draft(obj, request.user, seen)
        except workflow.Conflict as conflict:
            obj.saved_draft = None
            messages.error(request, str(conflict))

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_change(request, obj)

    def response_change(self, request, obj):
        draft = getattr(obj, "saved_draft", None)
        change_page = reverse("admin:booklet_section_change", args=[quote(obj.pk)])
        if draft is None:
            return HttpResponseRedirect(change_page)
        messages.success(
            request,
            f"Saved as a draft (version {draft.version}). Patients still see the published text until a "
            "clinical approver, who is not you, approves it.",
        )
        if "_continue" in request.POST:
            return HttpResponseRedirect(change_page)
        return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an earlier version makes it the draft: it goes live only once approved again."""
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, extra_context)
        version = get_object_or_404(Version, pk=version_id, object_id=object_id)
        response = self.changeform_view(request, object_id, request.path, extra_context)
        draft = workflow.open_draft(int(object_id))
        if response.status_code == 302 and draft and draft.updated_by_id == request.user.pk:
            when = timezone.localtime(version.revision.date_created)
            record(
                AuditEntry.RESTORED,
                workflow.what(draft.section),
                request.user,
                detail=f"the version of {when:%d %b %Y %H:%M}, as draft #{draft.pk} version {draft.version}",
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "open_draft": workflow.open_draft(int(object_id)) if str(object_id).isdigit() else None,
            "kept_drafts": Draft.objects.filter(section_id=object_id, status=Draft.KEPT)
            if str(object_id).isdigit()
            else [],
        }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


class DataDraftForm(forms.Form):
    document = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        strip=False,
        help_text="The whole file. It is checked as a release checks it; a problem is named and nothing is saved.",
    )
    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ApprovalForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional: what you checked."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    """Drafts are read here and approved from their page; editors write them through the section form."""

    list_display = ["subject", "kind", "status", "version", "updated_by", "updated_at", "approved_by", "approved_at"]
    list_display_links = ["subject"]
    list_filter = ["status"]
    search_fields = ["section__title", "document"]
    fields = [
        "kind",
        "section",
        "status",
        "version",
        "document",
        "updated_by",
        "updated_at",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = fields

    def get_urls(self):
        own = [
            path("<int:pk>/approve/", self.admin_site.admin_view(self.approve_view), name="editorial_draft_approve"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="editorial_draft_preview"),
            path("<int:pk>/restore/", self.admin_site.admin_view(self.restore_view), name="editorial_draft_restore"),
            path("data/<str:kind>/", self.admin_site.admin_view(self.data_edit_view), name="editorial_draft_data"),
        ]
        return own + super().get_urls()

    def data_edit_view(self, request, kind: str):
        """The whole contacts or rules file, edited as a draft: refused as `release` would refuse it."""
        if kind not in datadrafts.PATHS:
            raise Http404
        if not request.user.has_perm("booklet.change_section"):  # an editor
            raise PermissionDenied
        draft = workflow.open_data_draft(kind)
        current = draft.version if draft else 0
        form = DataDraftForm(
            request.POST or None,
            initial={
                "document": draft.document if draft else datadrafts.published_text(kind),
                "draft_version": current,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                saved = workflow.save_data_draft(
                    kind, form.cleaned_data["document"], request.user, form.cleaned_data["draft_version"] or 0
                )
            except workflow.Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    f"Saved as a draft (version {saved.version}). Patients still see the published "
                    f"{datadrafts.label(kind)} until a clinical approver, who is not you, approves it.",
                )
                return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[saved.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Edit {datadrafts.label(kind)} (as a draft)",
            "opts": self.model._meta,
            "form": form,
            "open_draft": draft,
            "kept_drafts": Draft.objects.filter(kind=kind, status=Draft.KEPT),
        }
        return TemplateResponse(request, "admin/editorial/data_edit.html", context)

    def restore_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("booklet.change_section"):
            raise PermissionDenied
        approved = get_object_or_404(Draft, pk=pk)
        try:
            draft = workflow.restore_data_version(approved, request.user)
        except workflow.Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[approved.pk]))
        messages.success(request, "That version is now the draft. It goes live once a clinical approver approves it.")
        return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))

    def approve_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft = get_object_or_404(Draft.objects.select_related("section", "updated_by"), pk=pk)
        if draft.kind != Draft.SECTION:
            return self._approve_data(request, draft)
        form = ApprovalForm(request.POST or None, initial={"version": draft.version})
        if request.method == "POST" and form.is_valid():
            try:
                section = workflow.approve(draft, request.user, form.cleaned_data["note"], form.cleaned_data["version"])
            except workflow.Refused as refused:
                messages.error(request, str(refused))
                return HttpResponseRedirect(request.path)
            messages.success(request, f"Approved and published: patients now see the new “{section.title}”.")
            return HttpResponseRedirect(reverse("admin:editorial_draft_change", args=[draft.pk]))
        published = section_document(draft.section)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Check and approve: {draft.section.title}",
            "opts": self.model._meta,
            "draft": draft,
            "form": form,
            "fields_changed": changed_fields(published, draft.document),
            "text_diff": word_diff(body_of(published), body_of(draft.document)),
            "unchanged": published.strip() == draft.document.strip(),
            "can_approve": request.user.has_perm(workflow.APPROVE),
            "edited_by_you": draft.editors.filter(pk=request.user.pk).exists(),
            "editors": ", ".join(u.get_username() for u in draft.editors.all()),
        }
        return TemplateResponse(request, "admin/editorial/approve.html", context)

    def _approve_data(self, request, draft: Draft):
        form = ApprovalForm(request.POST or None, initial={"version": draft.version})
        if request.method == "POST" and form.is_valid():
            try:
                workflow.approve(draft, request.user, form.cleaned_data["note"], form.cleaned_data["version"])
            except workflow.Refused as refused:
                messages.error(request, str(refused))
                return HttpResponseRedirect(request.path)
            messages.success(request, f"Approved and published: patients now see the new {draft.subject}.")
            return HttpResponseRedirect(request.path)
        published = datadrafts.published_text(draft.kind)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Check and approve: {datadrafts.label(draft.kind)}",
            "opts": self.model._meta,
            "draft": draft,
            "form": form,
            "facts_changed": datadrafts.changed_facts(draft.kind, published, draft.document),
            "text_diff": word_diff(published, draft.document),
            "unchanged": published.strip() == draft.document.strip(),
            "can_approve": request.user.has_perm(workflow.APPROVE),
            "can_restore": request.user.has_perm("booklet.change_section"),
            "edited_by_you": draft.editors.filter(pk=request.user.pk).exists(),
            "editors": ", ".join(u.get_username() for u in draft.editors.all()),
            "edit_url": reverse("admin:editorial_draft_data", args=[draft.kind]),
        }
        return TemplateResponse(request, "admin/editorial/approve.html", context)

    def preview_view(self, request, pk: int):
        """The page exactly as patients will see it once this draft is published."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft = get_object_or_404(Draft, pk=pk)
        if draft.kind != Draft.SECTION:
            return self._preview_data(request, draft)
        try:
            current = workflow.preview_section(draft)
        except ContentError as error:
            messages.error(request, f"This draft cannot be shown: {error}")
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))
        sections = [current if s.pk == current.pk else s for s in Section.objects.published()]
        if current not in sections:
            sections = sorted([*sections, current], key=lambda s: (s.order, s.title))
        response = section_page(request, current, sections)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    def _preview_data(self, request, draft: Draft):
        """The contacts page, or the emergency sheet (every sign, level and action), from the draft."""
        try:
            if draft.kind == Draft.CONTACTS:
                response = contacts_page(request, parse_directory_text(draft.document, datadrafts.path_of(draft.kind)))
            else:
                rules = parse_rules_text(draft.document, datadrafts.path_of(draft.kind))
                response = emergency_sheet_page(request, rules, load_directory())
        except ValueError as error:
            messages.error(request, f"This draft cannot be shown: {error}")
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response


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


@admin.register(ReviewDashboard)
class ReviewDashboardAdmin(ReadOnlyAdmin):
    """Every section, contacts file and rules file with its review dates; overdue first."""

    def get_urls(self):
        return [
            path("", self.admin_site.admin_view(self.changelist_view), name="editorial_reviewdashboard_changelist"),
            path(
                "mark-reviewed/",
                self.admin_site.admin_view(self.mark_reviewed_view),
                name="editorial_reviewdashboard_mark_reviewed",
            ),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Review dashboard",
            "opts": self.model._meta,
            "items": dashboard.items(),
            "can_approve": request.user.has_perm(workflow.APPROVE),
        }
        return TemplateResponse(request, "admin/editorial/dashboard.html", context)

    def mark_reviewed_view(self, request):
        """A confirm step: GET shows what will change, POST (with CSRF) records it."""
        if not request.user.has_perm(workflow.APPROVE):
            raise PermissionDenied
        key = request.POST.get("item") or request.GET.get("item", "")
        item = dashboard.find(key)
        if item is None or not item.can_mark_reviewed:
            messages.error(request, "That item cannot be marked as reviewed here.")
            return HttpResponseRedirect(reverse("admin:editorial_reviewdashboard_changelist"))
        form = MarkReviewedForm(
            request.POST or None,
            initial={"item": key, "next_review_due": timezone.localdate() + timedelta(days=365)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                dashboard.mark_reviewed(item, request.user, form.cleaned_data["next_review_due"])
            except workflow.Refused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, f"“{item.name}” marked as reviewed today.")
            return HttpResponseRedirect(reverse("admin:editorial_reviewdashboard_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Mark as reviewed: {item.name}",
            "opts": self.model._meta,
            "item": item,
            "form": form,
        }
        return TemplateResponse(request, "admin/editorial/mark_reviewed.html", context)
