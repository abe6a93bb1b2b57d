from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shuangjian.core import models


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For append-only records (events, postings, ...): viewable, never added, changed or deleted by hand."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.User)
class ShuangjianUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "is_staff", "is_active")


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "stage", "ownership", "county")
    list_filter = ("stage", "ownership", "boarding")
    search_fields = ("code", "name")
    raw_id_fields = ("county", "city", "province", "school_group")


@admin.register(models.Student)
class StudentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("student_number", "name", "gender", "school", "school_class", "resident_id_masked", "status")
    search_fields = ("student_number", "name")
    raw_id_fields = ("school", "school_class")
    readonly_fields = ("resident_id_masked",)


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "region", "school", "grade", "school_class")
    list_filter = ("role",)
    raw_id_fields = ("user", "region", "school", "school_class", "student")


for model in (
    models.SchoolGroup,
    models.SchoolYear,
    models.Term,
    models.CalendarOverride,
    models.SchoolClass,
    models.Guardian,
    models.GuardianLink,
    models.Staff,
    models.SensitiveReadLog,
    models.APITokenEvent,
):
    admin.site.register(model)
