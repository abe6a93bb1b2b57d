"""Fees: the per-term fee against the region's limits, waivers with a school-only reason, the paid record, and what
a family sees. Refusals save nothing."""

import pytest

from shuangjian.afterschool import selectors_staffing
from shuangjian.afterschool.models import ServicePlan
from shuangjian.afterschool.models_fees import FeeRecord, FeeSchedule, FeeWaiver
from shuangjian.afterschool.services import fees
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AfterschoolWorld
from shuangjian.core.errors import AccessDenied, DomainError, NotFound

pytestmark = pytest.mark.django_db
LIMITS: dict[str, object] = {"afterschool.fee_max_fen_per_class_hour": 300, "afterschool.fee_max_fen_per_term": 40000}


def _plan_with_limits(world: AfterschoolWorld) -> ServicePlan:
    b.publish(world.school.city, LIMITS)
    return b.make_plan(world)


def test_the_fee_is_checked_against_the_region_and_published(world: AfterschoolWorld) -> None:
    # given: 3 yuan per class hour and 400 yuan per term at most; the plan has two blocks on each service day
    plan = _plan_with_limits(world)
    hours = selectors_staffing.plan_class_hours(plan)
    limit = min(300 * hours, 40000)
    # when: one fen over is refused and nothing is saved
    with pytest.raises(DomainError) as refused:
        fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=limit + 1, items="服务费")
    assert refused.value.code == "afterschool.fee_over_limit"
    assert FeeSchedule.objects.count() == 0
    # then: the limit itself is accepted and anyone reaching the school reads it
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=limit, items="服务费（看护、活动）")
    published = selectors_staffing.fee_schedule_get(actor=world.parent, plan_id=plan.pk)
    assert (published.fee_fen_per_term, published.class_hours) == (limit, hours)


def test_a_charged_fee_needs_its_items_and_only_the_leader_sets_it(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    with pytest.raises(DomainError) as refused:
        fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items=" ")
    assert refused.value.code == "afterschool.text_required"
    with pytest.raises(AccessDenied):
        fees.fee_set(actor=world.teacher, plan_id=plan.pk, fee_fen_per_term=0, items="")
    with pytest.raises(NotFound):
        fees.fee_set(actor=world.other_leader, plan_id=plan.pk, fee_fen_per_term=0, items="")
    assert FeeSchedule.objects.count() == 0
    free = fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=0, items="")
    assert free.free


def test_waiver_payment_and_what_the_family_sees(world: AfterschoolWorld) -> None:
    # given: a 200-yuan fee; the child is signed up, and so is a classmate
    plan = b.make_plan(world)
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items="服务费")
    child = b.sign_up(world.parent, world.child, plan)
    classmate = b.sign_up(world.other_parent, world.classmate, plan)
    # when: the child's family gets a full waiver (低保), the classmate's pays
    fees.waiver_grant(
        actor=world.leader, enrolment_id=child.pk, category="subsistence_allowance", reason="低保证 2026-001"
    )
    fees.payment_record(actor=world.leader, enrolment_id=classmate.pk, paid=True)
    # then: the family sees it owes nothing, and why in the school's words only as a category
    seen = selectors_staffing.child_fee(actor=world.parent, enrolment_id=child.pk)
    assert (seen.due_fen, seen.waived_fen, seen.waiver_category, seen.paid) == (0, 20000, "低保家庭", False)
    assert not hasattr(seen, "reason")
    book = selectors_staffing.fee_book(actor=world.leader, plan_id=plan.pk)
    assert (book.paid, book.unpaid, book.waived) == (1, 0, 1)
    record = FeeRecord.objects.get(enrolment=classmate)
    assert (record.amount_fen, record.recorded_by) == (20000, world.leader)
    with pytest.raises(NotFound):
        selectors_staffing.fee_book(actor=world.teacher, plan_id=plan.pk)


def test_a_waiver_after_payment_shows_what_the_school_owes_back(world: AfterschoolWorld) -> None:
    # given: the family paid the 200-yuan fee
    plan = b.make_plan(world)
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items="服务费")
    child = b.sign_up(world.parent, world.child, plan)
    fees.payment_record(actor=world.leader, enrolment_id=child.pk, paid=True)
    # when: a 150-yuan waiver is granted afterwards
    fees.waiver_grant(
        actor=world.leader, enrolment_id=child.pk, category="orphan_or_disabled", reason="残疾证", waived_fen=15000
    )
    # then: 50 yuan is due, 150 is owed back, to the school's book and to the family; the payment stays as paid
    (row,) = selectors_staffing.fee_book(actor=world.leader, plan_id=plan.pk).rows
    seen = selectors_staffing.child_fee(actor=world.parent, enrolment_id=child.pk)
    assert (row.due_fen, row.refund_fen) == (5000, 15000)
    assert (seen.due_fen, seen.paid, seen.refund_fen) == (5000, True, 15000)
    assert FeeRecord.objects.get(enrolment=child).amount_fen == 20000


@pytest.mark.parametrize(
    ("_case", "fields", "code"),
    [
        ("no reason", {"category": "subsistence_allowance", "reason": "  "}, "afterschool.text_required"),
        ("an unknown category", {"category": "rich", "reason": "x"}, "afterschool.invalid_choice"),
        (
            "more than the fee",
            {"category": "extreme_poverty", "reason": "x", "waived_fen": 20001},
            "afterschool.bad_waiver_amount",
        ),
    ],
)  # fmt: skip
def test_a_bad_waiver_is_refused(world: AfterschoolWorld, _case: str, fields: dict[str, object], code: str) -> None:
    plan = b.make_plan(world)
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items="服务费")
    child = b.sign_up(world.parent, world.child, plan)
    with pytest.raises(DomainError) as refused:
        fees.waiver_grant(actor=world.leader, enrolment_id=child.pk, **fields)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert FeeWaiver.objects.count() == 0


def test_a_second_waiver_and_a_waiver_before_the_fee_are_refused(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    child = b.sign_up(world.parent, world.child, plan)
    with pytest.raises(DomainError) as refused:
        fees.waiver_grant(actor=world.leader, enrolment_id=child.pk, category="registered_poor", reason="建档立卡")
    assert refused.value.code == "afterschool.no_fee"
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items="服务费")
    fees.waiver_grant(actor=world.leader, enrolment_id=child.pk, category="registered_poor", reason="建档立卡")
    with pytest.raises(DomainError) as again:
        fees.waiver_grant(actor=world.leader, enrolment_id=child.pk, category="registered_poor", reason="建档立卡")
    assert again.value.code == "afterschool.waiver_exists"
    assert FeeWaiver.objects.count() == 1


def _book_of_three(world: AfterschoolWorld) -> tuple[ServicePlan, dict[str, int]]:
    """A 200-yuan fee; 王小明 (grade 4) waived in full, 李小红 (grade 4) paid, 王小华 (grade 2) owing."""
    plan = b.make_plan(world)
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items="服务费")
    child, classmate = b.sign_up(world.parent, world.child, plan), b.sign_up(world.other_parent, world.classmate, plan)
    younger = b.sign_up(world.parent, world.younger, plan)
    fees.waiver_grant(actor=world.leader, enrolment_id=child.pk, category="subsistence_allowance", reason="低保")
    fees.payment_record(actor=world.leader, enrolment_id=classmate.pk, paid=True)
    return plan, {"child": child.student_id, "classmate": classmate.student_id, "younger": younger.student_id}


def _students(book: selectors_staffing.FeeBook) -> list[int]:
    return [row.enrolment.student_id for row in book.rows]


def test_the_fee_book_filters_by_status_and_class_and_counts_the_whole_plan(world: AfterschoolWorld) -> None:
    plan, ids = _book_of_three(world)

    def book(**filters: object) -> selectors_staffing.FeeBook:
        return selectors_staffing.fee_book(actor=world.leader, plan_id=plan.pk, **filters)  # type: ignore[arg-type]

    assert _students(book(status="paid")) == [ids["classmate"]]
    assert _students(book(status="waived")) == [ids["child"]]
    assert _students(book(status="unpaid")) == [ids["younger"]]
    assert sorted(_students(book(status="anything else"))) == sorted(ids.values())
    assert _students(book(school_class_id=world.younger.school_class_id)) == [ids["younger"]]
    filtered = book(status="paid", school_class_id=world.younger.school_class_id)
    assert (filtered.rows, filtered.matching, filtered.pages) == ([], 0, 1)
    assert (filtered.paid, filtered.unpaid, filtered.waived) == (1, 1, 1)  # the whole plan's, whatever the filter
    assert [pk for pk, _name in filtered.classes] == [world.younger.school_class_id, world.child.school_class_id]


def test_the_fee_book_is_paged(world: AfterschoolWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    # given: two children a page
    plan, ids = _book_of_three(world)
    monkeypatch.setattr(selectors_staffing, "FEE_BOOK_PAGE", 2)
    # when
    first, second = (selectors_staffing.fee_book(actor=world.leader, plan_id=plan.pk, page=n) for n in (1, 2))
    beyond = selectors_staffing.fee_book(actor=world.leader, plan_id=plan.pk, page=9)
    # then: grade 2 first, then grade 4 by name; a page past the end shows the last
    assert (first.page, first.pages, first.matching) == (1, 2, 3)
    assert _students(first) + _students(second) == [ids["younger"], ids["classmate"], ids["child"]]  # 李 < 王
    assert (beyond.page, _students(beyond)) == (2, _students(second))
