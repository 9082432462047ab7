"""Editors and clinical approvers read the feedback in the admin, as README says they can."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FEEDBACK = [("feedback", "view_answercount"), ("feedback", "view_comment")]
GROUPS = ["Editor", "Clinical approver"]


def read_feedback(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in FEEDBACK]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("editorial", "0005_moderation_and_published_versions"),
    ]

    operations = [migrations.RunPython(read_feedback, migrations.RunPython.noop)]
