from django.contrib import admin
from django.db import models
from django.utils import timezone
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from .models import Section, SlugRedirect


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Past review date"), ("current", "Within review date")]

    def queryset(self, request, queryset):
        overdue = queryset.overdue_for_review()
        if self.value() == "overdue":
            return overdue
        if self.value() == "current":
            return queryset.exclude(pk__in=overdue)
        return queryset


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    """Every save is a revision: History lists them and any one can be restored."""

    list_display = ["title", "order", "slug", "is_published", "next_review_due", "review_status", "edited_in_admin"]
    # The admin registered is editorial's subclass: its list actions need the approver's permission.
    actions = []
    readonly_fields = ["review_started_on"]
    list_editable = []
    list_filter = [ReviewStatusFilter, "is_published", "edited_in_admin"]
    search_fields = ["title", "summary", "body"]
    ordering = ["order"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "order", "is_published"]}),
        ("Text", {"fields": ["body"]}),
        ("Review", {"fields": ["last_reviewed", "next_review_due", "review_started_on", "sources"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        # A translation keeps its English section's address; an English section shows the text version a
        # translation names in `translated_from` (docs/languages.md, "Translating the booklet").
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not obj.is_english:
            return [
                *fieldsets,
                ("Translation", {"fields": ["language", "translation_of", "translated_from", "translation_reviewer"]}),
            ]
        if obj is not None:
            return [*fieldsets, ("Translations", {"fields": ["english_text_version"]})]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        found = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_english:
            return [*found, "slug", "language", "translation_of", "translation_reviewer"]
        return [*found, "english_text_version"] if obj is not None else found

    @admin.display(description="Text version (a translation names it in “translated from”)")
    def english_text_version(self, obj: Section) -> str:
        return obj.text_version

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "sources":
            kwargs["widget"] = admin.widgets.AdminTextareaWidget(attrs={"rows": 3})
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Review status")
    def review_status(self, obj: Section) -> str:
        under_way = f"; review started {obj.review_started_on:%d %b %Y}" if obj.review_started_on else ""
        if obj.is_overdue_for_review(timezone.localdate()):
            return f"⚠ Past review date (due {obj.next_review_due:%d %b %Y}){under_way}"
        return "Up to date" + under_way

    def save_model(self, request, obj, form, change):
        obj.edited_in_admin = True
        super().save_model(request, obj, form, change)


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "section", "created_at"]
    list_display_links = ["old_slug"]
    search_fields = ["old_slug", "section__title"]
