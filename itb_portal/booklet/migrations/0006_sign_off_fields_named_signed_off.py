# A sign-off is `signed_off_*` (docs/glossary.md): "checked" is only ever an automatic check.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("booklet", "0005_sign_off_names_an_approver")]

    operations = [
        migrations.RenameField("section", "checked_on", "signed_off_on"),
        migrations.RenameField("section", "checked_by", "signed_off_by"),
    ]
