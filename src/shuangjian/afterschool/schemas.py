"""API schemas of the after-school service: `<Entity><Action>In` / `<Entity><Action>Out`.

Choice fields (block kind, provider kind) are plain strings: the services check them and answer with
`afterschool.invalid_choice`. Weekdays are ISO numbers (1 = Monday). Output schemas read model instances through
their attributes and `get_<field>_display()` (schemas import no models). Students appear by name and id only.
"""

from datetime import date, datetime, time
from typing import Any

from ninja import Field, Schema

# The framework and the menu


class CategoryCreateIn(Schema):
    framework: str = Field(max_length=32, examples=["1+3+N"])
    code: str = Field(max_length=32, examples=["sports"])
    name: str = Field(max_length=64, examples=["体育锻炼"])
    description: str = ""
    position: int = Field(0, ge=0)


class CategoryOut(Schema):
    id: int
    region_code: str = Field(alias="region_id")
    framework: str
    code: str
    name: str
    description: str
    position: int


class CourseCreateIn(Schema):
    category_id: int
    title: str = Field(max_length=64)
    description: str = ""
    provider_kind: str = Field(examples=["school", "bureau", "university", "youth_palace", "institution", "volunteer"])
    provider_name: str = Field(max_length=128)
    provider_credit_code: str = Field("", max_length=32)
    grade_min: int
    grade_max: int
    capacity: int
    weekly_slots: int = 1
    venue: str = ""
    staff: str = ""
    fee_fen_per_session: int = Field(0, description="fen per session; 0 = free")


class CourseOut(Schema):
    id: int
    region_code: str = Field(alias="region_id")
    school_code: str | None
    category_id: int
    category_name: str = Field(alias="category.name")
    title: str
    description: str
    provider_kind: str
    provider_kind_label: str
    provider_name: str
    provider_credit_code: str
    grade_min: int
    grade_max: int
    capacity: int
    weekly_slots: int
    venue: str
    staff: str
    fee_fen_per_session: int
    free: bool
    status: str

    @staticmethod
    def resolve_school_code(obj: Any) -> str | None:
        return obj.school.code if obj.school_id is not None else None

    @staticmethod
    def resolve_provider_kind_label(obj: Any) -> str:
        return str(obj.get_provider_kind_display())


class MenuFilterIn(Schema):
    school: str | None = Field(None, description="only the courses this school may order (its code)")


# Plans


class BlockIn(Schema):
    number: int
    kind: str = Field(examples=["homework_guidance", "activities", "care"])
    start: time
    end: time


class PlanDraftIn(Schema):
    weekdays: list[int] = Field(max_length=7, examples=[[1, 2, 3, 4, 5]])
    blocks: list[BlockIn] = Field(max_length=8)
    enrolment_opens_at: datetime
    enrolment_closes_at: datetime
    max_preferences: int = 3
    courses_per_student: int = 1
    override_reason: str = Field("", description="why the service ends before the local off-work time (A2)")
    seed_source: str = Field(
        "", max_length=200, description="where the draw's seed will come from; frozen once the window has closed"
    )


class PlanCreateIn(PlanDraftIn):
    school_code: str
    start_year: int = Field(examples=[2026])
    term_number: int = Field(examples=[1])


class BlockOut(Schema):
    number: int
    kind: str
    kind_label: str
    start: time = Field(alias="start_time")
    end: time = Field(alias="end_time")

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class PlanDateOut(Schema):
    date: date
    follows_weekday: int | None
    reason: str


class EndOverrideOut(Schema):
    reason: str
    by: str
    at: datetime


class PlanListOut(Schema):
    id: int
    school_code: str = Field(alias="school.code")
    school_name: str = Field(alias="school.name")
    start_year: int = Field(alias="term.school_year.start_year")
    term_number: int = Field(alias="term.number")
    term_start: date = Field(alias="term.start_date")
    term_end: date = Field(alias="term.end_date")
    weekdays: list[int]
    blocks: list[BlockOut]
    enrolment_opens_at: datetime
    enrolment_closes_at: datetime
    max_preferences: int
    courses_per_student: int
    seed_source: str
    end_override: EndOverrideOut | None

    @staticmethod
    def resolve_blocks(obj: Any) -> list[Any]:
        return list(obj.blocks.all())

    @staticmethod
    def resolve_end_override(obj: Any) -> dict[str, Any] | None:
        if not obj.end_override_reason:
            return None
        return {"reason": obj.end_override_reason, "by": str(obj.end_override_by), "at": obj.end_override_at}


class PlanGetOut(PlanListOut):
    """A plan with its dated changes (make-up workdays, cancelled dates)."""

    dates: list[PlanDateOut]

    @staticmethod
    def resolve_dates(obj: Any) -> list[Any]:
        return sorted(obj.dates.all(), key=lambda d: d.date)


class PlanDateIn(Schema):
    follows_weekday: int | None = Field(None, description="the weekday whose timetable runs; null = no service")
    reason: str


class PlanDateRemoveOut(Schema):
    removed: bool


class ServiceDaysIn(Schema):
    start: date | None = None
    end: date | None = None


class ServiceDayOut(Schema):
    date: date
    timetable_weekday: int


class ServiceDaysOut(Schema):
    plan_id: int
    start: date
    end: date
    count: int
    days: list[ServiceDayOut]


# Offerings


class SlotIn(Schema):
    weekday: int
    block: int


class SlotOut(Schema):
    weekday: int
    block: int = Field(alias="block_number")


class OfferingCreateIn(Schema):
    course_id: int
    slots: list[SlotIn] = Field(min_length=1, max_length=10)
    capacity: int | None = None


class OfferingOut(Schema):
    id: int
    plan_id: int
    course_id: int
    title: str = Field(alias="course.title")
    category_name: str = Field(alias="course.category.name")
    provider_kind: str = Field(alias="course.provider_kind")
    provider_name: str = Field(alias="course.provider_name")
    grade_min: int
    grade_max: int
    venue: str = Field(alias="course.venue")
    staff: str = Field(alias="course.staff")
    fee_fen_per_session: int
    capacity: int
    assigned_count: int
    seats_left: int
    slots: list[SlotOut]

    @staticmethod
    def resolve_grade_min(obj: Any) -> int:
        return int(obj.course.grade_min)

    @staticmethod
    def resolve_grade_max(obj: Any) -> int:
        return int(obj.course.grade_max)

    @staticmethod
    def resolve_fee_fen_per_session(obj: Any) -> int:
        return int(obj.course.fee_fen_per_session)

    @staticmethod
    def resolve_seats_left(obj: Any) -> int:
        return max(int(obj.capacity) - int(obj.assigned_count), 0)

    @staticmethod
    def resolve_slots(obj: Any) -> list[Any]:
        return list(obj.slots.all())


# Enrolment, choices and seats


class EnrolmentSignUpIn(Schema):
    plan_id: int
    student_id: int
    consent: bool = Field(description="the guardian agrees to the child taking part (A5: voluntary)")


class PreferencesIn(Schema):
    offering_ids: list[int] = Field(max_length=20, description="most wanted first")


class PlacementIn(Schema):
    offering_id: int


class AssignmentOut(Schema):
    id: int
    offering_id: int
    title: str = Field(alias="offering.course.title")
    status: str
    status_label: str
    source: str
    rank: int | None
    waitlist_position: int | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class EnrolmentListOut(Schema):
    id: int
    plan_id: int
    student_id: int
    student_name: str = Field(alias="student.name")
    class_name: str = Field(alias="school_class.name")
    status: str
    consent_by: str
    consent_at: datetime
    withdrawn_at: datetime | None
    preferences: list[int]
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_consent_by(obj: Any) -> str:
        return str(obj.consent_by)

    @staticmethod
    def resolve_preferences(obj: Any) -> list[int]:
        return [p.offering_id for p in sorted(obj.preferences.all(), key=lambda p: p.rank)]

    @staticmethod
    def resolve_assignments(obj: Any) -> list[Any]:
        return list(obj.assignments.all())


class EnrolmentEventOut(Schema):
    at: datetime
    kind: str
    kind_label: str
    offering_id: int | None
    actor: str
    detail: dict[str, Any]

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor)


class EnrolmentGetOut(EnrolmentListOut):
    """One enrolment with its history and the child's place in the published draw."""

    lottery_position: int | None
    events: list[EnrolmentEventOut]

    @staticmethod
    def resolve_lottery_position(obj: Any) -> int | None:
        position = getattr(obj, "lottery_position", None)
        return None if position is None else int(position)

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


# Allocation


class AllocationRunIn(Schema):
    seed: str = Field(description="the seed the school published before the draw", examples=["2026-09-10 公示 7315"])


class AllocationOut(Schema):
    plan_id: int
    method: str
    seed: str
    seed_source: str
    run_at: datetime
    run_by: str
    inputs_hash: str
    result_hash: str
    students: int
    assigned: int
    waitlisted: int

    @staticmethod
    def resolve_run_by(obj: Any) -> str:
        return str(obj.run_by)


class AllocationInputsOut(AllocationOut):
    """The stored inputs: anyone with them and the seed can re-run rules.allocate and compare the hashes."""

    inputs: dict[str, Any]


class VerificationOut(Schema):
    method: str
    seed: str
    inputs_hash: str
    result_hash: str
    inputs_hash_matches: bool
    result_hash_matches: bool


# Daily operation: attendance, absences reported beforehand, sign-out


class MarkIn(Schema):
    student_id: int
    status: str = Field(examples=["present", "late", "absent", "excused"])


class AttendanceTakeIn(Schema):
    marks: list[MarkIn] = Field(max_length=300, description="every student of the roster, each once")


class RosterLineOut(Schema):
    student_id: int = Field(alias="student.pk")
    student_name: str = Field(alias="student.name")
    class_name: str = Field(alias="student.school_class.name")
    status: str
    status_label: str
    marked: bool
    excused_by_report: bool
    absence_reason: str | None
    marked_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.status_label)

    @staticmethod
    def resolve_marked(obj: Any) -> bool:
        return obj.record is not None

    @staticmethod
    def resolve_excused_by_report(obj: Any) -> bool:
        return obj.absence is not None

    @staticmethod
    def resolve_absence_reason(obj: Any) -> str | None:
        return None if obj.absence is None else str(obj.absence.reason)

    @staticmethod
    def resolve_marked_at(obj: Any) -> datetime | None:
        return None if obj.record is None else obj.record.marked_at


class RosterOut(Schema):
    """A block's roster on a service date: the class (homework guidance, care) or a course's seat holders."""

    plan_id: int = Field(alias="plan.pk")
    day: date
    block: int = Field(alias="block.number")
    block_kind: str = Field(alias="block.kind")
    start: time = Field(alias="block.start_time")
    end: time = Field(alias="block.end_time")
    class_id: int | None
    offering_id: int | None
    title: str
    marked: bool
    students: list[RosterLineOut]

    @staticmethod
    def resolve_class_id(obj: Any) -> int | None:
        return None if obj.school_class is None else int(obj.school_class.pk)

    @staticmethod
    def resolve_offering_id(obj: Any) -> int | None:
        return None if obj.offering is None else int(obj.offering.pk)

    @staticmethod
    def resolve_students(obj: Any) -> list[Any]:
        return list(obj.lines)


class AttendanceTakenOut(Schema):
    plan_id: int
    day: date
    block: int
    class_id: int | None
    offering_id: int | None
    saved: int
    present: int
    late: int
    absent: int
    excused: int


class AbsenceReportIn(Schema):
    student_id: int
    start: date
    end: date
    reason: str = Field(max_length=200, examples=["发烧，在家休息"])


class AbsenceOut(Schema):
    id: int
    student_id: int
    student_name: str = Field(alias="student.name")
    start: date = Field(alias="start_date")
    end: date = Field(alias="end_date")
    reason: str
    reported_by: str
    reported_at: datetime

    @staticmethod
    def resolve_reported_by(obj: Any) -> str:
        return str(obj.reported_by)


class DateRangeIn(Schema):
    start: date | None = Field(None, description="default: 30 days before `end`")
    end: date | None = Field(None, description="default: today")


class AttendanceRecordOut(Schema):
    id: int
    student_id: int
    day: date
    block: int = Field(alias="block_number")
    course: str | None
    status: str
    status_label: str
    excused_by_report: bool

    @staticmethod
    def resolve_course(obj: Any) -> str | None:
        return None if obj.offering is None else str(obj.offering.course.title)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_excused_by_report(obj: Any) -> bool:
        return obj.absence_id is not None


class LeaveAloneIn(Schema):
    allowed: bool = Field(description="the child may leave on their own after the service")


class LeaveAloneOut(Schema):
    student_id: int
    allowed: bool
    set_by: str
    set_at: datetime

    @staticmethod
    def resolve_set_by(obj: Any) -> str:
        return str(obj.set_by)


class SignOutIn(Schema):
    block: int = Field(description="the block the child leaves after (late pick-up counts from its end)")
    guardian_id: int | None = Field(None, description="the registered guardian who takes the child")
    leave_alone: bool = Field(False, description="the child leaves alone (only with the guardian's permission)")
    at: datetime | None = Field(None, description="when; default now")


class SignOutOut(Schema):
    id: int
    student_id: int
    student_name: str = Field(alias="student.name")
    class_name: str = Field(alias="school_class.name")
    day: date
    block: int = Field(alias="block_number")
    guardian_id: int | None
    guardian_name: str | None
    leave_alone: bool
    signed_out_at: datetime
    minutes_late: int
    recorded_by: str

    @staticmethod
    def resolve_guardian_name(obj: Any) -> str | None:
        return None if obj.guardian is None else str(obj.guardian.name)

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return str(obj.recorded_by)


class LatePickupsIn(Schema):
    start: date
    end: date


# Participation (selectors_participation): rates are None, and so are their numerators, below the minimum cell size


class ParticipationIn(Schema):
    on: date | None = Field(None, description="a day of the term to report on (default: today)")


class CellOut(Schema):
    whole: int
    part: int | None
    rate: float | None


class SchoolParticipationRowOut(Schema):
    code: str
    name: str
    county_name: str
    has_plan: bool
    plan_id: int | None
    students: CellOut
    staff: CellOut


class RegionParticipationRowOut(Schema):
    code: str
    name: str
    schools: int
    schools_with_plan: int
    students: CellOut
    staff: CellOut


class CourseFillOut(Schema):
    course_id: int
    title: str
    category: str
    provider: str
    offerings: int
    seats: CellOut


class RegionParticipationOut(Schema):
    region_code: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    on: date
    min_cell_size: int = Field(alias="min_cell")
    total: RegionParticipationRowOut
    children: list[RegionParticipationRowOut]
    schools: list[SchoolParticipationRowOut]
    courses: list[CourseFillOut]


class GradeParticipationOut(Schema):
    grade: int
    students: CellOut


class SchoolParticipationOut(Schema):
    school_code: str = Field(alias="school.code")
    school_name: str = Field(alias="school.name")
    on: date
    min_cell_size: int = Field(alias="min_cell")
    plan_id: int | None
    students: CellOut
    staff: CellOut
    grades: list[GradeParticipationOut]
    courses: list[CourseFillOut]
