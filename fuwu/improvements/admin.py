from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.improvements.models import ImprovementAction, ProgressEntry, Suggestion


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "title", "status", "owner", "due_on", "source_kind", "source_id")
    list_filter = ("status", "kind", "source_kind")
    list_select_related = ("owner",)
    search_fields = ("title",)


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "action", "kind", "author", "written_at")
    list_filter = ("kind",)
    list_select_related = ("action", "author")


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "status", "submitted_by", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("submitted_by",)
