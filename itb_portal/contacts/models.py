"""What an editor records about a data file between deploys, and when the site last changed it."""

from django.db import models


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
        help_text="Contacts only: the day someone last confirmed every phone number and opening hour. "
        "Pages show this date, or the one in contacts.yaml if that is later.",
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
