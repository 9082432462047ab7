"""What "Was this page useful?" keeps: per page and day, how many said yes and how many said no,
and any comments (with personal details taken out first). Nothing else: no address, no time of
day, no cookie and no session."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max, Q, Sum

ANSWERS = [("yes", "Yes"), ("no", "No")]


class AnswerCountQuerySet(models.QuerySet):
    def by_page(self):
        """Each page's totals, the page with the newest answer first."""
        return (
            self.values("page")
            .annotate(
                yes=Sum("count", filter=Q(answer="yes"), default=0),
                no=Sum("count", filter=Q(answer="no"), default=0),
                latest=Max("day"),
            )
            .order_by("-latest", "page")
        )


class AnswerCount(models.Model):
    page = models.CharField(max_length=300, help_text="The page's address on this site.")
    day = models.DateField(help_text="The day the answers were given (UK time).")
    answer = models.CharField(max_length=3, choices=ANSWERS)
    count = models.PositiveIntegerField(default=0)

    objects = AnswerCountQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "page", "answer"]
        constraints = [models.UniqueConstraint(fields=["page", "day", "answer"], name="one_count_per_page_day_answer")]
        verbose_name = "answer count"

    def __str__(self) -> str:
        return f"{self.page} on {self.day}: {self.count} × {self.answer}"

    @classmethod
    def add_one(cls, page: str, day: date, answer: str) -> None:
        """Counts one answer. Safe when two workers count the same page at once."""
        row = cls.objects.filter(page=page, day=day, answer=answer)
        if row.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(page=page, day=day, answer=answer, count=1)
        except IntegrityError:  # another worker made the row first
            row.update(count=F("count") + 1)


class CommentQuerySet(models.QuerySet):
    def counts_by_page(self) -> dict[str, int]:
        return dict(self.values_list("page").annotate(n=Count("id")).values_list("page", "n"))


class Comment(models.Model):
    page = models.CharField(max_length=300, help_text="The page's address on this site.")
    day = models.DateField(help_text="The day it was sent (UK time).")
    text = models.TextField(
        help_text="What the person wrote, with phone numbers, emails, NHS numbers and dates removed."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.page} on {self.day}"
