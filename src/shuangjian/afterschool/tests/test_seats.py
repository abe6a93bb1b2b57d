"""The allocation run and the changes during the term: seats, waitlists, promotions, and their record."""

from collections import Counter
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.afterschool import rules, selectors
from shuangjian.afterschool.models import (
    AllocationRun,
    Assignment,
    Enrolment,
    EnrolmentEvent,
    Offering,
    ServicePlan,
)
from shuangjian.afterschool.services import allocation, changes, plans
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AFTER_WINDOW, AfterschoolWorld
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Student, User
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db
SEED = "2026-09-14 公示种子 4827"


@dataclass
class Setting:
    plan: ServicePlan
    chess: Offering  # Monday, 1 seat
    football: Offering  # Tuesday, 1 seat
    painting: Offering  # Wednesday, 5 seats
    families: dict[int, tuple[User, Enrolment]]  # student id -> (guardian, enrolment)

    def seat_counts(self) -> tuple[int, int, int]:
        return tuple(  # type: ignore[return-value]
            Offering.objects.get(pk=o.pk).assigned_count for o in (self.chess, self.football, self.painting)
        )


def _setting(world: AfterschoolWorld, courses_per_student: int = 1) -> Setting:
    plan = b.make_plan(world, courses_per_student=courses_per_student)
    sports = b.category(world)
    offerings = [
        b.offer(world, plan, b.school_course(world, sports.pk, title=title), [(weekday, 2)], seats)
        for title, weekday, seats in (("国际象棋", 1, 1), ("校园足球", 2, 1), ("儿童画", 3, 5))
    ]
    third = f.student(world.class4, "张小军")
    families = {}
    for student, parent in ((world.child, world.parent), (world.classmate, world.other_parent), (third, None)):
        guardian = parent or b.family(world, student)
        enrolled = b.sign_up(guardian, student, plan)
        b.choose(guardian, enrolled, *offerings)
        families[student.pk] = (guardian, enrolled)
    chess, football, painting = offerings
    return Setting(plan, chess, football, painting, families)


@pytest.fixture
def setting(world: AfterschoolWorld) -> Setting:
    return _setting(world)


def draw(setting: Setting) -> list[int]:
    return rules.lottery_order(SEED, setting.families)


def run(world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller) -> AllocationRun:
    clock.move_to(AFTER_WINDOW)
    return allocation.allocation_run(actor=world.leader, plan_id=setting.plan.pk, seed=SEED)


def seats(setting: Setting) -> dict[int, list[tuple[int, str, int | None]]]:
    """student id -> [(offering, status, waitlist position)], by offering."""
    found: dict[int, list[tuple[int, str, int | None]]] = {s: [] for s in setting.families}
    for student_id, offering_id, status, position in Assignment.objects.order_by("offering_id").values_list(
        "enrolment__student_id", "offering_id", "status", "waitlist_position"
    ):
        found[student_id].append((offering_id, status, position))
    return found


def test_the_draw_allocates_by_the_published_seed(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    # when
    done = run(world, setting, clock)
    # then: the first drawn gets chess, the second football, the third painting, and they wait in draw order
    first, second, third = draw(setting)
    chess, football, painting = setting.chess.pk, setting.football.pk, setting.painting.pk
    assert seats(setting) == {
        first: [(chess, "assigned", None)],
        second: [(chess, "waitlisted", 2), (football, "assigned", None)],
        third: [(chess, "waitlisted", 3), (football, "waitlisted", 3), (painting, "assigned", None)],
    }
    assert setting.seat_counts() == (1, 1, 1)
    assert (done.method, done.seed, done.seed_source, done.students, done.assigned, done.waitlisted, done.run_by) == (
        "rsd-sha256-v1",
        SEED,
        b.SEED_SOURCE,
        3,
        3,
        3,
        world.leader,
    )
    assert done.inputs_hash == rules.digest(done.inputs)
    kinds = EnrolmentEvent.objects.filter(kind__in=["allocated", "waitlisted"]).values_list("kind", flat=True)
    assert Counter(kinds) == {"allocated": 3, "waitlisted": 3}


def test_anyone_who_sees_the_plan_can_verify_the_run(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    done = run(world, setting, clock)
    checked = selectors.allocation_verify(actor=world.parent, plan_id=setting.plan.pk)
    assert (checked.inputs_hash, checked.result_hash) == (done.inputs_hash, done.result_hash)
    assert checked.inputs_hash_matches and checked.result_hash_matches
    # a tampered snapshot no longer verifies
    tampered = dict(done.inputs, capacities=[[setting.chess.pk, 3]])
    AllocationRun.objects.filter(pk=done.pk).update(inputs=tampered)
    checked = selectors.allocation_verify(actor=world.parent, plan_id=setting.plan.pk)
    assert (checked.inputs_hash_matches, checked.result_hash_matches) == (False, False)


def test_a_childs_place_in_the_draw_is_shown_to_their_guardian(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    run(world, setting, clock)
    _guardian, enrolled = setting.families[world.child.pk]
    detail = selectors.enrolment_detail(actor=world.parent, enrolment_id=enrolled.pk)
    assert detail.lottery_position == draw(setting).index(world.child.pk) + 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("_case", "who", "seed", "after", "code"),
    [
        ("before the window closes", "leader", SEED, False, "afterschool.window_open"),
        ("no seed", "leader", " ", True, "afterschool.bad_seed"),
        ("a teacher", "teacher", SEED, True, "core.forbidden"),
    ],
)
def test_a_refused_run_writes_nothing(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller, _case: str, who: str, seed: str,
    after: bool, code: str,
) -> None:  # fmt: skip
    if after:
        clock.move_to(AFTER_WINDOW)
    with pytest.raises(DomainError) as refused:
        allocation.allocation_run(actor=getattr(world, who), plan_id=setting.plan.pk, seed=seed)
    assert refused.value.code == code
    assert (AllocationRun.objects.count(), Assignment.objects.count()) == (0, 0)
    assert setting.seat_counts() == (0, 0, 0)


def test_the_draw_needs_a_seed_source_announced_before_the_window_closed(
    world: AfterschoolWorld, clock: time_machine.Traveller
) -> None:
    # given: a plan that never said where its seed would come from
    setting = _setting(world)
    plans.plan_update(actor=world.leader, plan_id=setting.plan.pk, draft=b.plan_draft(seed_source=""))
    clock.move_to(AFTER_WINDOW)
    # when / then: no draw, and the source cannot be added now that the choices are in
    with pytest.raises(DomainError) as refused:
        allocation.allocation_run(actor=world.leader, plan_id=setting.plan.pk, seed=SEED)
    assert refused.value.code == "afterschool.seed_source_required"
    with pytest.raises(DomainError) as frozen:
        plans.plan_update(actor=world.leader, plan_id=setting.plan.pk, draft=b.plan_draft(seed_source="今天的号码"))
    assert frozen.value.code == "afterschool.seed_source_frozen"
    assert (AllocationRun.objects.count(), ServicePlan.objects.get().seed_source) == (0, "")


def test_the_draw_happens_once(world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller) -> None:
    run(world, setting, clock)
    with pytest.raises(DomainError) as refused:
        allocation.allocation_run(actor=world.leader, plan_id=setting.plan.pk, seed="another seed")
    assert refused.value.code == "afterschool.already_allocated"
    assert AllocationRun.objects.count() == 1
    assert Assignment.objects.count() == 6


# Withdrawals and promotions


def test_a_freed_seat_goes_down_the_waitlist_and_frees_the_next(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    # given
    run(world, setting, clock)
    first, second, third = draw(setting)
    guardian, _enrolled = setting.families[first]
    chess_seat = Assignment.objects.get(enrolment__student_id=first, offering=setting.chess)
    # when: the first drawn leaves chess
    left = changes.assignment_withdraw(actor=guardian, assignment_id=chess_seat.pk)
    # then: the second takes chess and gives up football, which the third takes, giving up painting
    chess, football, painting = setting.chess.pk, setting.football.pk, setting.painting.pk
    assert left.status == "withdrawn"
    assert seats(setting) == {
        first: [(chess, "withdrawn", None)],
        second: [(chess, "assigned", None), (football, "released", None)],
        third: [(chess, "waitlisted", 3), (football, "assigned", None), (painting, "released", None)],
    }
    assert setting.seat_counts() == (1, 1, 0)
    history = list(EnrolmentEvent.objects.filter(at=AFTER_WINDOW).order_by("pk").values_list("kind", "offering_id"))
    assert history[-5:] == [
        ("course_withdrawn", chess),
        ("released", football),
        ("promoted", chess),
        ("released", painting),
        ("promoted", football),
    ]
    assert EnrolmentEvent.objects.filter(kind="promoted", actor=guardian).count() == 2


def test_leaving_the_service_frees_every_seat_and_every_waitlist_place(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    run(world, setting, clock)
    first, _second, third = draw(setting)
    # when: the third drawn (painting, waiting for chess and football) leaves the service
    guardian, enrolled = setting.families[third]
    changes.enrolment_withdraw(actor=guardian, enrolment_id=enrolled.pk)
    # then
    assert [s for _o, s, _p in seats(setting)[third]] == ["withdrawn", "withdrawn", "withdrawn"]
    assert setting.seat_counts() == (1, 1, 0)
    # and when the first leaves chess, only the second is left to move up
    chess_seat = Assignment.objects.get(enrolment__student_id=first, offering=setting.chess)
    changes.assignment_withdraw(actor=world.leader, assignment_id=chess_seat.pk)
    assert setting.seat_counts() == (1, 0, 0)


def test_withdrawing_twice_is_refused(world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller) -> None:
    run(world, setting, clock)
    seat = Assignment.objects.get(enrolment__student_id=world.child.pk, status="assigned")
    changes.assignment_withdraw(actor=world.parent, assignment_id=seat.pk)
    before = setting.seat_counts()
    with pytest.raises(DomainError) as refused:
        changes.assignment_withdraw(actor=world.parent, assignment_id=seat.pk)
    assert refused.value.code == "afterschool.not_active"
    assert setting.seat_counts() == before


@pytest.mark.parametrize(("who", "status"), [("teacher", 403), ("other_parent", 404)])
def test_only_the_guardian_or_the_leader_withdraws(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller, who: str, status: int
) -> None:
    run(world, setting, clock)
    seat = Assignment.objects.get(enrolment__student_id=world.child.pk, status="assigned")
    with pytest.raises(DomainError) as refused:
        changes.assignment_withdraw(actor=getattr(world, who), assignment_id=seat.pk)
    assert refused.value.status == status
    assert Assignment.objects.get(pk=seat.pk).status == "assigned"


# Placements by the school


def _late_joiner(world: AfterschoolWorld, setting: Setting) -> Enrolment:
    student: Student = f.student(world.class4, "刘小东")
    return b.sign_up(b.family(world, student), student, setting.plan)


def test_the_school_places_a_late_joiner_in_a_free_seat(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    run(world, setting, clock)
    late = _late_joiner(world, setting)
    placed = changes.assignment_place(actor=world.leader, enrolment_id=late.pk, offering_id=setting.painting.pk)
    assert (placed.status, placed.source, placed.rank) == ("assigned", "placement", None)
    assert setting.seat_counts() == (1, 1, 2)
    assert EnrolmentEvent.objects.filter(enrolment=late, kind="placed", actor=world.leader).count() == 1


def test_no_placement_before_the_draw(world: AfterschoolWorld, setting: Setting) -> None:
    late = _late_joiner(world, setting)
    with pytest.raises(DomainError) as refused:
        changes.assignment_place(actor=world.leader, enrolment_id=late.pk, offering_id=setting.painting.pk)
    assert refused.value.code == "afterschool.not_allocated"
    assert Assignment.objects.count() == 0


def test_no_placement_over_capacity_clashing_or_over_the_number_of_courses(
    world: AfterschoolWorld, clock: time_machine.Traveller
) -> None:
    # given: two courses each, so the first drawn holds chess (Monday) and football (Tuesday)
    setting = _setting(world, courses_per_student=2)
    clock.move_to(AFTER_WINDOW)
    allocation.allocation_run(actor=world.leader, plan_id=setting.plan.pk, seed=SEED)
    late = _late_joiner(world, setting)
    category_id = setting.chess.course.category_id
    monday = b.offer(world, setting.plan, b.school_course(world, category_id, title="剪纸"), [(1, 2)], 5)
    thursday = b.offer(world, setting.plan, b.school_course(world, category_id, title="合唱"), [(4, 2)], 5)
    first = setting.families[draw(setting)[0]][1]
    before = (setting.seat_counts(), Assignment.objects.count())
    # when / then: chess is full
    with pytest.raises(DomainError) as full:
        changes.assignment_place(actor=world.leader, enrolment_id=late.pk, offering_id=setting.chess.pk)
    assert full.value.code == "afterschool.offering_full"
    # a Monday course clashes with chess
    with pytest.raises(DomainError) as clash:
        changes.assignment_place(actor=world.leader, enrolment_id=first.pk, offering_id=monday.pk)
    assert (clash.value.code, clash.value.details) == ("afterschool.slot_clash", {"weekday": "1", "block": "2"})
    # a third course is one too many
    with pytest.raises(DomainError) as limit:
        changes.assignment_place(actor=world.leader, enrolment_id=first.pk, offering_id=thursday.pk)
    assert (limit.value.code, limit.value.details) == ("afterschool.too_many_courses", {"max": "2"})
    # and a guardian does not place, even their own child
    own = setting.families[world.child.pk][1]
    with pytest.raises(DomainError) as forbidden:
        changes.assignment_place(actor=world.parent, enrolment_id=own.pk, offering_id=thursday.pk)
    assert forbidden.value.status == 403
    assert (setting.seat_counts(), Assignment.objects.count()) == before


@pytest.mark.requires_postgres
def test_a_withdrawal_locks_the_plan_before_it_writes(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    run(world, setting, clock)
    seat = Assignment.objects.get(enrolment__student_id=world.child.pk, status="assigned")
    with CaptureQueriesContext(connection) as queries:
        changes.assignment_withdraw(actor=world.parent, assignment_id=seat.pk)
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s and "afterschool_serviceplan" in s)
    first_write = next(i for i, s in enumerate(sql) if s.lstrip().upper().startswith(("UPDATE", "INSERT")))
    assert lock < first_write
