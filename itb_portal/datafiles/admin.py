from django.contrib import admin, messages
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record

from .models import DataFile
from .signoff import APPROVE, approver_name


@admin.register(DataFile)
class DataFileAdmin(admin.ModelAdmin):
    """Approvers record here what changes between deploys: a review under way, and the numbers confirmed.

    Each changes what pages tell patients, so each needs the change permission (the list actions too:
    Django would otherwise run them for anyone who can view) and each is written to the audit log."""

    list_display = ["__str__", "review_started_on", "numbers_confirmed_on", "numbers_confirmed_by", "changed_at"]
    fields = ["data", "review_started_on", "numbers_confirmed_on", "numbers_confirmed_by", "changed_at"]
    # The numbers are confirmed only by their action, with the approver's name: never typed.
    readonly_fields = ["data", "numbers_confirmed_on", "numbers_confirmed_by", "changed_at"]
    actions = ["review_started_today", "numbers_confirmed_today"]

    # Rows are made by `load_content`, one per data file.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            changes = ", ".join(f"{name} {form.cleaned_data[name] or 'cleared'}" for name in form.changed_data)
            record(AuditEntry.RECORDED, obj.data, request.user, detail=changes)

    @admin.action(description="Record that a review of the selected data started today", permissions=["change"])
    def review_started_today(self, request, queryset):
        for row in queryset:
            row.review_started_on = timezone.localdate()
            row.save(update_fields=["review_started_on"])
            record(AuditEntry.REVIEW_STARTED, row.data, request.user, detail="list action")

    @admin.action(
        description="Record that you confirmed every phone number and opening hour today", permissions=["change"]
    )
    def numbers_confirmed_today(self, request, queryset):
        if not request.user.has_perm(APPROVE):
            self.message_user(request, "Only a clinical approver can confirm the numbers.", messages.ERROR)
            return
        for row in queryset.filter(data=DataFile.CONTACTS):
            # Pages name who confirmed them: only ever today's date, and the approver recording it.
            row.numbers_confirmed_on, row.numbers_confirmed_by = timezone.localdate(), approver_name(request.user)
            row.save(update_fields=["numbers_confirmed_on", "numbers_confirmed_by"])
            record(AuditEntry.NUMBERS_CHECKED, row.data, request.user, detail="list action")
        if not queryset.filter(data=DataFile.CONTACTS).exists():
            self.message_user(request, "Only the contacts data holds phone numbers.", messages.WARNING)
