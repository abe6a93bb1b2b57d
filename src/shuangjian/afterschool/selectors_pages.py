"""Reads the after-school web pages need, shaped for them, on top of selectors, selectors_menu and
selectors_participation. Each starts from core.access through those selectors, so a page never shows more than the
actor's scope."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from shuangjian.afterschool import rules, selectors, selectors_menu
from shuangjian.afterschool.models import (
    AllocationRun,
    Assignment,
    AssignmentStatus,
    BlockKind,
    CourseCategory,
    Enrolment,
    EnrolmentStatus,
    MenuCourse,
    Offering,
    PlanBlock,
    PlanDate,
    ServicePlan,
)
from shuangjian.afterschool.selectors_menu import REGION_ROLES
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, Role, School, Student, StudentStatus, Term
from shuangjian.core.selectors import school_get
from shuangjian.core.weekdays import SCHOOL_WEEKDAYS, weekday_label

FAMILY_ROLES = (Role.GUARDIAN, Role.STUDENT)
TEACHING_ROLES = (Role.TEACHER, Role.HEAD_TEACHER)
# The roles the hub has a card for (a family, a school's leader, a region, a teacher taking a roll).
HUB_ROLES = (*FAMILY_ROLES, Role.SCHOOL_LEADER, *REGION_ROLES, *TEACHING_ROLES)


# ---- the hub ----


@dataclass(frozen=True, slots=True)
class SchoolLinks:
    code: str
    name: str
    plans: list[ServicePlan]


@dataclass(frozen=True, slots=True)
class RegionLink:
    code: str
    name: str
    can_manage_menu: bool


@dataclass(frozen=True, slots=True)
class Hub:
    family: bool
    schools: list[SchoolLinks]
    regions: list[RegionLink]
    takes_rosters: bool = False  # a teacher or head teacher without a school leader's card

    @property
    def empty(self) -> bool:
        return not (self.family or self.schools or self.regions or self.takes_rosters)


def hub(*, actor: Any) -> Hub:
    own = sorted(access.assignments(actor), key=lambda a: a.pk)
    plans = list(selectors.plan_list(actor=actor))
    schools = [
        SchoolLinks(a.school.code, a.school.name, [p for p in plans if p.school_id == a.school_id])
        for a in own
        if a.role == Role.SCHOOL_LEADER and a.school is not None
    ]
    regions = [
        RegionLink(a.region.code, a.region.name, a.role == Role.BUREAU)
        for a in own
        if a.role in REGION_ROLES and a.region is not None
    ]
    teaches = any(a.role in TEACHING_ROLES for a in own)
    return Hub(
        family=any(a.role in FAMILY_ROLES for a in own),
        schools=schools,
        regions=regions,
        takes_rosters=teaches and not schools,
    )


# ---- families ----


@dataclass(frozen=True, slots=True)
class Seat:
    assignment: Assignment
    queue_place: int | None  # on a waitlist: how many are ahead, plus one


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    block: PlanBlock
    offerings: list[Offering]  # the child's courses in an activities block (empty elsewhere)


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    weekday: int
    entries: list[ScheduleEntry]


@dataclass(frozen=True, slots=True)
class ChildPage:
    student: Student
    plan: ServicePlan | None
    blocks: list[PlanBlock] = field(default_factory=list)
    window_open: bool = False
    allocation: AllocationRun | None = None
    enrolment: Enrolment | None = None
    options: list[Offering] = field(default_factory=list)  # the offerings open to the child's grade
    ranked: list[Offering] = field(default_factory=list)  # the child's choices, most wanted first
    seats: list[Seat] = field(default_factory=list)
    schedule: list[ScheduleDay] = field(default_factory=list)
    lottery_position: int | None = None

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None and self.enrolment.status == EnrolmentStatus.ACTIVE


def children_list(*, actor: Any) -> QuerySet[Student]:
    """The children (in school) the actor reaches as a guardian, or themself as a student."""
    return (
        Student.objects.filter(access.visible(actor, Student, FAMILY_ROLES))
        .filter(status=StudentStatus.ENROLLED)
        .select_related("school", "school_class")
        .order_by("birth_date", "pk")
    )


def child_get(*, actor: Any, student_id: int) -> Student:
    child = children_list(actor=actor).filter(pk=student_id).first()
    if child is None:
        raise NotFound("student")
    return child


def plan_for_child(*, actor: Any, student: Student, today: date) -> ServicePlan | None:
    """The plan of the child's school for the term going on (or the next one)."""
    return (
        selectors.plan_list(actor=actor)
        .filter(school_id=student.school_id, term__end_date__gte=today)
        .order_by("term__start_date", "pk")
        .first()
    )


def _queue_place(row: Assignment) -> int | None:
    if row.status != AssignmentStatus.WAITLISTED or row.waitlist_position is None:
        return None
    ahead = Assignment.objects.filter(
        offering_id=row.offering_id,
        status=AssignmentStatus.WAITLISTED,
        enrolment__status=EnrolmentStatus.ACTIVE,
        waitlist_position__lt=row.waitlist_position,
    ).count()
    return ahead + 1


def weekly_schedule(plan: ServicePlan, blocks: list[PlanBlock], held: list[Offering]) -> list[ScheduleDay]:
    """Each service weekday with its blocks; in an activities block, the courses the child holds then."""
    by_slot: dict[rules.Slot, list[Offering]] = {}
    for offering in held:
        for slot in selectors.offering_slots(offering):
            by_slot.setdefault(slot, []).append(offering)
    return [
        ScheduleDay(
            weekday,
            [
                ScheduleEntry(b, by_slot.get((weekday, b.number), []) if b.kind == BlockKind.ACTIVITIES else [])
                for b in blocks
            ],
        )
        for weekday in sorted(plan.weekdays)
    ]


def child_page(*, actor: Any, student_id: int, now: datetime) -> ChildPage:
    student = child_get(actor=actor, student_id=student_id)
    plan = plan_for_child(actor=actor, student=student, today=now.date())
    if plan is None:
        return ChildPage(student, None)
    blocks = list(plan.blocks.all())
    offerings = list(selectors.offering_list(actor=actor, plan_id=plan.pk))
    grade = student.school_class.grade
    options = [o for o in offerings if rules.grade_eligible(grade, o.course.grade_min, o.course.grade_max)]
    allocation = AllocationRun.objects.filter(plan=plan).select_related("run_by").first()
    found = selectors.enrolment_list(actor=actor, plan_id=plan.pk).filter(student=student).first()
    enrolment = None if found is None else selectors.enrolment_detail(actor=actor, enrolment_id=found.pk)
    page = ChildPage(
        student,
        plan,
        blocks,
        window_open=rules.window_open(now, plan.enrolment_opens_at, plan.enrolment_closes_at),
        allocation=allocation,
        enrolment=enrolment,
        options=options,
    )
    if enrolment is None:
        return page
    by_id = {o.pk: o for o in offerings}
    ranked = [by_id[p.offering_id] for p in enrolment.preferences.all() if p.offering_id in by_id]
    rows = [
        a for a in enrolment.assignments.all() if a.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.WAITLISTED)
    ]
    rows.sort(key=lambda a: (a.status != AssignmentStatus.ASSIGNED, a.rank or 0, a.pk))
    seats = [Seat(a, _queue_place(a)) for a in rows]
    held = [by_id[a.offering_id] for a in rows if a.status == AssignmentStatus.ASSIGNED and a.offering_id in by_id]
    schedule = weekly_schedule(plan, blocks, held) if page.enrolled else []
    return ChildPage(
        student,
        plan,
        blocks,
        window_open=page.window_open,
        allocation=allocation,
        enrolment=enrolment,
        options=options,
        ranked=ranked,
        seats=seats,
        schedule=schedule,
        lottery_position=getattr(enrolment, "lottery_position", None),
    )


# ---- school leaders ----


@dataclass(frozen=True, slots=True)
class PlanPage:
    plan: ServicePlan
    blocks: list[PlanBlock]
    offerings: list[Offering]
    enrolled: int
    with_choices: int
    window_open: bool
    window_closed: bool
    allocation: AllocationRun | None
    can_allocate: bool
    verification: selectors.Verification | None
    can_manage: bool = False
    orderable: list[MenuCourse] = field(default_factory=list)  # menu courses the school may order (its leaders)
    activity_slots: list[tuple[str, str]] = field(default_factory=list)  # ("3-2", "周三 第 2 时段") choices
    date_changes: list[PlanDate] = field(default_factory=list)  # dated changes to the weekly pattern, by date


def plan_page(*, actor: Any, plan_id: int, now: datetime, verify: bool = False) -> PlanPage:
    plan = selectors.plan_get(actor=actor, plan_id=plan_id)
    counts = Enrolment.objects.filter(
        access.visible(actor, Enrolment), plan=plan, status=EnrolmentStatus.ACTIVE
    ).aggregate(
        enrolled=Count("pk", distinct=True),
        with_choices=Count("pk", filter=Q(preferences__isnull=False), distinct=True),
    )
    allocation = AllocationRun.objects.filter(plan=plan).select_related("run_by").first()
    blocks = list(plan.blocks.all())
    can_manage = access.can(actor, "afterschool.plan_manage", plan.school)
    return PlanPage(
        plan=plan,
        blocks=blocks,
        offerings=list(selectors.offering_list(actor=actor, plan_id=plan.pk)),
        enrolled=counts["enrolled"] or 0,
        with_choices=counts["with_choices"] or 0,
        window_open=rules.window_open(now, plan.enrolment_opens_at, plan.enrolment_closes_at),
        window_closed=now >= plan.enrolment_closes_at,
        allocation=allocation,
        can_allocate=access.has_role(actor, Role.SCHOOL_LEADER)
        and access.can(actor, "afterschool.allocate", plan.school),
        verification=selectors.allocation_verify(actor=actor, plan_id=plan.pk) if verify and allocation else None,
        can_manage=can_manage,
        orderable=list(selectors_menu.menu_course_list(actor=actor, school_code=plan.school.code))
        if can_manage
        else [],
        activity_slots=activity_slots(plan, blocks),
        date_changes=list(PlanDate.objects.filter(plan=plan).order_by("date")),
    )


def activity_slots(plan: ServicePlan, blocks: list[PlanBlock]) -> list[tuple[str, str]]:
    """The (weekday, block) pairs an offering may meet in: the plan's weekdays × its activities blocks."""
    return [
        (f"{weekday}-{b.number}", f"{weekday_label(weekday)} {b.start_time:%H:%M}–{b.end_time:%H:%M}")
        for weekday in sorted(plan.weekdays)
        for b in blocks
        if b.kind == BlockKind.ACTIVITIES and weekday in SCHOOL_WEEKDAYS
    ]


@dataclass(frozen=True, slots=True)
class PlanNewPage:
    school: School
    terms: list[tuple[str, str]]  # ("2026-1", "2026-2027 第一学期"): terms not yet over


def plan_new_page(*, actor: Any, school_code: str, today: date) -> PlanNewPage:
    school = school_get(actor=actor, code=school_code)
    access.require(actor, "afterschool.plan_manage", school)  # the form is for those who may set the plan
    chain = [school.county_id, school.city_id, school.province_id]
    rows = (
        Term.objects.filter(Q(region__isnull=True) | Q(region_id__in=chain), end_date__gte=today)
        .select_related("school_year")
        .order_by("start_date", "pk")
    )
    terms: dict[str, str] = {}
    for term in rows:
        terms.setdefault(f"{term.school_year.start_year}-{term.number}", str(term))
    return PlanNewPage(school, list(terms.items()))


# ---- the bureau's menu ----


@dataclass(frozen=True, slots=True)
class MenuPage:
    region: Region
    courses: list[MenuCourse]
    categories: list[CourseCategory]
    can_add: bool


def menu_page(*, actor: Any, region_code: str) -> MenuPage:
    """The region's own menu (courses of the region and the regions above it, and of the counties below it)."""
    region = selectors_menu.region_get(actor=actor, code=region_code)
    if not access.covers_region(actor, region):
        raise NotFound("region")
    chain = selectors_menu.region_chain(region)
    below = Q(region__parent_id=region.code) | Q(region__parent__parent_id=region.code)
    courses = (
        selectors_menu.menu_course_list(actor=actor).filter(school__isnull=True).filter(Q(region_id__in=chain) | below)
    )
    return MenuPage(
        region=region,
        courses=list(courses),
        categories=list(selectors_menu.categories_usable_in(chain)),
        can_add=access.covers_region(actor, region, access.roles_for("afterschool.menu_manage_region")),
    )
