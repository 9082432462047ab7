"""Emails about sign-off, through Django's email: approvers when a draft is submitted, its editors when it
is approved or sent back.

They name the page or data file and link to the draft, nothing more. The admin holds no patient data, and
an approver's comment stays in the admin too (the email says there is one), so nothing typed travels by
email. A failed email never stops a step: it is logged, and the step stands.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from .models import Draft

logger = logging.getLogger(__name__)


def draft_link(draft: Draft, request=None) -> str:
    address = reverse("admin:editorial_draft_approve", args=[draft.pk])
    if settings.SITE_URL:
        return settings.SITE_URL + address
    return request.build_absolute_uri(address) if request is not None else address


def approvers(draft: Draft) -> list[str]:
    """The email of every active clinical approver who did not edit the draft (so could approve it)."""
    can_approve = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="approve_draft", groups__permissions__content_type__app_label="editorial")
        | Q(user_permissions__codename="approve_draft", user_permissions__content_type__app_label="editorial")
    )
    people = get_user_model().objects.filter(can_approve, is_active=True).exclude(email="")
    people = people.exclude(pk__in=draft.editors.values("pk"))
    return sorted(set(people.values_list("email", flat=True)))


def editors(draft: Draft) -> list[str]:
    return sorted(set(draft.editors.filter(is_active=True).exclude(email="").values_list("email", flat=True)))


def _send(subject: str, body: str, to: list[str]) -> None:
    if not to:
        return
    try:
        send_mail(subject, body, None, to)
    except Exception:  # an email server down must never undo or block a sign-off step
        logger.warning("could not send the email %r to %d people", subject, len(to), exc_info=True)


def submitted(draft: Draft, by, request=None) -> None:
    _send(
        f"Waiting for your approval: {draft.subject}",
        f"{by.get_username()} has submitted a draft of {draft.subject} for approval.\n\n"
        f"Check it and approve it, or send it back with a comment:\n{draft_link(draft, request)}\n\n"
        "Patients see nothing new until a clinical approver who did not edit it approves it.\n",
        approvers(draft),
    )


def approved(draft: Draft, by, request=None) -> None:
    _send(
        f"Approved and published: {draft.subject}",
        f"{by.get_username()} approved your draft of {draft.subject}. Patients now see it.\n\n"
        f"The draft and its history:\n{draft_link(draft, request)}\n",
        editors(draft),
    )


def sent_back(draft: Draft, by, request=None) -> None:
    _send(
        f"Sent back to you: {draft.subject}",
        f"{by.get_username()} sent your draft of {draft.subject} back, with a comment.\n\n"
        f"Read the comment, change the draft and submit it again:\n{draft_link(draft, request)}\n",
        editors(draft),
    )
