"""The allocation run: once the window has closed, a school leader draws the plan's seats with a published seed
(rules.allocate: random serial dictatorship, never test scores). The run stores the method, the seed, who and
when, a snapshot of the inputs and the hashes of the inputs and of the result, so anyone can re-run it
(selectors.allocation_verify). Seats, waitlists and one event per child and offering are written in the same
transaction."""

from collections import Counter, defaultdict
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import offerings_for_update, plan_for_update
from shuangjian.afterschool.models import (
    AllocationRun,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    EnrolmentEvent,
    EnrolmentStatus,
    EventKind,
    Offering,
    OfferingSlot,
    Preference,
    ServicePlan,
)
from shuangjian.afterschool.selectors import plan_get
from shuangjian.afterschool.services.common import raise_unless
from shuangjian.afterschool.services.enrolment import event
from shuangjian.core import access
from shuangjian.core.models import Role

ALLOCATE = access.register_action("afterschool.allocate", [Role.SCHOOL_LEADER])


def allocation_input(
    plan: ServicePlan, seed: str
) -> tuple[rules.AllocationInput, dict[int, int], dict[int, dict[int, int]]]:
    """The plan's inputs: the ranked choices of its active enrolments (by student), the offerings' free seats and
    slots. Also each student's enrolment and their rank of each offering."""
    choices = (
        Preference.objects.filter(enrolment__plan=plan, enrolment__status=EnrolmentStatus.ACTIVE)
        .order_by("enrolment_id", "rank")
        .values_list("enrolment__student_id", "enrolment_id", "offering_id", "rank")
    )
    preferences: dict[int, list[int]] = defaultdict(list)
    enrolment_of: dict[int, int] = {}
    ranks: dict[int, dict[int, int]] = defaultdict(dict)
    for student_id, enrolment_id, offering_id, rank in choices:
        preferences[student_id].append(offering_id)
        enrolment_of[student_id] = enrolment_id
        ranks[student_id][offering_id] = rank
    offerings = list(offerings_for_update(plan.pk))
    slots: dict[int, set[rules.Slot]] = defaultdict(set)
    for offering_id, weekday, block in OfferingSlot.objects.filter(offering__plan=plan).values_list(
        "offering_id", "weekday", "block_number"
    ):
        slots[offering_id].add((weekday, block))
    given = rules.AllocationInput(
        seed=seed,
        preferences=dict(preferences),
        capacities={o.pk: o.capacity - o.assigned_count for o in offerings},
        slots={o.pk: frozenset(slots[o.pk]) for o in offerings},
        courses_per_student=plan.courses_per_student,
    )
    return given, enrolment_of, ranks


@transaction.atomic(durable=True)
def allocation_run(*, actor: Any, plan_id: int, seed: str) -> AllocationRun:
    """Draw the plan's seats once, after the window closed, with the seed taken from the source the plan announced
    before the window closed (anyone can check the value against that public source)."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, ALLOCATE, visible.school)
    raise_unless(rules.check_seed(seed))
    plan = plan_for_update(visible.pk).get()
    if AllocationRun.objects.filter(plan=plan).exists():
        raise afterschool_error(AfterschoolError.ALREADY_ALLOCATED)
    if not plan.seed_source:
        raise afterschool_error(AfterschoolError.SEED_SOURCE_REQUIRED)
    now = timezone.now()
    if now < plan.enrolment_closes_at:
        closes = date_format(timezone.localtime(plan.enrolment_closes_at), "Y-m-d H:i")
        raise afterschool_error(AfterschoolError.WINDOW_OPEN, closes=closes)
    given, enrolment_of, ranks = allocation_input(plan, seed)
    result = rules.allocate(given)
    position = {student: index for index, student in enumerate(result.order, start=1)}
    rows: list[Assignment] = []
    events: list[EnrolmentEvent] = []
    for student, offerings in result.assigned.items():
        for offering_id in offerings:
            rows.append(
                Assignment(
                    enrolment_id=enrolment_of[student], offering_id=offering_id, status=AssignmentStatus.ASSIGNED,
                    source=AssignmentSource.ALLOCATION, rank=ranks[student][offering_id],
                )
            )  # fmt: skip
    for offering_id, students in result.waitlists.items():
        for student in students:
            rows.append(
                Assignment(
                    enrolment_id=enrolment_of[student], offering_id=offering_id, status=AssignmentStatus.WAITLISTED,
                    source=AssignmentSource.ALLOCATION, rank=ranks[student][offering_id],
                    waitlist_position=position[student],
                )
            )  # fmt: skip
    Assignment.objects.bulk_create(rows, batch_size=2000)
    for row in rows:
        kind = EventKind.ALLOCATED if row.status == AssignmentStatus.ASSIGNED else EventKind.WAITLISTED
        events.append(event(row.enrolment_id, kind, actor, now, row.offering_id, rank=row.rank))
    EnrolmentEvent.objects.bulk_create(events, batch_size=2000)
    taken = Counter(row.offering_id for row in rows if row.status == AssignmentStatus.ASSIGNED)
    for offering_id, count in taken.items():
        Offering.objects.filter(pk=offering_id).update(assigned_count=F("assigned_count") + count)
    inputs = rules.inputs_document(given)
    run = AllocationRun(
        plan=plan,
        method=rules.METHOD,
        seed=seed,
        seed_source=plan.seed_source,
        inputs=inputs,
        inputs_hash=rules.digest(inputs),
        result_hash=rules.digest(rules.result_document(result)),
        students=len(given.preferences),
        assigned=sum(taken.values()),
        waitlisted=len(rows) - sum(taken.values()),
        run_by=actor,
        run_at=now,
    )
    run.full_clean()
    run.save()
    return run
