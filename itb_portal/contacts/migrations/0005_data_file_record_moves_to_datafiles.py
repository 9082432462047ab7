"""The data file record moves to the data-file service (`datafiles.DataFile`), which keeps its rows.

Only Django's idea of the models changes here: datafiles 0001 takes over the table (and renames it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_sign_off_names_an_approver"),
        ("datafiles", "0001_data_file_records_from_contacts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="DataReview")]),
    ]
