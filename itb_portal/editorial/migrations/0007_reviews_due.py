"""The admin page of what is due for review is "reviews due" (docs/glossary.md), not a "dashboard".

Django moves the proxy's content type with the rename; its permissions keep their old codenames unless
renamed here, and the groups hold those permissions, so they are renamed in place."""

from django.db import migrations


def rename_permissions(apps, schema_editor, old="reviewdashboard", new="reviewsdue", noun="reviews due"):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type__app_label="editorial", codename__endswith=f"_{old}"):
        action = permission.codename.removesuffix(f"_{old}")
        if Permission.objects.filter(content_type=permission.content_type, codename=f"{action}_{new}").exists():
            continue
        permission.codename, permission.name = f"{action}_{new}", f"Can {action} {noun}"
        permission.save()


def rename_permissions_back(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="reviewsdue", new="reviewdashboard", noun="review dashboard")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0006_groups_read_feedback"),
    ]

    operations = [
        migrations.RenameModel("ReviewDashboard", "ReviewsDue"),
        migrations.AlterModelOptions(
            name="reviewsdue", options={"verbose_name": "reviews due", "verbose_name_plural": "reviews due"}
        ),
        migrations.RunPython(rename_permissions, rename_permissions_back),
    ]
