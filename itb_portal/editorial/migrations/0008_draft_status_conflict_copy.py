"""A save refused because someone else saved first is a "conflict copy" (docs/glossary.md), no
longer "kept": stored drafts and their timeline steps take the new word."""

from django.db import migrations, models


def to_conflict_copy(apps, schema_editor):
    apps.get_model("editorial", "Draft").objects.filter(status="kept").update(status="conflict copy")
    apps.get_model("editorial", "DraftStep").objects.filter(step="kept").update(step="conflict copy")


def to_kept(apps, schema_editor):
    apps.get_model("editorial", "Draft").objects.filter(status="conflict copy").update(status="kept")
    apps.get_model("editorial", "DraftStep").objects.filter(step="conflict copy").update(step="kept")


class Migration(migrations.Migration):

    dependencies = [
        ('editorial', '0007_reviews_due'),
    ]

    operations = [
        migrations.AlterField(
            model_name='draft',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('conflict copy', 'Conflict copy: refused because someone else saved first'), ('approved', 'Approved and published'), ('discarded', 'Discarded')], db_index=True, default='open', max_length=20),
        ),
        migrations.AlterField(
            model_name='draftstep',
            name='step',
            field=models.CharField(choices=[('saved', 'saved'), ('submitted', 'submitted'), ('sent back', 'sent back'), ('approved', 'approved'), ('approval refused', 'approval refused'), ('discarded', 'discarded'), ('conflict copy', 'conflict copy')], max_length=30),
        ),
        migrations.RunPython(to_conflict_copy, to_kept),
    ]
