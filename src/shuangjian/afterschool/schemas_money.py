"""API schemas for staffing, fees, the satisfaction survey and absence cancelling (issue 3, items 5-7)."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

# Staffing


class DutyAssignIn(Schema):
    weekday: int = Field(ge=1, le=7)
    block: int = Field(ge=1)
    staff_id: int | None = None
    external_name: str = Field("", max_length=64)
    external_provider: str = Field("", max_length=128)
    external_qualification: str = Field("", max_length=128)
    class_id: int | None = None
    offering_id: int | None = None


class DutyOut(Schema):
    id: int
    plan_id: int
    weekday: int
    block: int = Field(alias="block_number")
    staff_id: int | None
    name: str
    external: bool
    external_provider: str
    external_qualification: str
    class_id: int | None = Field(alias="school_class_id")
    offering_id: int | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        if obj.staff is not None:
            return str(obj.staff)
        return str(obj.external_name)


class DutyRemoveOut(Schema):
    removed: bool


class StaffTermOut(Schema):
    days: int
    class_hours: int
    minutes: int
    flexible_minutes: int | None
    subsidy_fen: int | None


class StaffHoursOut(Schema):
    name: str
    provider: str
    external: bool
    term: StaffTermOut
    outlier: bool


class SpreadOut(Schema):
    median: float
    low_fence: float
    high_fence: float


class StaffingOut(Schema):
    plan_id: int = Field(alias="plan.pk")
    flexible_minutes_per_day: int | None = Field(alias="rules.flexible_minutes_per_day")
    subsidy_fen_per_class_hour: int | None = Field(alias="rules.subsidy_fen_per_class_hour")
    teaching_staff: int
    serving_staff: int
    spread: SpreadOut | None
    people: list[StaffHoursOut]


# Fees


class FeeSetIn(Schema):
    fee_fen_per_term: int = Field(ge=0)
    items: str = ""
    funding_note: str = ""


class FeeScheduleOut(Schema):
    plan_id: int
    school_code: str
    fee_fen_per_term: int
    free: bool
    class_hours: int
    items: str
    funding_note: str
    set_at: datetime

    @staticmethod
    def resolve_school_code(obj: Any) -> str:
        return str(obj.school_id)


class WaiverGrantIn(Schema):
    category: str
    reason: str
    waived_fen: int | None = Field(None, ge=0)


class WaiverOut(Schema):
    id: int
    enrolment_id: int
    student_id: int
    category: str
    category_label: str
    waived_fen: int
    reason: str
    approved_by: str
    approved_at: datetime

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_approved_by(obj: Any) -> str:
        return str(obj.approved_by)


class PaymentRecordIn(Schema):
    paid: bool
    note: str = ""


class PaymentOut(Schema):
    enrolment_id: int
    student_id: int
    paid: bool
    amount_fen: int
    note: str
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return str(obj.recorded_by)


class FeeBookRowOut(Schema):
    enrolment_id: int = Field(alias="enrolment.pk")
    student_id: int
    student_name: str = Field(alias="enrolment.student.name")
    class_name: str
    waiver_category: str
    waived_fen: int
    due_fen: int
    paid: bool
    recorded_by: str | None

    @staticmethod
    def resolve_student_id(obj: Any) -> int:
        return int(obj.enrolment.student_id)

    @staticmethod
    def resolve_class_name(obj: Any) -> str:
        return str(obj.enrolment.school_class)

    @staticmethod
    def resolve_waiver_category(obj: Any) -> str:
        return "" if obj.waiver is None else str(obj.waiver.category)

    @staticmethod
    def resolve_waived_fen(obj: Any) -> int:
        return 0 if obj.waiver is None else int(obj.waiver.waived_fen)

    @staticmethod
    def resolve_paid(obj: Any) -> bool:
        return bool(obj.record is not None and obj.record.paid)

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return None if obj.record is None else str(obj.record.recorded_by)


class FeeBookFilterIn(Schema):
    status: Literal["unpaid", "paid", "waived"] | None = None
    class_id: int | None = None
    page: int = Field(1, ge=1)


class FeeBookOut(Schema):
    plan_id: int = Field(alias="plan.pk")
    fee_fen_per_term: int | None
    limit_fen: int | None
    class_hours: int
    paid: int  # the counts are the whole plan's, whatever the filters
    unpaid: int
    waived: int
    matching: int  # children that pass the filters, over every page
    page: int
    pages: int
    rows: list[FeeBookRowOut]

    @staticmethod
    def resolve_fee_fen_per_term(obj: Any) -> int | None:
        return None if obj.schedule is None else int(obj.schedule.fee_fen_per_term)


class ChildFeeOut(Schema):
    enrolment_id: int = Field(alias="enrolment.pk")
    student_id: int
    published: bool
    fee_fen_per_term: int | None
    waived_fen: int
    waiver_category: str
    due_fen: int
    paid: bool
    refund_fen: int = Field(description="paid in full before a waiver was granted: what the school owes back")

    @staticmethod
    def resolve_student_id(obj: Any) -> int:
        return int(obj.enrolment.student_id)

    @staticmethod
    def resolve_published(obj: Any) -> bool:
        return obj.schedule is not None

    @staticmethod
    def resolve_fee_fen_per_term(obj: Any) -> int | None:
        return None if obj.schedule is None else int(obj.schedule.fee_fen_per_term)


# The survey


class SurveyAnswerIn(Schema):
    overall: int = Field(ge=1, le=5)
    content: int = Field(ge=1, le=5)
    care: int = Field(ge=1, le=5)
    staff: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)


class SurveyAnsweredOut(Schema):
    answered: bool


class ScoreSummaryOut(Schema):
    answers: int
    means: dict[str, float | None]


class SchoolSurveyOut(Schema):
    code: str
    name: str
    summary: ScoreSummaryOut


class SurveyResultsOut(Schema):
    code: str
    name: str
    on: date
    min_cell_size: int = Field(alias="min_cell")
    summary: ScoreSummaryOut
    comments: list[str]
    schools: list[SchoolSurveyOut]


class AbsenceCancelOut(Schema):
    id: int
    removed: bool
    end_date: date | None
