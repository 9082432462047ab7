"""The admin's side of sign-off: sections save as drafts, approvers approve with the changes in front of
them, and the reviews due page lists what is due. The rules themselves are in workflow.py; the forms in
forms.py; a draft's page in approve.py and its preview in preview.py."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.models import Version

from itb_portal.audit.admin import ReadOnlyAdmin
from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet import admin as booklet_admin
from itb_portal.booklet.models import Section

from . import approve, dashboard, data_edit, preview, workflow
from .approve import SUBMITTED, saved_message
from .documents import body_of, changed_parts, section_document
from .forms import (
    MarkReviewedForm,
    RestoredSectionForm,
    SectionDraftForm,
    StaleDraft,
    VersionsForm,
    form_values,
)
from .models import Draft, ReviewsDue

admin.site.unregister(Section)


@admin.register(Section)
class SectionAdmin(booklet_admin.SectionAdmin):
    """Saving writes a draft; patients see the published text until a clinical approver approves it.

    Review dates are set one way only, "Mark as reviewed" on the reviews due page; taking a page down is
    its own step ("Take this page off the site"), approved like any edit."""

    form = SectionDraftForm
    change_form_template = "admin/editorial/section_change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "order", "is_published", "draft_version", "published_version"]}),
        *booklet_admin.SectionAdmin.fieldsets[1:],
    ]

    list_display = [
        "title",
        "order",
        "web_address",
        "shown_to_patients",
        "next_review_due",
        "review_status",
        "draft_state",
    ]
    list_filter = [booklet_admin.ReviewStatusFilter, "is_published"]
    actions = ["review_started_today"]

    @admin.display(description="Web address")
    def web_address(self, obj: Section) -> str:
        return obj.slug

    @admin.display(description="Shown to patients", boolean=True)
    def shown_to_patients(self, obj: Section) -> bool:
        return obj.is_published

    @admin.display(description="Draft")
    def draft_state(self, obj: Section) -> str:
        draft = workflow.open_draft(obj)
        return f"{draft.state} (version {draft.version})" if draft else "—"

    def has_approve_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(workflow.APPROVE)

    # Recording that a review started changes what the page tells patients, so it is an approver's step, and
    # audited. It is finished by "Mark as reviewed" on the reviews due page, which sets the new dates.
    @admin.action(description="Record that a review of the selected sections started today", permissions=["approve"])
    def review_started_today(self, request, queryset):
        for section in queryset:
            section.review_started_on = timezone.localdate()
            section.save(update_fields=["review_started_on", "stored_html", "updated_at"])
            record(AuditEntry.REVIEW_STARTED, workflow.what(section), request.user, detail="list action")

    def get_readonly_fields(self, request, obj=None):
        found = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # One way to set review dates (mark as reviewed), one way to take a page down (its own step).
            found += ["is_published", "last_reviewed", "next_review_due"]
        return found

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [
            (name, {**options, "description": REVIEW_DATES_NOTE}) if name == "Review" else (name, options)
            for name, options in fieldsets
        ]

    def has_delete_permission(self, request, obj=None):
        # A deletion would take advice off the site at once, with nobody's approval. "Take this page off the
        # site" makes a draft, which an approver approves like any edit.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Restoring an earlier version shows that version, not the open draft.
        if restoring(request):
            kwargs["form"] = RestoredSectionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        seen = form.cleaned_data.get("draft_version") or 0
        recovering = bool(request.resolver_match and request.resolver_match.url_name.endswith("_recover"))
        # What the editor asked for, shown to patients or not, goes into the draft ...
        document = section_document(obj)
        if not change or recovering:
            # ... while a new or recovered section's row, which the draft needs, stays hidden until approved.
            obj.is_published = False
            super().save_model(request, obj, form, change)
        try:
            obj.saved_draft = workflow.save_draft(
                obj,
                request.user,
                seen,
                None if recovering else form.cleaned_data.get("published_version"),
                document=document,
            )
        except workflow.Refused as refused:
            obj.saved_draft = None
            messages.error(request, str(refused))
            return
        if "_submit" in request.POST:
            try:
                workflow.submit(obj.saved_draft, request.user, request)
            except workflow.Refused as refused:
                messages.error(request, str(refused))
            else:
                obj.submitted = True

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_change(request, obj)

    def response_change(self, request, obj):
        draft = getattr(obj, "saved_draft", None)
        change_page = reverse("admin:booklet_section_change", args=[quote(obj.pk)])
        if draft is None:
            return HttpResponseRedirect(change_page)
        if getattr(obj, "submitted", False):
            messages.success(request, SUBMITTED)
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))
        messages.success(request, saved_message(draft))
        return HttpResponseRedirect(change_page)

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
        known = str(object_id).isdigit()
        extra = {
            "open_draft": workflow.open_draft(int(object_id)) if known else None,
            "conflict_copies": Draft.objects.filter(section_id=object_id, status=Draft.CONFLICT) if known else [],
            "can_edit": self.has_change_permission(request),
            "unpublish_url": reverse("admin:editorial_draft_unpublish", args=[object_id]) if known else "",
            # As published, not as the open draft the form shows.
            "original_shown": Section.objects.filter(pk=object_id, is_published=True).exists() if known else False,
        }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form if context.get("adminform") else None
        if getattr(form, "refusal", None) is not None:
            self.record_refusal(request, form, context)
        moved = getattr(form, "moved", None)
        if moved is not None:
            # Both texts side by side, and the editor's change carried over where it can be.
            context["moved"] = moved
            context["moved_diff"] = changed_parts(body_of(moved.current.document), body_of(moved.yours))
            if "_carry_over" in request.POST:
                # Your change on top of the current text (or, where both changed the same lines, the current
                # text, with yours beside it): shown to check, and saved only when you save again.
                context["carried"] = True
                form.data = form.data.copy()
                form.data.update(form_values(moved.carried or moved.current.document))
                form.data["published_version"] = moved.current.number
                form.data["draft_version"] = workflow.draft_version(obj.pk)
        if obj is not None and change:
            context["published_version_number"] = workflow.published_version(obj.pk).number
        return super().render_change_form(request, context, add, change, form_url, obj)

    def record_refusal(self, request, form: SectionDraftForm, context) -> None:
        """A save the form refused as stale: recorded for the person who made it, and, when someone else
        saved the draft first, their text kept as a conflict copy so no one's work is lost."""
        refusal = form.refusal
        if isinstance(refusal, StaleDraft):
            copy = workflow.save_conflict_copy(
                refusal.document, request.user, refusal.seen, refusal.current, section=refusal.section
            )
            # The editor reloads to see the open draft, and brings in their changes from the conflict copy.
            form.add_error(None, workflow.conflict_copy_note(copy))
            context["conflict_copies"] = Draft.objects.filter(section=refusal.section, status=Draft.CONFLICT)
        else:
            workflow.record_moved(refusal, request.user, section=form.existing)


def restoring(request) -> bool:
    return bool(request.resolver_match and request.resolver_match.url_name.endswith("_revision"))


REVIEW_DATES_NOTE = "Review dates are set one way: a clinical approver uses “Mark as reviewed” on the reviews due page."


class DraftStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Waiting for approval"),
            ("editing", "Being edited or sent back"),
            ("closed", "Approved, discarded or conflict copies"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=Draft.OPEN, submitted_at__isnull=False)
        if self.value() == "editing":
            return queryset.filter(status=Draft.OPEN, submitted_at__isnull=True)
        if self.value() == "closed":
            return queryset.exclude(status=Draft.OPEN)
        return queryset


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    """Drafts are read, submitted, approved, sent back or discarded from their page; editors write them
    through the section form and the data file forms."""

    list_display = ["draft_link", "kind", "draft_state", "version", "updated_by", "updated_at", "approved_by"]
    list_display_links = None
    list_filter = [DraftStateFilter, "kind"]
    search_fields = ["section__title", "document"]
    change_list_template = "admin/editorial/draft_change_list.html"

    @admin.display(description="Draft", ordering="section__title")
    def draft_link(self, draft: Draft):
        return format_html(
            '<a href="{}">{} (draft #{})</a>',
            reverse("admin:editorial_draft_approve", args=[draft.pk]),
            draft.subject,
            draft.pk,
        )

    @admin.display(description="State")
    def draft_state(self, draft: Draft) -> str:
        return draft.state

    def changelist_view(self, request, extra_context=None):
        """Above the list: what waits for this approver, or this editor's own drafts and their state."""
        user = request.user
        open_drafts = Draft.objects.filter(status=Draft.OPEN).select_related("section")
        extra = {
            "can_approve": user.has_perm(workflow.APPROVE),
            "waiting_for_you": list(open_drafts.filter(submitted_at__isnull=False).exclude(editors=user))
            if user.has_perm(workflow.APPROVE)
            else [],
            "your_drafts": list(open_drafts.filter(editors=user)) if user.has_perm(workflow.EDIT) else [],
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if str(object_id).isdigit():  # one page per draft: its changes, history and next step
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[object_id]))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        own = [
            path("<int:pk>/approve/", self.admin_site.admin_view(self.approve_view), name="editorial_draft_approve"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="editorial_draft_preview"),
            path(
                "<int:pk>/restore/", self.admin_site.admin_view(data_edit.restore_view), name="editorial_draft_restore"
            ),
            path("<int:pk>/step/", self.admin_site.admin_view(approve.step_view), name="editorial_draft_step"),
            path(
                "unpublish/<int:section_pk>/",
                self.admin_site.admin_view(self.unpublish_view),
                name="editorial_draft_unpublish",
            ),
            path("data/<str:kind>/", self.admin_site.admin_view(self.data_edit_view), name="editorial_draft_data"),
        ]
        return own + super().get_urls()

    # A data file's form (contacts as one form per line, rules as tables) and its restore step are in
    # data_edit.py; a draft's page and its preview in approve.py and preview.py.

    def data_edit_view(self, request, kind: str):
        return data_edit.data_edit_view(self, request, kind)

    def unpublish_view(self, request, section_pk: int):
        """Taking a page off the site (or putting it back) is its own step: a confirm page, then a draft an
        approver approves."""
        if not request.user.has_perm(workflow.EDIT):
            raise PermissionDenied
        section = get_object_or_404(Section, pk=section_pk)
        form = VersionsForm(
            request.POST or None,
            initial={
                "draft_version": workflow.draft_version(section),
                "published_version": workflow.published_version(section).number,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                draft = workflow.set_shown(
                    section,
                    not section.is_published,
                    request.user,
                    form.cleaned_data["draft_version"] or 0,
                    form.cleaned_data["published_version"],
                )
                workflow.submit(draft, request.user, request)
            except workflow.Refused as refused:
                messages.error(request, str(refused))
                return HttpResponseRedirect(reverse("admin:booklet_section_change", args=[section.pk]))
            then = "the page goes off the site" if section.is_published else "the page is back on the site"
            messages.success(request, f"Once approved, {then}. " + SUBMITTED)
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{'Take' if section.is_published else 'Put'} “{section.title}” "
            f"{'off' if section.is_published else 'back on'} the site",
            "opts": self.model._meta,
            "section": section,
            "form": form,
        }
        return TemplateResponse(request, "admin/editorial/unpublish.html", context)

    def approve_view(self, request, pk: int):
        return approve.approve_view(self, request, pk)

    def preview_view(self, request, pk: int):
        return preview.preview_view(self, request, pk)


@admin.register(ReviewsDue)
class ReviewsDueAdmin(ReadOnlyAdmin):
    """Every section, contacts file and rules file with its review dates; overdue first."""

    def get_urls(self):
        return [
            path("", self.admin_site.admin_view(self.changelist_view), name="editorial_reviewsdue_changelist"),
            path(
                "mark-reviewed/",
                self.admin_site.admin_view(self.mark_reviewed_view),
                name="editorial_reviewsdue_mark_reviewed",
            ),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Reviews due",
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
            return HttpResponseRedirect(reverse("admin:editorial_reviewsdue_changelist"))
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
            return HttpResponseRedirect(reverse("admin:editorial_reviewsdue_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Mark as reviewed: {item.name}",
            "opts": self.model._meta,
            "item": item,
            "form": form,
        }
        return TemplateResponse(request, "admin/editorial/mark_reviewed.html", context)
