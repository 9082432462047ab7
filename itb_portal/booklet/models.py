from dataclasses import dataclass
from datetime import date

import reversion
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from .markdown import render


@dataclass(frozen=True)
class ReviewDates:
    last_reviewed: date
    next_review_due: date

    @property
    def is_overdue(self) -> bool:
        return self.next_review_due < timezone.localdate()


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).order_by("order", "title")

    def at_address(self, slug: str) -> "Section | None":
        """The section an address means: the one using it now, else the one that used it before a rename.

        Addresses are stored in lower case, so one typed with capitals finds the same section."""
        slug = slug.lower()
        return self.filter(slug=slug).first() or self.filter(old_slugs__old_slug=slug).first()

    def overdue_for_review(self, today: date | None = None):
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def review_dates(self) -> ReviewDates | None:
        """The whole booklet's dates: its newest review, and the soonest review due.

        Pages that need nothing else from the database (the symptom checker, the contacts)
        must keep working while it is down, so then the dates this process read last are used.
        """
        key = str(self.query)
        try:
            dates = self.aggregate(last=models.Max("last_reviewed"), due=models.Min("next_review_due"))
        except (OperationalError, InterfaceError):
            return _last_review_dates.get(key)
        found = None if dates["last"] is None else ReviewDates(dates["last"], dates["due"])
        _last_review_dates[key] = found
        return found


# Per process: the review dates last read, by query.
_last_review_dates: dict[str, ReviewDates | None] = {}


@reversion.register()
class Section(models.Model):
    """One part of the booklet: a page of its own, written in Markdown."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The page address. Changing it keeps old links working."
    )
    summary = models.CharField(max_length=300, help_text="One line, shown in the contents and in link previews.")
    order = models.PositiveIntegerField(default=0, help_text="Position in the booklet, lowest first.")
    body = MarkdownxField(help_text="Markdown. Use ## and ### for headings.")
    body_html = models.TextField(editable=False, default="")
    last_reviewed = models.DateField()
    next_review_due = models.DateField()
    sources = models.TextField(blank=True, help_text="Where the facts come from, one per line.")
    is_published = models.BooleanField(default=True)
    edited_in_admin = models.BooleanField(
        default=False,
        editable=False,
        help_text="Set when an editor saves in the admin, so loading content/ never overwrites that work.",
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("booklet:section", args=[self.slug])

    def clean(self) -> None:
        # Addresses are lower case, so one typed with capitals still finds the page.
        self.slug = self.slug.lower()

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def review(self) -> ReviewDates:
        return ReviewDates(self.last_reviewed, self.next_review_due)

    def is_overdue_for_review(self, today: date | None = None) -> bool:
        return self.next_review_due < (today or timezone.localdate())


class SlugRedirect(models.Model):
    """An old address of a section. It points at the section itself, so it always
    lands on the newest address in one hop: no chains, no loops."""

    old_slug = models.SlugField(max_length=100, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.section.slug}"


# Old addresses are kept by signals, not in Section.save: restoring a revision (in the admin
# or in code) saves the section "raw", which skips save() but still sends these signals.
@receiver(pre_save, sender=Section)
def _remember_previous_slug(sender, instance: Section, **kwargs) -> None:
    instance._previous_slug = (
        Section.objects.filter(pk=instance.pk).values_list("slug", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Section)
def _keep_old_addresses(sender, instance: Section, **kwargs) -> None:
    # An address now in use is no longer an old address of anything.
    SlugRedirect.objects.filter(old_slug=instance.slug).delete()
    previous = getattr(instance, "_previous_slug", None)
    if previous and previous != instance.slug:
        SlugRedirect.objects.update_or_create(old_slug=previous, defaults={"section": instance})
