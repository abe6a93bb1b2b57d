"""Changes during the term, after the allocation: a school leader places a child in an offering with a free seat;
a guardian (or the school leader) takes a child out of a course or out of the service. A freed seat goes to the
first child on the waitlist who still wants it (rules.choose_promotion), which may free another seat in turn.
Each step locks the plan row first and writes its events in the same transaction."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import enrolment_for_update, plan_for_update
from shuangjian.afterschool.models import (
    AllocationRun,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    Offering,
    OfferingSlot,
    ServicePlan,
)
from shuangjian.afterschool.selectors import assignment_get, enrolment_get
from shuangjian.afterschool.services.common import raise_unless
from shuangjian.afterschool.services.enrolment import event
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role

PLACE = access.register_action("afterschool.place", [Role.SCHOOL_LEADER])
WITHDRAW = access.register_action("afterschool.withdraw", [Role.GUARDIAN, Role.SCHOOL_LEADER])

_OPEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.WAITLISTED)


def _slots(offering_ids: set[int]) -> dict[int, frozenset[rules.Slot]]:
    found: dict[int, set[rules.Slot]] = defaultdict(set)
    rows = OfferingSlot.objects.filter(offering_id__in=offering_ids)
    for offering_id, weekday, block in rows.values_list("offering_id", "weekday", "block_number"):
        found[offering_id].add((weekday, block))
    return {offering_id: frozenset(found[offering_id]) for offering_id in offering_ids}


def _locked_plan(plan_id: int) -> ServicePlan:
    plan = plan_for_update(plan_id).get()
    if not AllocationRun.objects.filter(plan=plan).exists():
        raise afterschool_error(AfterschoolError.NOT_ALLOCATED)
    return plan


def _active(enrolment_id: int) -> Enrolment:
    enrolment = enrolment_for_update(enrolment_id).select_related("school_class").get()
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise afterschool_error(AfterschoolError.NOT_ENROLLED)
    return enrolment


def _move(row: Assignment, status: str, **fields: object) -> None:
    """Change a seat row's status, and the offering's seat counter with it."""
    was_assigned = row.status == AssignmentStatus.ASSIGNED
    row.status = status
    for name, value in fields.items():
        setattr(row, name, value)
    if status != AssignmentStatus.WAITLISTED:
        row.waitlist_position = None
    row.save(update_fields=["status", "source", "rank", "waitlist_position", "updated_at"])
    now_assigned = status == AssignmentStatus.ASSIGNED
    if was_assigned != now_assigned:
        _count(row.offering_id, 1 if now_assigned else -1)


def _count(offering_id: int, step: int) -> None:
    """Move an offering's seat counter; the database refuses a count over the capacity."""
    Offering.objects.filter(pk=offering_id).update(assigned_count=F("assigned_count") + step)


def _fill(plan: ServicePlan, freed: list[int], actor: Any, at: datetime) -> None:
    """Give freed seats to the waitlists, in lottery order; a promotion may free lower-ranked seats, which are
    offered in turn. Each promotion moves a child strictly up their own list, so this ends."""
    queue = list(freed)
    while queue:
        offering = Offering.objects.get(pk=queue.pop(0))
        if offering.assigned_count >= offering.capacity:
            continue
        waiting = list(
            Assignment.objects.filter(
                offering=offering, status=AssignmentStatus.WAITLISTED, enrolment__status=EnrolmentStatus.ACTIVE
            ).order_by("waitlist_position", "pk")
        )
        if not waiting:
            continue
        held_rows = list(
            Assignment.objects.filter(
                enrolment_id__in=[w.enrolment_id for w in waiting], status=AssignmentStatus.ASSIGNED
            )
        )
        slots = _slots({offering.pk} | {h.offering_id for h in held_rows})
        held: dict[int, list[rules.Held]] = defaultdict(list)
        for h in held_rows:
            held[h.enrolment_id].append(rules.Held(h.offering_id, h.rank, slots[h.offering_id]))
        candidates = [rules.Candidate(w.enrolment_id, w.rank or 0, tuple(held[w.enrolment_id])) for w in waiting]
        promotion = rules.choose_promotion(candidates, slots[offering.pk], plan.courses_per_student)
        if promotion is None:
            continue
        for released in promotion.releases:
            row = next(h for h in held_rows if h.enrolment_id == promotion.key and h.offering_id == released)
            _move(row, AssignmentStatus.RELEASED)
            event(promotion.key, EventKind.RELEASED, actor, at, released, for_offering=offering.pk).save()
            queue.append(released)
        row = next(w for w in waiting if w.enrolment_id == promotion.key)
        _move(row, AssignmentStatus.ASSIGNED, source=AssignmentSource.PROMOTION)
        event(promotion.key, EventKind.PROMOTED, actor, at, offering.pk, rank=row.rank).save()
        queue.append(offering.pk)


@transaction.atomic(durable=True)
def assignment_place(*, actor: Any, enrolment_id: int, offering_id: int) -> Assignment:
    """A school leader gives a child a free seat (a late joiner, a change of course): never over the capacity,
    never clashing with a course the child holds, within the plan's number of courses per student."""
    visible = enrolment_get(actor=actor, enrolment_id=enrolment_id)
    access.require(actor, PLACE, visible)
    plan = _locked_plan(visible.plan_id)
    enrolment = _active(visible.pk)
    offering = Offering.objects.filter(plan=plan, pk=offering_id).select_related("course").first()
    if offering is None:
        raise NotFound("offering")
    course, grade = offering.course, enrolment.school_class.grade
    if not rules.grade_eligible(grade, course.grade_min, course.grade_max):
        raise afterschool_error(
            AfterschoolError.GRADE_NOT_ELIGIBLE, grade=grade, grade_min=course.grade_min, grade_max=course.grade_max
        )
    rows = {a.offering_id: a for a in Assignment.objects.filter(enrolment=enrolment)}
    existing = rows.get(offering.pk)
    if existing is not None and existing.status == AssignmentStatus.ASSIGNED:
        raise afterschool_error(AfterschoolError.ALREADY_ASSIGNED)
    held = [o for o, a in rows.items() if a.status == AssignmentStatus.ASSIGNED]
    slots = _slots({offering.pk, *held})
    raise_unless(
        rules.check_placement(
            seats_left=offering.capacity - offering.assigned_count,
            held=[slots[o] for o in held],
            slots=slots[offering.pk],
            courses_per_student=plan.courses_per_student,
        )
    )
    if existing is None:
        existing = Assignment(
            enrolment=enrolment, offering=offering, status=AssignmentStatus.ASSIGNED, source=AssignmentSource.PLACEMENT
        )
        existing.full_clean()
        existing.save()
        _count(offering.pk, 1)
    else:
        _move(existing, AssignmentStatus.ASSIGNED, source=AssignmentSource.PLACEMENT, rank=None)
    event(enrolment.pk, EventKind.PLACED, actor, timezone.now(), offering.pk).save()
    return existing


@transaction.atomic(durable=True)
def assignment_withdraw(*, actor: Any, assignment_id: int) -> Assignment:
    """Take a child out of one course (or off its waitlist); a freed seat goes to the waitlist."""
    visible = assignment_get(actor=actor, assignment_id=assignment_id)
    access.require(actor, WITHDRAW, visible)
    plan = _locked_plan(visible.enrolment.plan_id)
    row = Assignment.objects.get(pk=visible.pk)
    if row.status not in _OPEN:
        raise afterschool_error(AfterschoolError.NOT_ACTIVE)
    freed = row.status == AssignmentStatus.ASSIGNED
    now = timezone.now()
    _move(row, AssignmentStatus.WITHDRAWN)
    event(row.enrolment_id, EventKind.COURSE_WITHDRAWN, actor, now, row.offering_id).save()
    if freed:
        _fill(plan, [row.offering_id], actor, now)
    row.refresh_from_db()
    return row


@transaction.atomic(durable=True)
def enrolment_withdraw(*, actor: Any, enrolment_id: int) -> Enrolment:
    """Take a child out of the term's service (voluntary: a guardian may always leave). Their seats go to the
    waitlists; their waitlist places end. Before the allocation this simply ends the enrolment."""
    visible = enrolment_get(actor=actor, enrolment_id=enrolment_id)
    access.require(actor, WITHDRAW, visible)
    plan = plan_for_update(visible.plan_id).get()
    enrolment = _active(visible.pk)
    now = timezone.now()
    freed = []
    for row in Assignment.objects.filter(enrolment=enrolment, status__in=_OPEN).order_by("pk"):
        if row.status == AssignmentStatus.ASSIGNED:
            freed.append(row.offering_id)
        _move(row, AssignmentStatus.WITHDRAWN)
    enrolment.status, enrolment.withdrawn_by, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, actor, now
    enrolment.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    event(enrolment.pk, EventKind.SERVICE_WITHDRAWN, actor, now, courses=freed).save()
    _fill(plan, freed, actor, now)
    return enrolment
