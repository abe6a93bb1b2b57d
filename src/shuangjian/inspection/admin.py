"""Django admin for inspections: read-only. Checklists, campaigns, inspections, orders and cases change through the
services, which check the rules and write the order record; the admin lets staff look things up."""

from typing import Any

from django.contrib import admin

from shuangjian.core.admin import ReadOnlyAdmin
from shuangjian.inspection import models


class FindingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.Finding
    fields = ("item", "result", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "text", "severity", "region", "active")
    list_filter = ("severity", "active")
    search_fields = ("code", "text")


@admin.register(models.Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "starts_on", "ends_on", "target_inspections")
    search_fields = ("name",)


@admin.register(models.Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("inspected_on", "kind", "institution", "address", "county", "recorded_by")
    list_filter = ("kind",)
    raw_id_fields = ("institution", "campaign", "case", "county", "city", "province")
    inlines = (FindingInline,)


@admin.register(models.RectificationOrder)
class RectificationOrderAdmin(ReadOnlyAdmin):
    list_display = ("institution", "issued_on", "deadline", "status", "recommended_sanction")
    list_filter = ("status",)


@admin.register(models.UnlicensedCase)
class UnlicensedCaseAdmin(ReadOnlyAdmin):
    list_display = ("name", "address", "county", "source", "status", "closed_on")
    list_filter = ("status", "source")
    search_fields = ("name", "address")
