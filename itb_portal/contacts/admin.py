from django.contrib import admin, messages
from django.utils import timezone

from .models import DataReview


@admin.register(DataReview)
class DataReviewAdmin(admin.ModelAdmin):
    """Editors record here what changes between deploys: a review under way, and the numbers checked."""

    list_display = ["__str__", "review_started_on", "numbers_checked_on", "changed_at"]
    fields = ["data", "review_started_on", "numbers_checked_on", "changed_at"]
    readonly_fields = ["data", "changed_at"]
    actions = ["review_started_today", "review_finished", "numbers_checked_today"]

    # Rows are made by `load_content`, one per data file.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Record that a review of the selected data started today")
    def review_started_today(self, request, queryset):
        for record in queryset:
            record.review_started_on = timezone.localdate()
            record.save(update_fields=["review_started_on"])

    @admin.action(description="Record that the review is finished (the new dates are in the file)")
    def review_finished(self, request, queryset):
        for record in queryset:
            record.review_started_on = None
            record.save(update_fields=["review_started_on"])

    @admin.action(description="Record that every phone number and opening hour was checked today")
    def numbers_checked_today(self, request, queryset):
        for record in queryset.filter(data=DataReview.CONTACTS):
            record.numbers_checked_on = timezone.localdate()
            record.save(update_fields=["numbers_checked_on"])
        if not queryset.filter(data=DataReview.CONTACTS).exists():
            self.message_user(request, "Only the contacts data holds phone numbers.", messages.WARNING)
