"""The audit log's word for a save or approval refused because someone else changed the text first
is "conflict" (docs/glossary.md: the refused text is a "conflict copy"). The log is append-only, so
entries recorded as "kept after a conflict" keep that action: only new entries say "conflict"."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_alter_auditentry_action"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("drafted", "drafted"),
                    ("conflict", "conflict"),
                    ("approved", "approved"),
                    ("published", "published"),
                    ("restored", "restored"),
                    ("marked reviewed", "marked reviewed"),
                    ("released from git", "released from git"),
                    ("submitted for approval", "submitted for approval"),
                    ("sent back", "sent back"),
                    ("discarded", "discarded"),
                    ("approval refused", "approval refused"),
                    ("review started", "review started"),
                    ("numbers checked", "numbers checked"),
                    ("data review changed", "data review changed"),
                    ("kept after a conflict", "kept after a conflict"),
                ],
                max_length=30,
            ),
        ),
    ]
