"""The "Editor" and "Clinical approver" groups, with the least each needs.

The migration 0002 makes them (0006 lets both read the feedback);
`ensure_groups` (after every migrate and database flush) makes any that
are missing, with these permissions, and leaves alone a group that exists (an admin may have changed it).
"""

READ = [
    ("booklet", "view_section"),
    ("booklet", "view_slugredirect"),
    ("datafiles", "view_datafile"),
    ("editorial", "view_draft"),
    ("editorial", "view_reviewsdue"),
    ("audit", "view_auditentry"),
    # What patients said about the pages (README: editors read the feedback in the admin).
    ("feedback", "view_answercount"),
    ("feedback", "view_comment"),
]
EDITOR, APPROVER = "Editor", "Clinical approver"
GROUPS = {
    EDITOR: [*READ, ("booklet", "add_section"), ("booklet", "change_section")],
    APPROVER: [*READ, ("editorial", "approve_draft"), ("datafiles", "change_datafile")],
}


def ensure_groups(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, wanted in GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in wanted]
            )
