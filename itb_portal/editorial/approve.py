"""A draft's page: its changes, its history, and the next step for the person looking (approve,
submit, send back or discard). What the change is comes from the draft's subject (subjects.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from . import translations, workflow
from .forms import ApprovalForm, SendBackForm
from .models import Draft
from .subjects import subject_of

SUBMITTED = (
    "Submitted for approval. The clinical approvers have been emailed; patients see nothing new until one of "
    "them, who is not you, approves it."
)


def saved_message(draft: Draft) -> str:
    return (
        f"Saved as a draft (version {draft.version}). It is not waiting for approval yet: submit it for approval "
        "when it is ready. Patients still see the published text."
    )


def approve_view(model_admin, request, pk: int):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    draft = get_object_or_404(Draft.objects.select_related("section", "updated_by"), pk=pk)
    form = ApprovalForm(request.POST or None, initial={"version": draft.version})
    if request.method == "POST" and form.is_valid():
        try:
            # A translation's approval also names who compared it with the English (translations.py).
            section = translations.approve(
                draft,
                request.user,
                form.cleaned_data["note"],
                form.cleaned_data["version"],
                request,
                translation_reviewer=request.POST.get("translation_reviewer", ""),
            )
        except workflow.Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(request.path)
        if section is not None and not section.is_published:
            messages.success(request, f"Approved: “{section.title}” is now off the site.")
        else:
            messages.success(request, f"Approved and published: patients now see the new “{draft.subject}”.")
        return HttpResponseRedirect(request.path)
    user = request.user
    edited_by_you = draft.editors.filter(pk=user.pk).exists()
    can_approve = user.has_perm(workflow.APPROVE)
    waiting = can_approve and draft.is_submitted and not edited_by_you
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"{'Check and approve' if waiting else 'Draft'}: {draft.subject}",
        "draft": draft,
        "form": form,
        "send_back_form": SendBackForm(),
        "steps": draft.steps.all(),
        "edited_by_you": edited_by_you,
        "is_approver": can_approve,
        "is_editor": user.has_perm(workflow.EDIT),
        # Only the buttons that would work for this person, now.
        "show_approve": waiting,
        "show_submit": user.has_perm(workflow.EDIT) and draft.is_open and not draft.submitted_at,
        "show_discard": user.has_perm(workflow.EDIT) and draft.is_open,
        "editors": ", ".join(u.get_username() for u in draft.editors.all()),
        **subject_of(draft).changes(request),
        **translations.approval_context(draft),
    }
    return TemplateResponse(request, "admin/editorial/approve.html", context)


def step_view(request, pk: int):
    """Submit, send back or discard (each a POST with CSRF, each refused with a reason when not allowed)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    draft = get_object_or_404(Draft, pk=pk)
    here = reverse("admin:editorial_draft_approve", args=[draft.pk])
    action = request.POST.get("step")
    try:
        if action == "submit":
            workflow.submit(draft, request.user, request)
            messages.success(request, SUBMITTED)
        elif action == "send-back":
            form = SendBackForm(request.POST)
            workflow.send_back(draft, request.user, form.data.get("comment", ""), request)
            messages.success(request, "Sent back to the editor, with your comment. They have been emailed.")
        elif action == "discard":
            workflow.discard(draft, request.user)
            messages.success(request, "Discarded. Patients still see the published text; the draft stays in Drafts.")
        else:
            return HttpResponseNotAllowed(["POST"])
    except workflow.Refused as refused:
        messages.error(request, str(refused))
    return HttpResponseRedirect(here)
