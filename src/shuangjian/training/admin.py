"""Django admin for training supervision: read-only. Registry changes, licences, courses and sanctions go through the
services, which check the rules and write the event record; the admin lets staff look things up."""

from typing import Any

from django.contrib import admin

from shuangjian.core.admin import ReadOnlyAdmin
from shuangjian.training import models


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.InstitutionEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ComplaintEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.ComplaintEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "kind", "mode", "county", "licence_status", "escrow_bank")
    list_filter = ("kind", "mode", "licence_status")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("county", "city", "province")
    inlines = (EventInline,)


@admin.register(models.InstitutionEvent)
class InstitutionEventAdmin(ReadOnlyAdmin):
    list_display = ("institution", "kind", "from_status", "to_status", "actor", "at")
    list_filter = ("kind",)
    raw_id_fields = ("institution", "actor")


@admin.register(models.Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ("address", "institution", "area_square_metres")
    raw_id_fields = ("institution",)


@admin.register(models.InstitutionStaff)
class InstitutionStaffAdmin(ReadOnlyAdmin):
    list_display = ("name", "institution", "teaches", "qualification_number")
    raw_id_fields = ("institution",)


@admin.register(models.Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("title", "institution", "subject", "start_date", "end_date", "price_fen_per_lesson", "status")
    list_filter = ("status",)
    search_fields = ("title", "institution__name")
    raw_id_fields = ("institution", "site", "created_by")


@admin.register(models.GuidancePrice)
class GuidancePriceAdmin(ReadOnlyAdmin):
    list_display = ("region", "subject", "mode", "base_fen", "updated_at")
    raw_id_fields = ("region", "set_by")


@admin.register(models.GuidancePriceChange)
class GuidancePriceChangeAdmin(ReadOnlyAdmin):
    list_display = ("region", "subject", "mode", "previous_fen", "base_fen", "set_by", "set_at")
    raw_id_fields = ("region", "set_by")


@admin.register(models.Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ("institution", "kind", "authority", "starts_on", "ends_on")
    list_filter = ("kind",)
    raw_id_fields = ("institution", "decided_by", "complaint")


@admin.register(models.Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """The contact shows masked only; the digest and ciphertext stay out of the admin."""

    list_display = ("reference", "institution_name", "county", "channel", "status", "received_at")
    list_filter = ("status", "channel")
    search_fields = ("reference", "institution_name")
    fields = (
        "reference", "channel", "hotline_reference", "county", "institution", "institution_name",
        "institution_address", "content", "wants_reply", "contact_name", "phone_masked", "status", "received_at",
        "triage_due_on", "resolve_due_on", "category", "priority", "rejection_reason", "assignee", "outcome", "reply",
        "resolved_at", "operator_response",
    )  # fmt: skip
    raw_id_fields = ("county", "city", "province", "institution", "assignee")
    inlines = (ComplaintEventInline,)
