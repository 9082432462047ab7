"""The sign-off: the record a named clinical approver leaves when they approve, on a section or a data file.

A page says "reviewed by" only for a sign-off (docs/glossary.md, docs/sign-off-claims.md). A release from
git never makes one, and a release that changes the text clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

# The permission of the "Clinical approver" group (editorial/roles.py), named here as a string: this layer
# sits below editorial, which records every sign-off through `sign_off`.
APPROVE = "editorial.approve_draft"


@dataclass(frozen=True, order=True)
class SignOff:
    """A sign-off a named clinical approver recorded in the admin: when, and who (as pages name them)."""

    on: date
    by: str  # the approver's name, as pages show it


def approver_name(user) -> str:
    """How pages name an approver: their full name, else their username."""
    return user.get_full_name().strip() or user.get_username()


def sign_off(record, user) -> SignOff:
    """Record on `record` (a Section or a DataFile, saved by the caller) that `user`, a clinical approver,
    signed it off today. The date is always today: nobody can record a sign-off in the future."""
    if not user.has_perm(APPROVE):
        raise PermissionError("Only a clinical approver can sign off what patients see.")
    record.signed_off_on, record.signed_off_by = timezone.localdate(), user.get_username()
    record.approver_name = approver_name(user)
    return SignOff(record.signed_off_on, record.approver_name)


def clear_sign_off(record) -> None:
    """Text changed from git: nobody has signed off the new text yet."""
    record.signed_off_on, record.signed_off_by, record.approver_name = None, "", ""


def recorded_sign_off(record) -> SignOff | None:
    """The sign-off a Section or DataFile holds, if a named approver recorded one (never in the future)."""
    if record is None or not record.signed_off_on or not record.approver_name:
        return None
    if record.signed_off_on > timezone.localdate():
        return None
    return SignOff(record.signed_off_on, record.approver_name)
