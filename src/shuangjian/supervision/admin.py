"""Django admin for the early warning and the reports: read-only. Scores come from the nightly run, warnings move
through the services (appeal, decision) that write their record; the admin lets staff look things up."""

from typing import Any

from django.contrib import admin

from shuangjian.core.admin import ReadOnlyAdmin
from shuangjian.supervision import models


class WarningEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.WarningEvent
    fields = ("at", "kind", "actor", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.RiskScore)
class RiskScoreAdmin(ReadOnlyAdmin):
    list_display = ("institution", "on", "score", "level")
    list_filter = ("level", "on")
    raw_id_fields = ("institution",)


@admin.register(models.RiskWarning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ("institution", "issued_on", "level", "score", "status", "appeal_deadline")
    list_filter = ("status", "level")
    raw_id_fields = ("institution",)
    inlines = (WarningEventInline,)


@admin.register(models.ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ("region", "kind", "period_start", "period_end", "rows", "generated_at")
    list_filter = ("kind",)
