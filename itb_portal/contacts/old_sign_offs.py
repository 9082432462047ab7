"""The migrations that name each sign-off's approver (booklet and contacts 0004) share this step.

Before, a release from git stamped a sign-off with its commit, as if git review were a clinical check.
A sign-off a clinical approver recorded keeps its date and gains their name; one a release stamped is
cleared. It takes the migration's own historical models, so it never depends on today's."""

APPROVER_GROUP = "Clinical approver"


def name_the_approver_or_clear(rows, users, on: str = "checked_on", by: str = "checked_by") -> None:
    """`on` and `by` name the sign-off's fields as the rows have them (the migrations' models use the old names)."""
    for row in rows.exclude(**{on: None}):
        user = users.filter(username=getattr(row, by), is_active=True).first()
        if user and (user.is_superuser or user.groups.filter(name=APPROVER_GROUP).exists()):
            name = f"{user.first_name} {user.last_name}".strip() or user.username
            rows.filter(pk=row.pk).update(approver_name=name)
        else:
            rows.filter(pk=row.pk).update(**{on: None, by: "", "approver_name": ""})
