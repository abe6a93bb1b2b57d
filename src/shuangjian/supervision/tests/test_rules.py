"""The early-warning rules, the notice's state machine and the report periods: pure, no database."""

from datetime import date

import pytest

from shuangjian.policy.rules import PolicySnapshot
from shuangjian.supervision import rules
from shuangjian.supervision.rules import Cadence, Level, NoticeAction, NoticeStatus, Signal, Signals
from shuangjian.supervision.tests.conftest import TIGHT

PROFILE = PolicySnapshot(region_code="411400", values=TIGHT)
UNSET = PolicySnapshot(region_code=None, values={})


@pytest.mark.parametrize(
    ("_case", "signals", "expected"),
    [
        ("nothing", Signals(), ()),
        ("one complaint under the threshold", Signals(complaints=1), ()),
        ("complaints at the threshold", Signals(complaints=2), ((Signal.COMPLAINTS, 2, 15),)),
        ("complaints at twice the threshold", Signals(complaints=4), ((Signal.COMPLAINTS, 4, 30),)),
        ("refunds at the threshold", Signals(refunds=2), ((Signal.REFUNDS, 2, 15),)),
        ("shortfall 9%", Signals(outstanding_fen=10000, shortfall_fen=900), ()),
        ("shortfall 10%", Signals(outstanding_fen=10000, shortfall_fen=1000), ((Signal.ESCROW_SHORTFALL, 10, 30),)),
        ("shortfall with nothing owed", Signals(outstanding_fen=0, shortfall_fen=0), ()),
        ("suspended", Signals(licence_suspended=True), ((Signal.LICENCE, 1, 30),)),
        ("suspended and sanctioned", Signals(licence_suspended=True, sanctions_in_force=1), ((Signal.LICENCE, 2, 60),)),
        ("escrow frozen", Signals(escrow_frozen=True), ((Signal.LICENCE, 1, 30),)),
        ("one late sitting", Signals(schedule_violations=1), ((Signal.SCHEDULE_VIOLATIONS, 1, 10),)),
        ("price cut 29%", Signals(price_cut_percent=29), ()),
        ("price cut 30%", Signals(price_cut_percent=30), ((Signal.PRICE_CUT, 30, 15),)),
    ],
)
def test_reasons_follow_the_profile_thresholds(
    _case: str, signals: Signals, expected: tuple[tuple[Signal, int, int], ...]
) -> None:
    reasons = rules.reasons_of(PROFILE, signals)
    assert tuple((r.signal, r.value, r.points) for r in reasons) == expected


def test_a_region_without_thresholds_scores_only_licence_issues() -> None:
    signals = Signals(complaints=50, refunds=50, outstanding_fen=100, shortfall_fen=100, licence_suspended=True)
    assessment = rules.assess(UNSET, signals)
    assert [r.signal for r in assessment.reasons] == [Signal.LICENCE]
    assert assessment.score == 30
    assert assessment.level is Level.NONE  # no score bands set: no level


@pytest.mark.parametrize(
    ("_case", "score", "level"),
    [("zero", 0, Level.NONE), ("under watch", 9, Level.NONE), ("watch", 10, Level.WATCH), ("yellow", 15, Level.YELLOW),
     ("just under red", 44, Level.YELLOW), ("red", 45, Level.RED), ("far over red", 200, Level.RED)],
)  # fmt: skip
def test_level_bands(_case: str, score: int, level: Level) -> None:
    assert rules.level_of(PROFILE, score) is level


def test_assessment_sums_points_and_keeps_reasons() -> None:
    assessment = rules.assess(PROFILE, Signals(complaints=2, refunds=4, licence_suspended=True))
    assert assessment.score == 15 + 30 + 30
    assert assessment.level is Level.RED
    assert [r.signal for r in assessment.reasons] == [Signal.COMPLAINTS, Signal.REFUNDS, Signal.LICENCE]


@pytest.mark.parametrize(
    ("_case", "previous", "current", "opens"),
    [("first yellow", None, Level.YELLOW, True), ("watch only", None, Level.WATCH, False),
     ("watch to yellow", Level.WATCH, Level.YELLOW, True), ("yellow stays", Level.YELLOW, Level.YELLOW, False),
     ("yellow to red", Level.YELLOW, Level.RED, True), ("red to yellow", Level.RED, Level.YELLOW, False),
     ("falls to none", Level.RED, Level.NONE, False)],
)  # fmt: skip
def test_notice_opens_when_the_level_rises_to_yellow_or_red(
    _case: str, previous: Level | None, current: Level, opens: bool
) -> None:
    assert rules.opens_notice(previous, current) is opens


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [(NoticeStatus.ISSUED, NoticeAction.APPEAL, NoticeStatus.APPEALED),
     (NoticeStatus.ISSUED, NoticeAction.UPHOLD, None), (NoticeStatus.ISSUED, NoticeAction.WITHDRAW, None),
     (NoticeStatus.APPEALED, NoticeAction.APPEAL, None),
     (NoticeStatus.APPEALED, NoticeAction.UPHOLD, NoticeStatus.UPHELD),
     (NoticeStatus.APPEALED, NoticeAction.WITHDRAW, NoticeStatus.WITHDRAWN),
     (NoticeStatus.UPHELD, NoticeAction.APPEAL, None), (NoticeStatus.WITHDRAWN, NoticeAction.UPHOLD, None)],
)  # fmt: skip
def test_notice_state_machine(status: NoticeStatus, action: NoticeAction, after: NoticeStatus | None) -> None:
    assert rules.next_status(status, action) == after


def test_appeal_deadline_from_the_profile() -> None:
    deadline = rules.appeal_deadline(PROFILE, date(2026, 9, 7))
    assert deadline == date(2026, 9, 17)
    assert rules.appeal_open(deadline, date(2026, 9, 17)) is True
    assert rules.appeal_open(deadline, date(2026, 9, 18)) is False
    assert rules.appeal_deadline(UNSET, date(2026, 9, 7)) is None


def test_window_start_is_inclusive() -> None:
    assert rules.window_start(PROFILE, date(2026, 9, 30)) == date(2026, 9, 1)
    assert rules.window_start(UNSET, date(2026, 9, 30)) is None


@pytest.mark.parametrize(
    ("earlier", "newest", "percent"),
    [(None, 1000, 0), (6000.0, None, 0), (6000.0, 6000, 0), (6000.0, 7000, 0), (6000.0, 4200, 30), (6000.0, 1, 99)],
)
def test_price_cut_percent(earlier: float | None, newest: int | None, percent: int) -> None:
    assert rules.price_cut_percent(earlier, newest) == percent


@pytest.mark.parametrize(
    ("cadence", "day", "period"),
    [(Cadence.WEEKLY, date(2026, 9, 9), (date(2026, 9, 7), date(2026, 9, 13))),
     (Cadence.HALF_MONTHLY, date(2026, 9, 15), (date(2026, 9, 1), date(2026, 9, 15))),
     (Cadence.HALF_MONTHLY, date(2026, 2, 16), (date(2026, 2, 16), date(2026, 2, 28))),
     (Cadence.MONTHLY, date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31)))],
)  # fmt: skip
def test_period_of(cadence: Cadence, day: date, period: tuple[date, date]) -> None:
    assert rules.period_of(cadence, day) == period


@pytest.mark.parametrize(
    ("today", "due"),
    [(date(2026, 9, 7), {Cadence.WEEKLY}),  # a Monday
     (date(2026, 9, 16), {Cadence.HALF_MONTHLY}),
     (date(2026, 10, 1), {Cadence.HALF_MONTHLY, Cadence.MONTHLY}),
     (date(2026, 6, 1), {Cadence.WEEKLY, Cadence.HALF_MONTHLY, Cadence.MONTHLY}),
     (date(2026, 9, 9), set())],
)  # fmt: skip
def test_due_periods(today: date, due: set[Cadence]) -> None:
    assert {c for c in Cadence if rules.due_periods(c, today)} == due
