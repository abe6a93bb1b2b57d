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
    region_code: str
    framework: str
    code: str
    name: str
    description: str
    position: int

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return str(obj.region_id)


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
    region_code: str
    school_code: str | None
    category_id: int
    category_name: str
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
    def resolve_region_code(obj: Any) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_school_code(obj: Any) -> str | None:
        return obj.school.code if obj.school_id is not None else None

    @staticmethod
    def resolve_category_name(obj: Any) -> str:
        return str(obj.category.name)

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
    start: time
    end: time

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_start(obj: Any) -> time:
        return obj.start_time  # type: ignore[no-any-return]

    @staticmethod
    def resolve_end(obj: Any) -> time:
        return obj.end_time  # type: ignore[no-any-return]


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
    school_code: str
    school_name: str
    start_year: int
    term_number: int
    term_start: date
    term_end: date
    weekdays: list[int]
    blocks: list[BlockOut]
    enrolment_opens_at: datetime
    enrolment_closes_at: datetime
    max_preferences: int
    courses_per_student: int
    seed_source: str
    end_override: EndOverrideOut | None

    @staticmethod
    def resolve_school_code(obj: Any) -> str:
        return str(obj.school.code)

    @staticmethod
    def resolve_school_name(obj: Any) -> str:
        return str(obj.school.name)

    @staticmethod
    def resolve_start_year(obj: Any) -> int:
        return int(obj.term.school_year.start_year)

    @staticmethod
    def resolve_term_number(obj: Any) -> int:
        return int(obj.term.number)

    @staticmethod
    def resolve_term_start(obj: Any) -> date:
        return obj.term.start_date  # type: ignore[no-any-return]

    @staticmethod
    def resolve_term_end(obj: Any) -> date:
        return obj.term.end_date  # type: ignore[no-any-return]

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
    block: int

    @staticmethod
    def resolve_block(obj: Any) -> int:
        return int(obj.block_number)


class OfferingCreateIn(Schema):
    course_id: int
    slots: list[SlotIn] = Field(min_length=1, max_length=10)
    capacity: int | None = None


class OfferingOut(Schema):
    id: int
    plan_id: int
    course_id: int
    title: str
    category_name: str
    provider_kind: str
    provider_name: str
    grade_min: int
    grade_max: int
    venue: str
    staff: str
    fee_fen_per_session: int
    capacity: int
    assigned_count: int
    seats_left: int
    slots: list[SlotOut]

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.course.title)

    @staticmethod
    def resolve_category_name(obj: Any) -> str:
        return str(obj.course.category.name)

    @staticmethod
    def resolve_provider_kind(obj: Any) -> str:
        return str(obj.course.provider_kind)

    @staticmethod
    def resolve_provider_name(obj: Any) -> str:
        return str(obj.course.provider_name)

    @staticmethod
    def resolve_grade_min(obj: Any) -> int:
        return int(obj.course.grade_min)

    @staticmethod
    def resolve_grade_max(obj: Any) -> int:
        return int(obj.course.grade_max)

    @staticmethod
    def resolve_venue(obj: Any) -> str:
        return str(obj.course.venue)

    @staticmethod
    def resolve_staff(obj: Any) -> str:
        return str(obj.course.staff)

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
    title: str
    status: str
    status_label: str
    source: str
    rank: int | None
    waitlist_position: int | None

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.offering.course.title)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class EnrolmentListOut(Schema):
    id: int
    plan_id: int
    student_id: int
    student_name: str
    class_name: str
    status: str
    consent_by: str
    consent_at: datetime
    withdrawn_at: datetime | None
    preferences: list[int]
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_student_name(obj: Any) -> str:
        return str(obj.student.name)

    @staticmethod
    def resolve_class_name(obj: Any) -> str:
        return str(obj.school_class.name)

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
