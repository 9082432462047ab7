"""A draft's preview: the page exactly as patients will see it once the draft is published. Which
page that is comes from the draft's subject (subjects.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .models import Draft
from .subjects import CannotShow, subject_of


def preview_view(model_admin, request, pk: int):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    draft = get_object_or_404(Draft, pk=pk)
    try:
        response = subject_of(draft).preview(request)
    except CannotShow as reason:
        messages.add_message(request, reason.level, str(reason))
        return HttpResponseRedirect(reverse("admin:editorial_draft_approve", args=[draft.pk]))
    # Unapproved text: never kept by a browser or a proxy, never indexed.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
