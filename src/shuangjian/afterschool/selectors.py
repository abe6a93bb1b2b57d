"""After-school reads: plans and their service dates, offerings, enrolments, seats, allocation runs.

A plan and its offerings are the school community's information: whoever reaches the school (its staff, the
bureau and inspectors of its region, the families and students of the school) reads them. Enrolments and seats
are a child's: they start from core.access.visible at the student level.

Seams for later work (attendance, staffing, participation): `service_days_of(plan, start, end)` and
`offering_sessions(offering, start, end)` give dated sessions without an actor; `offering_roster(actor=...)`
gives an offering's students.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import afterschool_error
from shuangjian.afterschool.models import (
    AllocationRun,
    Assignment,
    AssignmentStatus,
    Enrolment,
    EnrolmentEvent,
    Offering,
    ServicePlan,
)
from shuangjian.core import access, calendar
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, School

INPUTS_READ = access.register_action(
    "afterschool.allocation_inputs_read",
    [
        Role.BUREAU,
        Role.INSPECTOR,
        Role.SCHOOL_LEADER,
        Role.TEACHER,
        Role.HEAD_TEACHER,
        Role.GRADE_COORDINATOR,
        Role.COUNSELLOR,
    ],
)


def _visible_schools(actor: Any) -> Q:
    return Q(school__in=School.objects.filter(access.visible(actor, School)).values("pk"))


def plan_list(*, actor: Any) -> QuerySet[ServicePlan]:
    """The plans of every school the actor reaches, the latest term first."""
    return (
        ServicePlan.objects.filter(_visible_schools(actor))
        .select_related("school", "term", "term__school_year")
        .prefetch_related("blocks")
        .order_by("-term__start_date", "school__code", "pk")
    )


def plan_get(*, actor: Any, plan_id: int) -> ServicePlan:
    plan = plan_list(actor=actor).prefetch_related("dates").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("plan")
    return plan


def plan_blocks(plan: ServicePlan) -> list[rules.Block]:
    return [rules.Block(b.number, b.kind, b.start_time, b.end_time) for b in plan.blocks.all()]


def service_days_of(plan: ServicePlan, start: date, end: date) -> list[rules.ServiceDay]:
    """The plan's service days from `start` to `end` within its term: the calendar removes holidays."""
    first, last = max(start, plan.term.start_date), min(end, plan.term.end_date)
    if last < first:
        return []
    changes = {d.date: d.follows_weekday for d in plan.dates.all()}
    kinds = calendar.day_kinds(plan.school, first, last)
    return rules.service_days(kinds, frozenset(plan.weekdays), changes)


def plan_service_days(
    *, actor: Any, plan_id: int, start: date | None = None, end: date | None = None
) -> tuple[ServicePlan, date, date, list[rules.ServiceDay]]:
    """A visible plan's service days in a range (by default its whole term)."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    first, last = start or plan.term.start_date, end or plan.term.end_date
    decision = rules.check_date_range(first, last)
    if not decision.ok:
        raise afterschool_error(decision.code, **decision.params)
    return plan, first, last, service_days_of(plan, first, last)


def _offerings() -> QuerySet[Offering]:
    return Offering.objects.select_related("course", "course__category").prefetch_related("slots").order_by("pk")


def offering_list(*, actor: Any, plan_id: int) -> QuerySet[Offering]:
    return _offerings().filter(plan=plan_get(actor=actor, plan_id=plan_id))


def offering_slots(offering: Offering) -> frozenset[rules.Slot]:
    return frozenset((s.weekday, s.block_number) for s in offering.slots.all())


@dataclass(frozen=True, slots=True)
class Session:
    day: date
    block_number: int


def offering_sessions(offering: Offering, start: date, end: date) -> list[Session]:
    """The dated meetings of an offering (for attendance): its weekly slots on the plan's service days."""
    by_weekday: dict[int, list[int]] = defaultdict(list)
    for weekday, block in sorted(offering_slots(offering)):
        by_weekday[weekday].append(block)
    return [
        Session(service.day, block)
        for service in service_days_of(offering.plan, start, end)
        for block in by_weekday.get(service.timetable_weekday, [])
    ]


def _assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("offering__course").order_by("status", "rank", "pk")


def enrolment_list(*, actor: Any, plan_id: int) -> QuerySet[Enrolment]:
    """The enrolments of a visible plan that the actor may see (a guardian: their own children's)."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    return (
        Enrolment.objects.filter(access.visible(actor, Enrolment), plan=plan)
        .select_related("student", "school_class", "consent_by")
        .prefetch_related("preferences", Prefetch("assignments", queryset=_assignments()))
        .order_by("school_class__grade", "school_class__number", "student__name", "pk")
    )


def enrolment_get(*, actor: Any, enrolment_id: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(access.visible(actor, Enrolment), pk=enrolment_id)
        .select_related("student", "school_class", "consent_by", "plan", "plan__school", "plan__term")
        .prefetch_related(
            "preferences",
            Prefetch("assignments", queryset=_assignments()),
            Prefetch("events", queryset=EnrolmentEvent.objects.select_related("actor").order_by("at", "pk")),
        )
        .first()
    )
    if enrolment is None:
        raise NotFound("enrolment")
    return enrolment


def enrolment_detail(*, actor: Any, enrolment_id: int) -> Enrolment:
    """One enrolment with its history, annotated with `lottery_position`: the child's place in the plan's draw
    (None before the draw, or when they ranked nothing)."""
    enrolment = enrolment_get(actor=actor, enrolment_id=enrolment_id)
    run = AllocationRun.objects.filter(plan_id=enrolment.plan_id).only("seed", "inputs").first()
    position = None if run is None else lottery_position(run, enrolment.student_id)
    setattr(enrolment, "lottery_position", position)  # noqa: B010 - an annotation, like a queryset's
    return enrolment


def assignment_get(*, actor: Any, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(access.visible(actor, Assignment), pk=assignment_id)
        .select_related("enrolment", "offering")
        .first()
    )
    if assignment is None:
        raise NotFound("assignment")
    return assignment


def offering_roster(*, actor: Any, offering_id: int) -> QuerySet[Assignment]:
    """The students holding a seat in an offering, as far as the actor sees them (a class's head teacher: theirs)."""
    offering = Offering.objects.filter(_visible_schools(actor), pk=offering_id).first()
    if offering is None:
        raise NotFound("offering")
    return (
        Assignment.objects.filter(access.visible(actor, Assignment))
        .filter(offering=offering, status=AssignmentStatus.ASSIGNED)
        .select_related("enrolment__student", "enrolment__school_class")
        .order_by("enrolment__school_class__grade", "enrolment__school_class__number", "enrolment__student__name")
    )


def allocation_get(*, actor: Any, plan_id: int) -> AllocationRun:
    run = AllocationRun.objects.filter(plan=plan_get(actor=actor, plan_id=plan_id)).select_related("run_by").first()
    if run is None:
        raise NotFound("allocation")
    return run


def lottery_position(run: AllocationRun, student_id: int) -> int | None:
    """A student's place in the run's draw (1 = drawn first); None when they had no choices in it."""
    students = [int(s) for s, _offerings in run.inputs["preferences"]]
    if student_id not in students:
        return None
    return rules.lottery_order(run.seed, students).index(student_id) + 1


def allocation_inputs(*, actor: Any, plan_id: int) -> AllocationRun:
    """The run with its full inputs, for school staff and the region's bureau (the choices of every child)."""
    run = allocation_get(actor=actor, plan_id=plan_id)
    access.require(actor, INPUTS_READ, run.plan.school)
    return run


@dataclass(frozen=True, slots=True)
class Verification:
    method: str
    seed: str
    inputs_hash: str
    result_hash: str
    inputs_hash_matches: bool
    result_hash_matches: bool


def allocation_verify(*, actor: Any, plan_id: int) -> Verification:
    """Re-run the stored inputs with the published seed and compare both hashes with the stored ones."""
    run = allocation_get(actor=actor, plan_id=plan_id)
    inputs = rules.inputs_from_document(run.inputs)
    inputs_hash = rules.digest(rules.inputs_document(inputs))
    result_hash = rules.digest(rules.result_document(rules.allocate(inputs)))
    return Verification(
        method=run.method,
        seed=run.seed,
        inputs_hash=inputs_hash,
        result_hash=result_hash,
        inputs_hash_matches=inputs_hash == run.inputs_hash and run.inputs.get("method") == run.method,
        result_hash_matches=result_hash == run.result_hash,
    )
