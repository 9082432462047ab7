"""Editors read the feedback here: each page's Yes and No counts and its comments, newest first.

What people sent is a record, so nothing can be added or changed; a comment can be deleted (for
example one that still holds something personal the redaction missed)."""

from django.contrib import admin

from .models import AnswerCount, Comment


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnswerCount)
class AnswerCountAdmin(ReadOnly):
    """The list shows the counts by day; above it, each page's totals, the newest answered first."""

    change_list_template = "admin/feedback/answercount/change_list.html"
    list_display = ["day", "page", "answer", "count"]
    list_filter = ["answer", "day"]
    search_fields = ["page"]
    date_hierarchy = "day"

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        comments = Comment.objects.counts_by_page()
        pages = [{**row, "comments": comments.get(row["page"], 0)} for row in AnswerCount.objects.by_page()]
        return super().changelist_view(request, {**(extra_context or {}), "pages": pages})


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ["day", "page", "text"]
    list_filter = ["day"]
    search_fields = ["page", "text"]
    date_hierarchy = "day"
