"""A data file's form in the admin: contacts as one form per line, the rules (or, for advanced users,
any data file) as the whole YAML text; each saved as a draft, refused as `release` would refuse it.
And restoring an earlier published version of a data file as its draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from itb_portal.datafiles import DATA_FILES

from . import contactform, datadrafts, workflow
from .approve import SUBMITTED, saved_message
from .documents import changed_lines
from .forms import DataDraftForm, VersionsForm
from .models import Draft


def data_edit_view(model_admin, request, kind: str):
    """A data file, edited as a draft: refused as `release` would refuse it."""
    if kind not in DATA_FILES:
        raise Http404
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    can_edit = request.user.has_perm(workflow.EDIT)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    draft = workflow.open_data_draft(kind)
    text = draft.document if draft else DATA_FILES[kind].text_in_use()
    raw = kind == Draft.RULES or request.GET.get("raw") == "1" or "document" in request.POST
    versions = {
        "draft_version": draft.version if draft else 0,
        "published_version": workflow.published_version(None, kind).number,
    }
    form = DataDraftForm(request.POST or None, initial={"document": text, **versions}) if raw else None
    line_forms = []
    if kind == Draft.CONTACTS and not raw:
        form = VersionsForm(request.POST or None, initial=versions)
        line_forms = [contactform.LineForm(request.POST or None, line=line) for line in contactform.lines(text)]
    moved = None
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in line_forms):
        document = (
            form.cleaned_data["document"]
            if raw
            else contactform.apply(text, {f.line["id"]: f.edit() for f in line_forms})
        )
        try:
            saved = workflow.save_data_draft(
                kind,
                document,
                request.user,
                form.cleaned_data["draft_version"] or 0,
                form.cleaned_data["published_version"],
            )
            if "_submit" in request.POST:
                workflow.submit(saved, request.user, request)
        except workflow.Moved as refused:
            moved = refused
            form.add_error(None, str(refused))
        except workflow.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, SUBMITTED if "_submit" in request.POST else saved_message(saved))
            return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[saved.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{datadrafts.title(kind)}" + (" (as a draft)" if can_edit else " (read only)"),
        "opts": model_admin.model._meta,
        "kind": kind,
        "form": form,
        "raw": raw,
        "line_forms": line_forms,
        "can_edit": can_edit,
        "open_draft": draft,
        "conflict_copies": Draft.objects.filter(kind=kind, status=Draft.CONFLICT),
        "structure": datadrafts.structure(kind, text),
        "moved": moved,
        "moved_diff": changed_lines(moved.current.document, moved.yours) if moved else [],
        "published_version_number": versions["published_version"],
    }
    return TemplateResponse(request, "admin/editorial/data_edit.html", context)


def restore_view(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm(workflow.EDIT):
        raise PermissionDenied
    approved = get_object_or_404(Draft, pk=pk)
    try:
        draft = workflow.restore_data_version(approved, request.user)
    except workflow.Refused as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[approved.pk]))
    messages.success(request, "That version is now the draft. Submit it for approval when you are ready.")
    return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))
