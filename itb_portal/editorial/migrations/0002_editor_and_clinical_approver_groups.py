"""The two roles of sign-off (a copy of editorial/roles.py as it was when this ran), with the least each needs.

- Editor: reads everything an editor works with, writes sections (saved as drafts), never approves,
  never deletes a section, never records a data review.
- Clinical approver: reads the same, approves drafts and marks items reviewed (`approve_draft`), and
  records data reviews (the day the numbers were checked). Writing a section is the Editor's: someone
  who is both may edit, but never approve their own edit.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    ("booklet", "view_section"),
    ("booklet", "view_slugredirect"),
    ("contacts", "view_datareview"),
    ("editorial", "view_draft"),
    ("editorial", "view_reviewdashboard"),
    ("audit", "view_auditentry"),
]
GROUPS = {
    "Editor": [*READ, ("booklet", "add_section"), ("booklet", "change_section")],
    "Clinical approver": [*READ, ("editorial", "approve_draft"), ("contacts", "change_datareview")],
}


def make_groups(apps, schema_editor):
    # Permissions are normally made after all migrations run; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("booklet", "0003_section_checked_by_section_checked_on"),
        ("contacts", "0002_datareview_checked_by_datareview_checked_on_and_more"),
        ("audit", "0001_initial"),
        ("editorial", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
