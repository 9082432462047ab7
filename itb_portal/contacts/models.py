"""What an editor records about a data file between deploys, and when the site last changed it."""

from django.core.exceptions import ValidationError
from django.db import models

from itb_portal.datafiles.schema import future_problem


class DataReview(models.Model):
    """One row per data file in content/: created and kept up to date by `load_content`."""

    CONTACTS = "contacts"
    RULES = "rules"
    DATA_CHOICES = [
        (CONTACTS, "Contacts and opening hours (content/contacts.yaml)"),
        (RULES, "Symptom checker rules (content/symptoms/rules.yaml)"),
    ]

    data = models.CharField(max_length=20, choices=DATA_CHOICES, unique=True)
    review_started_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the team started reviewing this information. Pages then say a review is under way. "
        "Clear it when the review is finished and the new dates are in the file.",
    )
    numbers_checked_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Contacts only: the day a clinical approver confirmed every phone number and opening hour "
        "(the admin action records today's date and their name; pages name them).",
    )
    numbers_checked_by = models.CharField(
        max_length=300, blank=True, editable=False, help_text="Who recorded numbers_checked_on, as pages name them."
    )
    # The last clinical sign-off of the data in use: only ever a clinical approver's approval or review in
    # the admin (reviews.sign_off). A release from git records nothing here, and clears the sign-off of a
    # file it changes. Pages name the approver.
    checked_on = models.DateField(null=True, blank=True, editable=False)
    checked_by = models.CharField(max_length=150, blank=True, editable=False, help_text="The approver's username.")
    approver_name = models.CharField(
        max_length=300, blank=True, editable=False, help_text="The approver's name as pages show it."
    )
    reviewed_on = models.DateField(
        null=True, blank=True, editable=False, help_text="Set when a clinical approver marks the file reviewed."
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set with reviewed_on. Pages use these dates when they are later than the file's own.",
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
        verbose_name = "data review"
        ordering = ["data"]

    def __str__(self) -> str:
        return self.get_data_display()

    def clean(self) -> None:
        # Pages say "checked on" this date: a day still to come would be a claim nobody can have made.
        problems = {
            name: problem
            for name in ("review_started_on", "numbers_checked_on")
            if (problem := future_problem(getattr(self, name), self._meta.get_field(name).verbose_name))
        }
        if problems:
            raise ValidationError(problems)
