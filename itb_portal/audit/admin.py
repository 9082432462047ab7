from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the workflow itself, never by hand: the admin only lists and shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: entries are written by the workflow itself, never by hand."""

    list_display = ["at", "who", "action", "what", "detail"]
    list_filter = ["action"]
    search_fields = ["who", "what", "detail"]
    date_hierarchy = "at"
