"""The pure rules: the order and case state machines, checklists, inspectors, deadlines, campaigns."""

from datetime import date

import pytest

from shuangjian.inspection import rules
from shuangjian.inspection.rules import CaseAction, OrderAction, Refusal


@pytest.mark.parametrize(
    ("_case", "current", "action", "expected"),
    [
        ("report an issued order", "issued", OrderAction.REPORT, "reported"),
        ("confirm a reported order", "reported", OrderAction.CONFIRM, "confirmed"),
        ("escalate a reported order", "reported", OrderAction.ESCALATE, "escalated"),
        ("escalate an unreported order", "issued", OrderAction.ESCALATE, "escalated"),
    ],
)
def test_order_transitions_allowed(_case: str, current: str, action: OrderAction, expected: str) -> None:
    assert rules.order_next_status(current, action) == expected


@pytest.mark.parametrize(
    ("_case", "current", "action"),
    [
        ("confirm before any report", "issued", OrderAction.CONFIRM),
        ("report twice", "reported", OrderAction.REPORT),
        ("report a closed order", "confirmed", OrderAction.REPORT),
        ("escalate a confirmed order", "confirmed", OrderAction.ESCALATE),
        ("confirm an escalated order", "escalated", OrderAction.CONFIRM),
    ],
)
def test_order_transitions_refused(_case: str, current: str, action: OrderAction) -> None:
    assert rules.order_next_status(current, action) == Refusal(
        "inspection.transition_not_allowed", {"action": action.value, "status": current}
    )


@pytest.mark.parametrize(
    ("_case", "current", "action", "expected"),
    [
        ("verify a report", "reported", CaseAction.VERIFY, "verified"),
        ("dismiss a report", "reported", CaseAction.DISMISS, "dismissed"),
        ("order closure", "verified", CaseAction.ORDER_CLOSURE, "closure_ordered"),
        ("closed after the order", "closure_ordered", CaseAction.CLOSE, "closed"),
        ("closed on the spot", "verified", CaseAction.CLOSE, "closed"),
        ("re-check: still closed", "closed", CaseAction.RECHECK_CLOSED, "closed"),
        ("re-check: running again", "closed", CaseAction.RECHECK_REOPENED, "verified"),
        ("close a report unverified", "reported", CaseAction.CLOSE, None),
        ("re-check an open case", "verified", CaseAction.RECHECK_CLOSED, None),
        ("verify a dismissed case", "dismissed", CaseAction.VERIFY, None),
    ],
)
def test_case_transitions(_case: str, current: str, action: CaseAction, expected: str | None) -> None:
    result = rules.case_next_status(current, action)
    if expected is None:
        assert isinstance(result, Refusal) and result.code == "inspection.transition_not_allowed"
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("_case", "count", "minimum", "refused"),
    [("no local rule", 1, None, False), ("at the minimum", 2, 2, False), ("one short", 1, 2, True)],
)
def test_inspectors(_case: str, count: int, minimum: int | None, refused: bool) -> None:
    result = rules.inspectors_refusal(count, minimum)
    assert (result is not None) is refused
    if refused:
        assert result == Refusal("inspection.too_few_inspectors", {"count": count, "min": minimum})


@pytest.mark.parametrize(
    ("_case", "results", "code"),
    [
        ("complete", {1: "pass", 2: "fail", 3: "not_applicable"}, None),
        ("one missing", {1: "pass", 2: "fail"}, "inspection.checklist_incomplete"),
        ("an unknown item", {1: "pass", 2: "fail", 3: "pass", 9: "pass"}, "inspection.unknown_item"),
        ("a bad result", {1: "pass", 2: "maybe", 3: "pass"}, "inspection.invalid_result"),
    ],
)
def test_checklist(_case: str, results: dict[int, str], code: str | None) -> None:
    result = rules.checklist_refusal([1, 2, 3], results)
    assert (result.code if result else None) == code


ISSUED = date(2026, 9, 7)


@pytest.mark.parametrize(
    ("_case", "days", "requested", "expected"),
    [
        ("the region's days", 15, None, date(2026, 9, 22)),
        ("sooner than the region's days", 15, date(2026, 9, 10), date(2026, 9, 10)),
        ("exactly the region's days", 15, date(2026, 9, 22), date(2026, 9, 22)),
        ("one day over", 15, date(2026, 9, 23), "inspection.bad_deadline"),
        ("before the issue", 15, date(2026, 9, 6), "inspection.bad_deadline"),
        ("no local rule, a deadline given", None, date(2026, 10, 7), date(2026, 10, 7)),
        ("no local rule, no deadline", None, None, "inspection.deadline_required"),
    ],
)
def test_order_deadline(_case: str, days: int | None, requested: date | None, expected: object) -> None:
    result = rules.order_deadline(ISSUED, days, requested)
    assert (result.code if isinstance(result, Refusal) else result) == expected


@pytest.mark.parametrize(
    ("_case", "status", "today", "overdue"),
    [
        ("on the deadline", "issued", date(2026, 9, 22), False),
        ("the day after", "issued", date(2026, 9, 23), True),
        ("reported late waits for the follow-up", "reported", date(2026, 9, 30), False),
        ("closed", "confirmed", date(2026, 9, 30), False),
    ],
)
def test_overdue(_case: str, status: str, today: date, overdue: bool) -> None:
    assert rules.is_overdue(status, date(2026, 9, 22), today) is overdue


@pytest.mark.parametrize(
    ("_case", "ends", "target", "kinds", "code"),
    [
        ("fine", date(2026, 9, 30), 5, ["academic"], None),
        ("ends before it starts", date(2026, 8, 31), 5, ["academic"], "inspection.bad_period"),
        ("too long", date(2027, 12, 31), 5, ["academic"], "inspection.bad_period"),
        ("no target", date(2026, 9, 30), 0, ["academic"], "inspection.bad_target"),
        ("no kinds", date(2026, 9, 30), 5, [], "inspection.targets_required"),
        ("a kind twice", date(2026, 9, 30), 5, ["academic", "academic"], "inspection.targets_required"),
    ],
)
def test_campaign(_case: str, ends: date, target: int, kinds: list[str], code: str | None) -> None:
    result = rules.campaign_refusal(date(2026, 9, 1), ends, target, kinds)
    assert (result.code if result else None) == code


def test_campaign_phase() -> None:
    start, end = date(2026, 9, 1), date(2026, 9, 30)
    assert [rules.campaign_phase(start, end, day) for day in (date(2026, 8, 31), start, end, date(2026, 10, 1))] == [
        "planned",
        "active",
        "active",
        "ended",
    ]


def test_campaign_progress_per_county() -> None:
    # given
    counties = [("411402", "梁园区"), ("411421", "民权县")]
    orders = {
        ("411402", "issued"): 1,
        ("411402", "reported"): 1,
        ("411402", "confirmed"): 2,
        ("411421", "escalated"): 1,
    }
    # when
    rows = rules.campaign_progress(counties, 4, {"411402": 5}, {"411402": 3, "411421": 1}, orders)
    # then
    assert [
        (r.county_code, r.inspections, r.failed_findings, r.orders_open, r.orders_closed, r.percent) for r in rows
    ] == [
        ("411402", 5, 3, 2, 2, 100),
        ("411421", 0, 1, 0, 1, 0),
    ]
