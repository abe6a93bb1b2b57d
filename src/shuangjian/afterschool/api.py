"""/api/v1/afterschool: one operation per endpoint; each calls one service or selector.

The course framework and menu (bureau, school leader), service plans with their dated changes and service days,
offerings ordered from the menu, voluntary enrolment with ranked choices (guardian), the allocation run with its
published seed and its verification, and changes during the term (placements, withdrawals); the daily operation:
attendance per block (a class's or a course's whole roster in one request), absences guardians report beforehand,
the leave-alone permission, sign-out to a registered guardian and the school's late pick-ups.
"""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.afterschool import selectors, selectors_attendance, selectors_menu, selectors_participation
from shuangjian.afterschool.api_money import router as money_router
from shuangjian.afterschool.models import (
    AbsenceReport,
    AllocationRun,
    Assignment,
    AttendanceRecord,
    CourseCategory,
    Enrolment,
    LeaveAlonePermission,
    MenuCourse,
    Offering,
    PlanDate,
    ServicePlan,
    SignOut,
)
from shuangjian.afterschool.schemas import (
    AbsenceOut,
    AbsenceReportIn,
    AllocationInputsOut,
    AllocationOut,
    AllocationRunIn,
    AssignmentOut,
    AttendanceRecordOut,
    AttendanceTakeIn,
    AttendanceTakenOut,
    CategoryCreateIn,
    CategoryOut,
    CourseCreateIn,
    CourseOut,
    DateRangeIn,
    EnrolmentGetOut,
    EnrolmentListOut,
    EnrolmentSignUpIn,
    LatePickupsIn,
    LeaveAloneIn,
    LeaveAloneOut,
    MenuFilterIn,
    OfferingCreateIn,
    OfferingOut,
    ParticipationIn,
    PlacementIn,
    PlanCreateIn,
    PlanDateIn,
    PlanDateOut,
    PlanDateRemoveOut,
    PlanDraftIn,
    PlanGetOut,
    PlanListOut,
    PreferencesIn,
    RegionParticipationOut,
    RosterOut,
    SchoolParticipationOut,
    ServiceDayOut,
    ServiceDaysIn,
    ServiceDaysOut,
    SignOutIn,
    SignOutOut,
    VerificationOut,
)
from shuangjian.afterschool.services import allocation, attendance, changes, enrolment, menu, plans, signout
from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses

router = Router(tags=["afterschool"])
router.add_router("", money_router)  # staffing, fees, the survey, cancelling an absence


def _draft(payload: PlanDraftIn) -> plans.PlanDraft:
    return plans.PlanDraft(
        weekdays=tuple(payload.weekdays),
        blocks=tuple(plans.BlockDraft(b.number, b.kind, b.start, b.end) for b in payload.blocks),
        enrolment_opens_at=payload.enrolment_opens_at,
        enrolment_closes_at=payload.enrolment_closes_at,
        max_preferences=payload.max_preferences,
        courses_per_student=payload.courses_per_student,
        override_reason=payload.override_reason,
        seed_source=payload.seed_source,
    )


def _course_draft(payload: CourseCreateIn) -> menu.CourseDraft:
    return menu.CourseDraft(**payload.model_dump())


# The framework and the menu


@router.post(
    "/regions/{code}/categories",
    response={201: CategoryOut, **error_responses(400, 403, 404)},
    summary="Add a category to a region's course framework (bureau)",
)
def category_create(request: HttpRequest, code: str, payload: CategoryCreateIn) -> Status[CourseCategory]:
    return Status(201, menu.category_create(actor=actor(request), region_code=code, **payload.model_dump()))


@router.get(
    "/regions/{code}/categories",
    response={200: list[CategoryOut], **error_responses(404)},
    summary="The course framework in force in a region (its own and its parents' categories)",
)
@paginate(Pagination)
def category_list(request: HttpRequest, code: str) -> QuerySet[CourseCategory]:
    return selectors_menu.category_list(actor=actor(request), region_code=code)


@router.post(
    "/regions/{code}/menu",
    response={201: CourseOut, **error_responses(400, 403, 404)},
    summary="Put a course on a region's menu (bureau; its own or an external provider's)",
)
def menu_course_create_for_region(request: HttpRequest, code: str, payload: CourseCreateIn) -> Status[MenuCourse]:
    course = menu.menu_course_create_for_region(actor=actor(request), region_code=code, draft=_course_draft(payload))
    return Status(201, course)


@router.post(
    "/schools/{code}/courses",
    response={201: CourseOut, **error_responses(400, 403, 404)},
    summary="Add one of the school's own courses to the menu (school leader)",
)
def menu_course_create_for_school(request: HttpRequest, code: str, payload: CourseCreateIn) -> Status[MenuCourse]:
    course = menu.menu_course_create_for_school(actor=actor(request), school_code=code, draft=_course_draft(payload))
    return Status(201, course)


@router.get("/menu", response={200: list[CourseOut], **error_responses(404)}, summary="Menu courses I may read")
@paginate(Pagination)
def menu_course_list(request: HttpRequest, filters: Query[MenuFilterIn]) -> QuerySet[MenuCourse]:
    return selectors_menu.menu_course_list(actor=actor(request), school_code=filters.school)


@router.get("/menu/{course_id}", response={200: CourseOut, **error_responses(404)}, summary="One menu course")
def menu_course_get(request: HttpRequest, course_id: int) -> MenuCourse:
    return selectors_menu.menu_course_get(actor=actor(request), course_id=course_id)


# Plans


@router.post(
    "/plans",
    response={201: PlanGetOut, **error_responses(400, 403, 404)},
    summary="Set a school's service plan for a term (school leader)",
)
def plan_create(request: HttpRequest, payload: PlanCreateIn) -> Status[ServicePlan]:
    plan = plans.plan_create(
        actor=actor(request),
        school_code=payload.school_code,
        start_year=payload.start_year,
        term_number=payload.term_number,
        draft=_draft(payload),
    )
    return Status(201, plan)


@router.get("/plans", response={200: list[PlanListOut], **error_responses()}, summary="Plans of the schools I reach")
@paginate(Pagination)
def plan_list(request: HttpRequest) -> QuerySet[ServicePlan]:
    return selectors.plan_list(actor=actor(request))


@router.get("/plans/{plan_id}", response={200: PlanGetOut, **error_responses(404)}, summary="One service plan")
def plan_get(request: HttpRequest, plan_id: int) -> ServicePlan:
    return selectors.plan_get(actor=actor(request), plan_id=plan_id)


@router.put(
    "/plans/{plan_id}",
    response={200: PlanGetOut, **error_responses(400, 403, 404)},
    summary="Change a plan's days, blocks, window or limits (school leader)",
)
def plan_update(request: HttpRequest, plan_id: int, payload: PlanDraftIn) -> ServicePlan:
    return plans.plan_update(actor=actor(request), plan_id=plan_id, draft=_draft(payload))


@router.get(
    "/plans/{plan_id}/service-days",
    response={200: ServiceDaysOut, **error_responses(400, 404)},
    summary="The plan's service days in a range (default: its term); the calendar removes holidays",
)
def plan_service_days(request: HttpRequest, plan_id: int, query: Query[ServiceDaysIn]) -> ServiceDaysOut:
    plan, start, end, days = selectors.plan_service_days(
        actor=actor(request), plan_id=plan_id, start=query.start, end=query.end
    )
    return ServiceDaysOut(
        plan_id=plan.pk,
        start=start,
        end=end,
        count=len(days),
        days=[ServiceDayOut(date=d.day, timetable_weekday=d.timetable_weekday) for d in days],
    )


@router.put(
    "/plans/{plan_id}/date-changes/{day}",
    response={200: PlanDateOut, **error_responses(400, 403, 404)},
    summary="Run a weekday's timetable on a date (a make-up workday), or no service (school leader)",
)
def plan_date_set(request: HttpRequest, plan_id: int, day: date, payload: PlanDateIn) -> PlanDate:
    return plans.plan_date_set(
        actor=actor(request), plan_id=plan_id, day=day, follows_weekday=payload.follows_weekday, reason=payload.reason
    )


@router.delete(
    "/plans/{plan_id}/date-changes/{day}",
    response={200: PlanDateRemoveOut, **error_responses(403, 404)},
    summary="Drop a dated change: the weekly pattern applies again (school leader)",
)
def plan_date_remove(request: HttpRequest, plan_id: int, day: date) -> PlanDateRemoveOut:
    return PlanDateRemoveOut(removed=plans.plan_date_remove(actor=actor(request), plan_id=plan_id, day=day))


# Offerings


@router.post(
    "/plans/{plan_id}/offerings",
    response={201: OfferingOut, **error_responses(400, 403, 404)},
    summary="Order a menu course into the plan's activities blocks (school leader)",
)
def offering_create(request: HttpRequest, plan_id: int, payload: OfferingCreateIn) -> Status[Offering]:
    offering = plans.offering_create(
        actor=actor(request),
        plan_id=plan_id,
        course_id=payload.course_id,
        slots=[(s.weekday, s.block) for s in payload.slots],
        capacity=payload.capacity,
    )
    return Status(201, offering)


@router.get(
    "/plans/{plan_id}/offerings",
    response={200: list[OfferingOut], **error_responses(404)},
    summary="The courses a plan offers, with their seats",
)
@paginate(Pagination)
def offering_list(request: HttpRequest, plan_id: int) -> QuerySet[Offering]:
    return selectors.offering_list(actor=actor(request), plan_id=plan_id)


# Enrolment


@router.post(
    "/enrolments",
    response={201: EnrolmentListOut, **error_responses(400, 404)},
    summary="Sign my child up for the term's after-school service, with my consent (guardian)",
)
def enrolment_sign_up(request: HttpRequest, payload: EnrolmentSignUpIn) -> Status[Enrolment]:
    signed = enrolment.enrolment_sign_up(
        actor=actor(request), plan_id=payload.plan_id, student_id=payload.student_id, consent=payload.consent
    )
    return Status(201, signed)


@router.get(
    "/plans/{plan_id}/enrolments",
    response={200: list[EnrolmentListOut], **error_responses(404)},
    summary="A plan's enrolments I may see (a guardian: their own children's)",
)
@paginate(Pagination)
def enrolment_list(request: HttpRequest, plan_id: int) -> QuerySet[Enrolment]:
    return selectors.enrolment_list(actor=actor(request), plan_id=plan_id)


@router.get(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentGetOut, **error_responses(404)},
    summary="One enrolment: choices, seats, waitlist places, place in the draw, history",
)
def enrolment_get(request: HttpRequest, enrolment_id: int) -> Enrolment:
    return selectors.enrolment_detail(actor=actor(request), enrolment_id=enrolment_id)


@router.put(
    "/enrolments/{enrolment_id}/preferences",
    response={200: EnrolmentListOut, **error_responses(400, 403, 404)},
    summary="Rank the activity offerings, most wanted first, while the window is open (guardian)",
)
def preferences_set(request: HttpRequest, enrolment_id: int, payload: PreferencesIn) -> Enrolment:
    return enrolment.preferences_set(actor=actor(request), enrolment_id=enrolment_id, offering_ids=payload.offering_ids)


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response={200: EnrolmentListOut, **error_responses(400, 403, 404)},
    summary="Take the child out of the term's service (guardian or school leader)",
)
def enrolment_withdraw(request: HttpRequest, enrolment_id: int) -> Enrolment:
    return changes.enrolment_withdraw(actor=actor(request), enrolment_id=enrolment_id)


@router.post(
    "/enrolments/{enrolment_id}/placements",
    response={201: AssignmentOut, **error_responses(400, 403, 404)},
    summary="Give the child a free seat in an offering (school leader, after the allocation)",
)
def assignment_place(request: HttpRequest, enrolment_id: int, payload: PlacementIn) -> Status[Assignment]:
    placed = changes.assignment_place(actor=actor(request), enrolment_id=enrolment_id, offering_id=payload.offering_id)
    return Status(201, placed)


@router.post(
    "/assignments/{assignment_id}/withdraw",
    response={200: AssignmentOut, **error_responses(400, 403, 404)},
    summary="Take the child out of one course or off its waitlist (guardian or school leader)",
)
def assignment_withdraw(request: HttpRequest, assignment_id: int) -> Assignment:
    return changes.assignment_withdraw(actor=actor(request), assignment_id=assignment_id)


# Allocation


@router.post(
    "/plans/{plan_id}/allocation",
    response={201: AllocationOut, **error_responses(400, 403, 404)},
    summary="Draw the plan's seats with the published seed, after the window closed (school leader)",
)
def allocation_run(request: HttpRequest, plan_id: int, payload: AllocationRunIn) -> Status[AllocationRun]:
    return Status(201, allocation.allocation_run(actor=actor(request), plan_id=plan_id, seed=payload.seed))


@router.get(
    "/plans/{plan_id}/allocation",
    response={200: AllocationOut, **error_responses(404)},
    summary="The plan's allocation run: method, seed, who, when, hashes",
)
def allocation_get(request: HttpRequest, plan_id: int) -> AllocationRun:
    return selectors.allocation_get(actor=actor(request), plan_id=plan_id)


@router.get(
    "/plans/{plan_id}/allocation/inputs",
    response={200: AllocationInputsOut, **error_responses(403, 404)},
    summary="The run's stored inputs, to re-run it elsewhere (school staff, bureau)",
)
def allocation_inputs(request: HttpRequest, plan_id: int) -> AllocationRun:
    return selectors.allocation_inputs(actor=actor(request), plan_id=plan_id)


@router.get(
    "/plans/{plan_id}/allocation/verify",
    response={200: VerificationOut, **error_responses(404)},
    summary="Re-run the stored inputs with the seed and compare both hashes",
)
def allocation_verify(request: HttpRequest, plan_id: int) -> selectors.Verification:
    return selectors.allocation_verify(actor=actor(request), plan_id=plan_id)


# Daily operation: attendance per block, absences reported beforehand, sign-out


def _marks(payload: AttendanceTakeIn) -> list[attendance.Mark]:
    return [attendance.Mark(m.student_id, m.status) for m in payload.marks]


def _taken(taken: attendance.TakenRoster) -> AttendanceTakenOut:
    statuses = ("present", "late", "absent", "excused")
    return AttendanceTakenOut(
        plan_id=taken.plan.pk,
        day=taken.day,
        block=taken.block.number,
        class_id=None if taken.school_class is None else taken.school_class.pk,
        offering_id=None if taken.offering is None else taken.offering.pk,
        saved=len(taken.records),
        **{status: taken.count(status) for status in statuses},
    )


@router.get(
    "/classes/{class_id}/attendance/{day}/{block}",
    response={200: RosterOut, **error_responses(400, 403, 404)},
    summary="A class's roster for a homework-guidance or care block on a service date, with excused absences",
)
def class_roster(request: HttpRequest, class_id: int, day: date, block: int) -> selectors_attendance.Roster:
    return selectors_attendance.class_roster(actor=actor(request), class_id=class_id, day=day, block_number=block)


@router.put(
    "/classes/{class_id}/attendance/{day}/{block}",
    response={200: AttendanceTakenOut, **error_responses(400, 403, 404)},
    summary="Take a class's attendance for a block: every student of the roster in one request (teachers)",
)
def class_attendance_take(
    request: HttpRequest, class_id: int, day: date, block: int, payload: AttendanceTakeIn
) -> AttendanceTakenOut:
    taken = attendance.class_attendance_take(
        actor=actor(request), class_id=class_id, day=day, block_number=block, marks=_marks(payload)
    )
    return _taken(taken)


@router.get(
    "/offerings/{offering_id}/attendance/{day}/{block}",
    response={200: RosterOut, **error_responses(400, 403, 404)},
    summary="A course's roster (its seat holders) for an activities block on a service date",
)
def offering_roster(request: HttpRequest, offering_id: int, day: date, block: int) -> selectors_attendance.Roster:
    return selectors_attendance.offering_roster(
        actor=actor(request), offering_id=offering_id, day=day, block_number=block
    )


@router.put(
    "/offerings/{offering_id}/attendance/{day}/{block}",
    response={200: AttendanceTakenOut, **error_responses(400, 403, 404)},
    summary="Take a course's attendance for a block: every seat holder in one request (teachers)",
)
def offering_attendance_take(
    request: HttpRequest, offering_id: int, day: date, block: int, payload: AttendanceTakeIn
) -> AttendanceTakenOut:
    taken = attendance.offering_attendance_take(
        actor=actor(request), offering_id=offering_id, day=day, block_number=block, marks=_marks(payload)
    )
    return _taken(taken)


@router.post(
    "/absences",
    response={201: AbsenceOut, **error_responses(400, 404)},
    summary="Report beforehand that my child will miss the service on some days (guardian)",
)
def absence_report(request: HttpRequest, payload: AbsenceReportIn) -> Status[AbsenceReport]:
    report = attendance.absence_report(
        actor=actor(request), student_id=payload.student_id, start=payload.start, end=payload.end, reason=payload.reason
    )
    return Status(201, report)


@router.get(
    "/students/{student_id}/absences",
    response={200: list[AbsenceOut], **error_responses(404)},
    summary="A child's reported absences (school staff, the child's family)",
)
@paginate(Pagination)
def absence_list(request: HttpRequest, student_id: int) -> QuerySet[AbsenceReport]:
    return selectors_attendance.absence_list(actor=actor(request), student_id=student_id)


@router.get(
    "/students/{student_id}/attendance",
    response={200: list[AttendanceRecordOut], **error_responses(400, 404)},
    summary="A child's attendance marks in a date range (school staff, the child's family)",
)
@paginate(Pagination)
def attendance_list(request: HttpRequest, student_id: int, query: Query[DateRangeIn]) -> QuerySet[AttendanceRecord]:
    return selectors_attendance.attendance_list(
        actor=actor(request), student_id=student_id, start=query.start, end=query.end
    )


@router.put(
    "/students/{student_id}/leave-alone",
    response={200: LeaveAloneOut, **error_responses(400, 404)},
    summary="Record whether my child may leave alone after the service (guardian)",
)
def leave_alone_set(request: HttpRequest, student_id: int, payload: LeaveAloneIn) -> LeaveAlonePermission:
    return signout.leave_alone_set(actor=actor(request), student_id=student_id, allowed=payload.allowed)


@router.put(
    "/students/{student_id}/sign-outs/{day}",
    response={200: SignOutOut, **error_responses(400, 403, 404)},
    summary="Sign a child out to a registered guardian, or to leave alone where allowed (teachers)",
)
def sign_out(request: HttpRequest, student_id: int, day: date, payload: SignOutIn) -> SignOut:
    return signout.sign_out(
        actor=actor(request),
        student_id=student_id,
        day=day,
        block_number=payload.block,
        guardian_id=payload.guardian_id,
        leave_alone=payload.leave_alone,
        at=payload.at,
    )


@router.get(
    "/schools/{code}/late-pickups",
    response={200: list[SignOutOut], **error_responses(400, 403, 404)},
    summary="A school's late pick-ups: sign-outs after the end of the child's block (school leaders, teachers)",
)
@paginate(Pagination)
def late_pickups(request: HttpRequest, code: str, query: Query[LatePickupsIn]) -> QuerySet[SignOut]:
    return selectors_attendance.late_pickups(actor=actor(request), school_code=code, start=query.start, end=query.end)


# Participation


@router.get(
    "/participation/regions/{code}",
    response={200: RegionParticipationOut, **error_responses(404)},
    summary="Coverage and participation across a region's schools: rates per county and school, fill per course",
)
def region_participation(
    request: HttpRequest, code: str, query: Query[ParticipationIn]
) -> selectors_participation.RegionParticipation:
    on = query.on or timezone.localdate()
    return selectors_participation.region_participation(actor=actor(request), region_code=code, on=on)


@router.get(
    "/participation/schools/{code}",
    response={200: SchoolParticipationOut, **error_responses(404)},
    summary="A school's participation by grade and its courses' fill rates (school leader, bureau, inspector)",
)
def school_participation(
    request: HttpRequest, code: str, query: Query[ParticipationIn]
) -> selectors_participation.SchoolParticipation:
    on = query.on or timezone.localdate()
    return selectors_participation.school_participation(actor=actor(request), school_code=code, on=on)
