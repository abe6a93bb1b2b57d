"""/api/v1/afterschool: one operation per endpoint; each calls one service or selector.

The course framework and menu (bureau, school leader), service plans with their dated changes and service days,
offerings ordered from the menu, voluntary enrolment with ranked choices (guardian), the allocation run with its
published seed and its verification, and changes during the term (placements, withdrawals).
"""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.afterschool import selectors, selectors_menu
from shuangjian.afterschool.models import (
    AllocationRun,
    Assignment,
    CourseCategory,
    Enrolment,
    MenuCourse,
    Offering,
    PlanDate,
    ServicePlan,
)
from shuangjian.afterschool.schemas import (
    AllocationInputsOut,
    AllocationOut,
    AllocationRunIn,
    AssignmentOut,
    CategoryCreateIn,
    CategoryOut,
    CourseCreateIn,
    CourseOut,
    EnrolmentGetOut,
    EnrolmentListOut,
    EnrolmentSignUpIn,
    MenuFilterIn,
    OfferingCreateIn,
    OfferingOut,
    PlacementIn,
    PlanCreateIn,
    PlanDateIn,
    PlanDateOut,
    PlanDateRemoveOut,
    PlanDraftIn,
    PlanGetOut,
    PlanListOut,
    PreferencesIn,
    ServiceDayOut,
    ServiceDaysIn,
    ServiceDaysOut,
    VerificationOut,
)
from shuangjian.afterschool.services import allocation, changes, enrolment, menu, plans
from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses

router = Router(tags=["afterschool"])


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
