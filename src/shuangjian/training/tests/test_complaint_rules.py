"""Pure complaint rules: the lifecycle (every action from every status, allowed or refused), working days and the
deadlines, reminders once per deadline. No database."""

from datetime import date

import pytest

from shuangjian.policy import datafiles, parameters
from shuangjian.policy.rules import Layer, LayerRef, merge
from shuangjian.training import rules
from shuangjian.training.rules import ComplaintAction as A

STATUSES = ("received", "triaged", "rejected", "assigned", "investigating", "resolved", "closed")
ALLOWED = {
    (A.TRIAGE, "received"): "triaged",
    (A.REJECT, "received"): "rejected",
    (A.ASSIGN, "triaged"): "assigned",
    (A.ASSIGN, "assigned"): "assigned",
    (A.ASSIGN, "investigating"): "assigned",
    (A.INVESTIGATE, "assigned"): "investigating",
    (A.NOTE, "assigned"): "assigned",
    (A.NOTE, "investigating"): "investigating",
    (A.RESOLVE, "investigating"): "resolved",
    (A.CLOSE, "resolved"): "closed",
    (A.CLOSE, "rejected"): "closed",
    (A.REOPEN, "resolved"): "investigating",
    (A.REOPEN, "rejected"): "received",
}


@pytest.mark.parametrize(("action", "status"), [(a, s) for a in A for s in STATUSES], ids=lambda v: str(v))
def test_every_action_from_every_status(action: A, status: str) -> None:
    # when
    outcome = rules.complaint_next_status(status, action)
    # then
    if (action, status) in ALLOWED:
        assert outcome == ALLOWED[(action, status)]
    else:
        assert outcome == rules.Finding("training.complaint_bad_transition", {"action": action.value, "status": status})


def test_closed_is_final() -> None:
    assert rules.complaint_actions("closed") == []


@pytest.mark.parametrize(
    ("_case", "status", "expected"),
    [
        ("received", "received", [A.TRIAGE, A.REJECT]),
        ("investigating", "investigating", [A.ASSIGN, A.NOTE, A.RESOLVE]),
        ("resolved", "resolved", [A.CLOSE, A.REOPEN]),
        ("rejected", "rejected", [A.CLOSE, A.REOPEN]),
    ],
)
def test_actions_offered_in_lifecycle_order(_case: str, status: str, expected: list[A]) -> None:
    assert rules.complaint_actions(status) == expected


# Working days: 2026-10-01..07 is the National Day holiday; Saturday 2026-10-10 is a make-up workday.
HOLIDAYS = {date(2026, 10, d) for d in range(1, 8)}
MAKEUP = {date(2026, 10, 10)}


def working(day: date) -> bool:
    return rules.is_working_day(day, is_statutory_holiday=day in HOLIDAYS, is_makeup_workday=day in MAKEUP)


@pytest.mark.parametrize(
    ("_case", "start", "count", "expected"),
    [
        ("same day", date(2026, 9, 7), 0, date(2026, 9, 7)),
        ("next weekday", date(2026, 9, 7), 1, date(2026, 9, 8)),
        ("over a weekend", date(2026, 9, 11), 1, date(2026, 9, 14)),
        ("filed on a Saturday", date(2026, 9, 12), 1, date(2026, 9, 14)),
        ("across the holiday onto a make-up Saturday", date(2026, 9, 30), 3, date(2026, 10, 10)),
        ("fifteen working days", date(2026, 9, 7), 15, date(2026, 9, 28)),
    ],
)
def test_working_days_after(_case: str, start: date, count: int, expected: date) -> None:
    assert rules.add_working_days(start, count, working) == expected


def test_deadline_days_come_from_the_profile() -> None:
    # given: the national profile has no complaint deadline ([LOCAL]); a city sets them
    latest = datafiles.read_national()[-1]
    national = parameters.parse_values(latest.values).values
    city = merge(
        Layer(LayerRef(None, 1, latest.effective_from), national),
        Layer(
            LayerRef("411400", 1, date(2026, 9, 1)),
            {"complaints.triage_max_working_days": 2, "complaints.resolve_max_working_days": 10},
        ),
        region_code="411400",
    )
    # then
    assert rules.complaint_deadline_days(merge(Layer(LayerRef(None, 1, latest.effective_from), national))) == (
        None,
        None,
    )
    assert rules.complaint_deadline_days(city) == (2, 10)


@pytest.mark.parametrize(
    ("_case", "status", "expected"),
    [
        ("received: both run", "received", {"triage": date(2026, 9, 10), "resolve": date(2026, 9, 28)}),
        ("triaged: resolve only", "triaged", {"resolve": date(2026, 9, 28)}),
        ("investigating", "investigating", {"resolve": date(2026, 9, 28)}),
        ("resolved: none", "resolved", {}),
        ("rejected: none", "rejected", {}),
        ("closed: none", "closed", {}),
    ],
)
def test_open_deadlines(_case: str, status: str, expected: dict[str, date]) -> None:
    assert rules.open_deadlines(status, date(2026, 9, 10), date(2026, 9, 28)) == expected


TODAY, SOON = date(2026, 9, 10), date(2026, 9, 11)


@pytest.mark.parametrize(
    ("_case", "due", "expected"),
    [
        ("yesterday: overdue", date(2026, 9, 9), rules.DeadlineState.OVERDUE),
        ("today: due soon", TODAY, rules.DeadlineState.DUE_SOON),
        ("at the window's end", SOON, rules.DeadlineState.DUE_SOON),
        ("one day past the window", date(2026, 9, 12), None),
    ],
)
def test_deadline_state(_case: str, due: date, expected: rules.DeadlineState | None) -> None:
    assert rules.deadline_state(due, TODAY, SOON) == expected


def test_reminders_once_per_deadline() -> None:
    running = {"triage": date(2026, 9, 9), "resolve": date(2026, 9, 11)}
    assert rules.reminders_due(running, TODAY, SOON, frozenset()) == ["resolve", "triage"]
    assert rules.reminders_due(running, TODAY, SOON, frozenset({"triage"})) == ["resolve"]
    assert rules.reminders_due(running, TODAY, SOON, frozenset({"triage", "resolve"})) == []
    assert rules.reminders_due({"resolve": date(2026, 9, 14)}, TODAY, SOON, frozenset()) == []
