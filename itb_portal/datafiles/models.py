"""The data file record: what the database holds about each data file between deploys."""

from django.core.exceptions import ValidationError
from django.db import models

from . import CONTACTS, DATA_FILES, RULES
from .schema import future_problem


class DataFile(models.Model):
    """One row per data file in content/ (a `DataFileKind`): created and kept up to date by `load_content`."""

    CONTACTS = CONTACTS.name
    RULES = RULES.name
    DATA_CHOICES = [(kind.name, f"{kind.title} (content/{kind.relative})") for kind in DATA_FILES.values()]

    data = models.CharField(max_length=20, choices=DATA_CHOICES, unique=True)
    review_started_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the team started reviewing this information. Pages then say a review is under way. "
        "Clear it when the review is finished and the new dates are in the file.",
    )
    numbers_confirmed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Contacts only: the day a clinical approver confirmed every phone number and opening hour "
        "(the admin action records today's date and their name; pages name them).",
    )
    numbers_confirmed_by = models.CharField(
        max_length=300, blank=True, editable=False, help_text="Who recorded numbers_confirmed_on, as pages name them."
    )
    # The last clinical sign-off of the data in use: only ever a clinical approver's approval or review in
    # the admin (contacts/reviews.py, sign_off). A release from git records nothing here, and clears the
    # sign-off of a file it changes. Pages name the approver.
    signed_off_on = models.DateField(null=True, blank=True, editable=False)
    signed_off_by = models.CharField(max_length=150, blank=True, editable=False, help_text="The approver's username.")
    approver_name = models.CharField(
        max_length=300, blank=True, editable=False, help_text="The approver's name as pages show it."
    )
    last_reviewed = models.DateField(
        null=True, blank=True, editable=False, help_text="Set when a clinical approver marks the file reviewed."
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set with last_reviewed. Pages use these dates when they are later than the file's own.",
    )
    document = models.TextField(
        blank=True,
        editable=False,
        help_text="The text a clinical approver approved in the admin, in use instead of the file until it is in "
        "git (export_content, then a release with the same text). Blank: the file in content/ is in use.",
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    changed_at = models.DateTimeField(
        null=True, editable=False, help_text="When this website first showed the file as it is now."
    )

    class Meta:
        verbose_name = "data file record"
        ordering = ["data"]

    def __str__(self) -> str:
        return self.get_data_display()

    @property
    def kind(self):
        """The `DataFileKind` this row records."""
        return DATA_FILES[self.data]

    def clean(self) -> None:
        # Pages name these dates: a day still to come would be a claim nobody can have made.
        problems = {
            name: problem
            for name in ("review_started_on", "numbers_confirmed_on")
            if (problem := future_problem(getattr(self, name), self._meta.get_field(name).verbose_name))
        }
        if problems:
            raise ValidationError(problems)
