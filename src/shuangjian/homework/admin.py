from typing import Any

from django.contrib import admin

from shuangjian.homework import models


@admin.register(models.HomeworkItem)
class HomeworkItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "school_class", "subject", "kind", "layer", "estimated_minutes", "due_date", "status")
    list_filter = ("kind", "layer", "status", "subject")
    raw_id_fields = ("school", "school_class", "group", "assigned_by")
    date_hierarchy = "due_date"


@admin.register(models.HomeworkFeedback)
class HomeworkFeedbackAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("student", "date", "reported_minutes", "unfinished_at_bedtime", "source")
    raw_id_fields = ("student", "school", "school_class", "reported_by")
    date_hierarchy = "date"

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # feedback changes only through the service, which keeps the rollups exact


admin.site.register(models.HomeworkGroup)


@admin.register(models.SharedHomework)
class SharedHomeworkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Curators may correct a shared item's text or remove it; sharing and reuse go through the services."""

    list_display = ("title", "scope", "school", "grade", "subject", "kind", "layer", "reuse_count", "created_at")
    list_filter = ("scope", "grade", "subject", "kind", "layer")
    search_fields = ("title", "instructions")
    raw_id_fields = ("source_item", "school", "county", "city", "shared_by")
    readonly_fields = ("reuse_count", "created_at")

    def has_add_permission(self, request: Any) -> bool:
        return False  # a share is a teacher's act (services.showcase.showcase_share)


class HomeworkComplaintEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.HomeworkComplaintEvent
    fields = ("at", "party", "actor", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.HomeworkComplaint)
class HomeworkComplaintAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: a complaint moves only through the services, which record every status change."""

    list_display = ("reference", "school", "school_class", "status", "filed_at", "respond_by", "escalated_at")
    list_filter = ("status",)
    search_fields = ("reference",)
    date_hierarchy = "filed_at"
    inlines = [HomeworkComplaintEventInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
