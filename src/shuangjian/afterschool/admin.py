"""Django admin for the after-school service. Curators may correct the menu's texts and retire a course; plans,
seats, enrolments and allocation runs change only through the services (which record every change), so they
are read-only here."""

from typing import Any

from django.contrib import admin

from shuangjian.afterschool import models, models_fees, models_staffing
from shuangjian.core.admin import ReadOnlyAdmin


@admin.register(models.CourseCategory)
class CourseCategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "framework", "region", "position")
    list_filter = ("framework",)
    raw_id_fields = ("region", "created_by")
    readonly_fields = ("region", "code", "created_by", "created_at")

    def has_add_permission(self, request: Any) -> bool:
        return False  # a bureau's act (services.menu.category_create)


@admin.register(models.MenuCourse)
class MenuCourseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Texts and the status (retire a course) may be corrected; who offers it, for whom, its seats and fee are
    fixed (offerings and families rely on them)."""

    list_display = ("title", "category", "provider_kind", "provider_name", "region", "school", "capacity", "status")
    list_filter = ("provider_kind", "status")
    search_fields = ("title", "provider_name")
    fields = (
        "title", "description", "venue", "staff", "status", "region", "school", "category", "provider_kind",
        "provider_name", "provider_credit_code", "grade_min", "grade_max", "capacity", "weekly_slots",
        "fee_fen_per_session", "created_by", "created_at",
    )  # fmt: skip
    readonly_fields = fields[5:]

    def has_add_permission(self, request: Any) -> bool:
        return False  # services.menu.menu_course_create_for_region / _for_school

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class PlanBlockInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.PlanBlock
    fields = ("number", "kind", "start_time", "end_time")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.ServicePlan)
class ServicePlanAdmin(ReadOnlyAdmin):
    list_display = ("school", "term", "weekdays", "enrolment_opens_at", "enrolment_closes_at", "end_override_reason")
    raw_id_fields = ("school", "term")
    inlines = [PlanBlockInline]


@admin.register(models.Offering)
class OfferingAdmin(ReadOnlyAdmin):
    list_display = ("course", "plan", "capacity", "assigned_count")
    raw_id_fields = ("plan", "school", "course")


class EnrolmentEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.EnrolmentEvent
    fields = ("at", "kind", "offering", "actor", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("student", "plan", "status", "consent_by", "consent_at", "withdrawn_at")
    list_filter = ("status",)
    raw_id_fields = ("plan", "student", "school", "school_class", "consent_by", "withdrawn_by")
    inlines = [EnrolmentEventInline]


@admin.register(models.AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ("plan", "method", "seed", "run_at", "students", "assigned", "waitlisted", "result_hash")
    exclude = ("inputs",)


# Daily operation: marks, absences and sign-outs are written by teachers and guardians through the services.


@admin.register(models.AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyAdmin):
    list_display = ("student", "day", "block_number", "offering", "status", "marked_by", "marked_at")
    list_filter = ("status",)
    raw_id_fields = ("plan", "school", "school_class", "student", "offering", "absence", "marked_by")


@admin.register(models.AbsenceReport)
class AbsenceReportAdmin(ReadOnlyAdmin):
    list_display = ("student", "start_date", "end_date", "reason", "reported_by", "reported_at")
    raw_id_fields = ("plan", "school", "school_class", "student", "reported_by")


@admin.register(models.SignOut)
class SignOutAdmin(ReadOnlyAdmin):
    list_display = ("student", "day", "guardian", "leave_alone", "signed_out_at", "minutes_late", "recorded_by")
    list_filter = ("leave_alone",)
    raw_id_fields = ("plan", "school", "school_class", "student", "guardian", "recorded_by")


@admin.register(models.LeaveAlonePermission)
class LeaveAlonePermissionAdmin(ReadOnlyAdmin):
    list_display = ("student", "allowed", "set_by", "set_at")
    raw_id_fields = ("student", "school", "school_class", "set_by")


# Staffing and fees change only through their services too. The survey's answers are not listed: results are read
# only as aggregates with small-cell suppression (selectors_survey).


@admin.register(models_staffing.StaffDuty)
class StaffDutyAdmin(ReadOnlyAdmin):
    list_display = ("plan", "weekday", "block_number", "staff", "external_name", "external_provider", "offering")
    raw_id_fields = ("plan", "school", "staff", "school_class", "offering", "created_by")


@admin.register(models_fees.FeeSchedule)
class FeeScheduleAdmin(ReadOnlyAdmin):
    list_display = ("plan", "fee_fen_per_term", "class_hours", "set_by", "set_at")
    raw_id_fields = ("plan", "school", "set_by")


@admin.register(models_fees.FeeWaiver)
class FeeWaiverAdmin(ReadOnlyAdmin):
    list_display = ("student", "category", "waived_fen", "approved_by", "approved_at")
    list_filter = ("category",)
    raw_id_fields = ("enrolment", "school", "school_class", "student", "approved_by")


@admin.register(models_fees.FeeRecord)
class FeeRecordAdmin(ReadOnlyAdmin):
    list_display = ("student", "paid", "amount_fen", "recorded_by", "recorded_at")
    list_filter = ("paid",)
    raw_id_fields = ("enrolment", "school", "school_class", "student", "recorded_by")
