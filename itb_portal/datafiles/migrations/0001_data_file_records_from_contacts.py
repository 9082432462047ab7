"""The data file record (`contacts.DataReview`) becomes `datafiles.DataFile`, keeping every row.

The table is taken over as it stands (state only), then renamed, and its fields get the glossary's names
(docs/glossary.md): a sign-off is `signed_off_*`, the approver's confirmation of the numbers
`numbers_confirmed_*`, the review date an approver recorded `last_reviewed`. Its content type moves too, so
the groups' permissions and the admin's history follow the rows. Works on SQLite and PostgreSQL alike."""

from django.db import migrations, models

RENAMED_FIELDS = [
    ("checked_on", "signed_off_on"),
    ("checked_by", "signed_off_by"),
    ("numbers_checked_on", "numbers_confirmed_on"),
    ("numbers_checked_by", "numbers_confirmed_by"),
    ("reviewed_on", "last_reviewed"),
]


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label="contacts", model="datareview").first()
    if old is None or ContentType.objects.filter(app_label="datafiles", model="datafile").exists():
        return  # a new database: permissions are made for DataFile after migrating
    old.app_label, old.model = "datafiles", "datafile"
    old.save()
    for permission in Permission.objects.filter(content_type=old, codename__endswith="_datareview"):
        action = permission.codename.removesuffix("_datareview")
        permission.codename = f"{action}_datafile"
        permission.name = f"Can {action} data file record"
        permission.save()


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    new = ContentType.objects.filter(app_label="datafiles", model="datafile").first()
    if new is None or ContentType.objects.filter(app_label="contacts", model="datareview").exists():
        return
    new.app_label, new.model = "contacts", "datareview"
    new.save()
    for permission in Permission.objects.filter(content_type=new, codename__endswith="_datafile"):
        action = permission.codename.removesuffix("_datafile")
        permission.codename = f"{action}_datareview"
        permission.name = f"Can {action} data review"
        permission.save()


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contacts", "0004_sign_off_names_an_approver"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # Its migrations grant the groups contacts.DataReview's permissions: they must exist to be moved.
        ("editorial", "0006_groups_read_feedback"),
    ]

    operations = [
        # The table as contacts 0004 left it (the help texts are Django's alone: no column holds them).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataFile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "data",
                            models.CharField(
                                choices=[
                                    ("contacts", "Contacts and opening hours (content/contacts.yaml)"),
                                    ("rules", "Symptom checker rules (content/symptoms/rules.yaml)"),
                                ],
                                max_length=20,
                                unique=True,
                            ),
                        ),
                        (
                            "review_started_on",
                            models.DateField(
                                blank=True,
                                help_text="The day the team started reviewing this information. Pages then say a "
                                "review is under way. Clear it when the review is finished and the new dates are in "
                                "the file.",
                                null=True,
                            ),
                        ),
                        (
                            "numbers_checked_on",
                            models.DateField(
                                blank=True,
                                editable=False,
                                help_text="Contacts only: the day a clinical approver confirmed every phone number "
                                "and opening hour (the admin action records today's date and their name; pages name "
                                "them).",
                                null=True,
                            ),
                        ),
                        (
                            "numbers_checked_by",
                            models.CharField(
                                blank=True,
                                editable=False,
                                help_text="Who recorded numbers_confirmed_on, as pages name them.",
                                max_length=300,
                            ),
                        ),
                        ("checked_on", models.DateField(blank=True, editable=False, null=True)),
                        (
                            "checked_by",
                            models.CharField(
                                blank=True, editable=False, help_text="The approver's username.", max_length=150
                            ),
                        ),
                        (
                            "approver_name",
                            models.CharField(
                                blank=True,
                                editable=False,
                                help_text="The approver's name as pages show it.",
                                max_length=300,
                            ),
                        ),
                        (
                            "reviewed_on",
                            models.DateField(
                                blank=True,
                                editable=False,
                                help_text="Set when a clinical approver marks the file reviewed.",
                                null=True,
                            ),
                        ),
                        (
                            "next_review_due",
                            models.DateField(
                                blank=True,
                                editable=False,
                                help_text="Set with last_reviewed. Pages use these dates when they are later than "
                                "the file's own.",
                                null=True,
                            ),
                        ),
                        (
                            "document",
                            models.TextField(
                                blank=True,
                                editable=False,
                                help_text="The text a clinical approver approved in the admin, in use instead of the "
                                "file until it is in git (export_content, then a release with the same text). Blank: "
                                "the file in content/ is in use.",
                            ),
                        ),
                        ("content_hash", models.CharField(blank=True, editable=False, max_length=64)),
                        (
                            "changed_at",
                            models.DateTimeField(
                                editable=False,
                                help_text="When this website first showed the file as it is now.",
                                null=True,
                            ),
                        ),
                    ],
                    options={"db_table": "contacts_datareview", "ordering": ["data"], "verbose_name": "data review"},
                ),
            ],
        ),
        migrations.AlterModelTable(name="datafile", table=None),
        *[migrations.RenameField("datafile", old, new) for old, new in RENAMED_FIELDS],
        migrations.AlterModelOptions(
            name="datafile", options={"ordering": ["data"], "verbose_name": "data file record"}
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
