from django.contrib import admin, messages
from django.utils import timezone

from .models import DataReview
from .reviews import APPROVE, approver_name


@admin.register(DataReview)
class DataReviewAdmin(admin.ModelAdmin):
    """Editors record here what changes between deploys: a review under way, and the numbers checked."""

    list_display = ["__str__", "review_started_on", "numbers_checked_on", "numbers_checked_by", "changed_at"]
    fields = ["data", "review_started_on", "numbers_checked_on", "numbers_checked_by", "changed_at"]
    # The numbers' check is recorded only by its action, as today, with the approver's name: never typed.
    readonly_fields = ["data", "numbers_checked_on", "numbers_checked_by", "changed_at"]
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
        if not request.user.has_perm(APPROVE):
            self.message_user(request, "Only a clinical approver can record a check of the numbers.", messages.ERROR)
            return
        for record in queryset.filter(data=DataReview.CONTACTS):
            # Pages name who checked: only ever today's date, and the approver recording it.
            record.numbers_checked_on, record.numbers_checked_by = timezone.localdate(), approver_name(request.user)
            record.save(update_fields=["numbers_checked_on", "numbers_checked_by"])
        if not queryset.filter(data=DataReview.CONTACTS).exists():
            self.message_user(request, "Only the contacts data holds phone numbers.", messages.WARNING)
