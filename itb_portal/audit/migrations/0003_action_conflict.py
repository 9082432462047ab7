"""The audit log's word for a save or approval refused because someone else changed the text first
is "conflict" (docs/glossary.md: the refused text is a "conflict copy"), no longer "kept after a
conflict". Only the action's name changes: who, when, what and the detail of each entry stay as
recorded. The log's own manager refuses updates; a migration's historical model has a plain one."""

from django.db import migrations, models


def to_conflict(apps, schema_editor):
    apps.get_model("audit", "AuditEntry").objects.filter(action="kept after a conflict").update(action="conflict")


def to_kept(apps, schema_editor):
    apps.get_model("audit", "AuditEntry").objects.filter(action="conflict").update(action="kept after a conflict")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_alter_auditentry_action'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('drafted', 'drafted'), ('conflict', 'conflict'), ('approved', 'approved'), ('published', 'published'), ('restored', 'restored'), ('marked reviewed', 'marked reviewed'), ('released from git', 'released from git'), ('submitted for approval', 'submitted for approval'), ('sent back', 'sent back'), ('discarded', 'discarded'), ('approval refused', 'approval refused'), ('review started', 'review started'), ('numbers checked', 'numbers checked'), ('data review changed', 'data review changed')], max_length=30),
        ),
        migrations.RunPython(to_conflict, to_kept),
    ]
