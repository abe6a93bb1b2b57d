"""Early-warning rules (issue 4, item 6; docs/EARLY_WARNING.md): pure functions over plain values, no Django.

Each rule turns one signal of an institution into points when it reaches its threshold from the policy profile
(`warning.*`, set locally); a signal at twice its threshold scores double. The sum is the risk score, and the
profile's score bands give the level. A rule whose threshold the region has not set is off.

The warning notice's state machine lives here too: issued -> appealed -> upheld / withdrawn.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum, StrEnum

from shuangjian.policy.rules import PolicySnapshot


class Level(IntEnum):
    """Risk levels, ordered: a rise is a larger value."""

    NONE = 0
    WATCH = 1  # recorded and shown to supervisors; no notice
    YELLOW = 2  # a warning notice to the institution
    RED = 3  # a warning notice; supervisors act at once


NOTICE_LEVELS = frozenset({Level.YELLOW, Level.RED})


class Signal(StrEnum):
    COMPLAINTS = "complaints"
    REFUNDS = "refunds"
    ESCROW_SHORTFALL = "escrow_shortfall"
    LICENCE = "licence"
    SCHEDULE_VIOLATIONS = "schedule_violations"
    PRICE_CUT = "price_cut"


# Points each rule adds when its signal reaches the threshold (twice that at double the threshold). The weights are
# the scoring design, documented in docs/EARLY_WARNING.md; what counts as "reached" is policy (the profile).
POINTS: Mapping[Signal, int] = {
    Signal.COMPLAINTS: 15,
    Signal.REFUNDS: 15,
    Signal.ESCROW_SHORTFALL: 30,
    Signal.LICENCE: 30,
    Signal.SCHEDULE_VIOLATIONS: 10,
    Signal.PRICE_CUT: 15,
}
DOUBLE_AT = 2  # a signal at DOUBLE_AT x its threshold scores DOUBLE_AT x the points

THRESHOLD_KEYS: Mapping[Signal, str] = {
    Signal.COMPLAINTS: "warning.complaints_min",
    Signal.REFUNDS: "warning.refunds_min",
    Signal.ESCROW_SHORTFALL: "warning.shortfall_min_percent",
    Signal.SCHEDULE_VIOLATIONS: "warning.schedule_violations_min",
    Signal.PRICE_CUT: "warning.price_cut_min_percent",
}
LEVEL_KEYS: Mapping[Level, str] = {
    Level.RED: "warning.red_min_score",
    Level.YELLOW: "warning.yellow_min_score",
    Level.WATCH: "warning.watch_min_score",
}


@dataclass(frozen=True, slots=True)
class Signals:
    """What the platform holds on one institution on the scoring day (window counts over `warning.window_days`)."""

    complaints: int = 0
    refunds: int = 0
    outstanding_fen: int = 0  # prepaid lessons not yet consumed or refunded, at their price
    shortfall_fen: int = 0  # what of that the supervised funds do not cover
    escrow_frozen: bool = False
    licence_suspended: bool = False
    licence_cancelled: bool = False
    sanctions_in_force: int = 0
    schedule_violations: int = 0
    price_cut_percent: int = 0  # how far the newest course's price is below the earlier ones' average


@dataclass(frozen=True, slots=True)
class Reason:
    signal: Signal
    value: int
    threshold: int
    points: int


@dataclass(frozen=True, slots=True)
class Assessment:
    score: int
    level: Level
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def _int(profile: PolicySnapshot, key: str) -> int | None:
    value = profile.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def shortfall_percent(signals: Signals) -> int:
    if signals.outstanding_fen <= 0:
        return 0
    return signals.shortfall_fen * 100 // signals.outstanding_fen


def _value(signals: Signals, signal: Signal) -> int:
    if signal is Signal.COMPLAINTS:
        return signals.complaints
    if signal is Signal.REFUNDS:
        return signals.refunds
    if signal is Signal.ESCROW_SHORTFALL:
        return shortfall_percent(signals)
    if signal is Signal.SCHEDULE_VIOLATIONS:
        return signals.schedule_violations
    if signal is Signal.PRICE_CUT:
        return signals.price_cut_percent
    # Licence issues: suspended or cancelled, a frozen escrow account, each sanction in force.
    troubles = signals.sanctions_in_force + signals.escrow_frozen
    return troubles + signals.licence_suspended + signals.licence_cancelled


def reasons_of(profile: PolicySnapshot, signals: Signals) -> tuple[Reason, ...]:
    """Every rule that fires, in the order of `Signal`."""
    found = []
    for signal in Signal:
        threshold = 1 if signal is Signal.LICENCE else _int(profile, THRESHOLD_KEYS[signal])
        if threshold is None or threshold <= 0:
            continue
        value = _value(signals, signal)
        if value < threshold:
            continue
        points = POINTS[signal] * (DOUBLE_AT if value >= DOUBLE_AT * threshold else 1)
        found.append(Reason(signal, value, threshold, points))
    return tuple(found)


def level_of(profile: PolicySnapshot, score: int) -> Level:
    """The highest level whose minimum score `score` reaches (a level the region has not set is skipped)."""
    for level, key in LEVEL_KEYS.items():
        minimum = _int(profile, key)
        if minimum is not None and score >= minimum:
            return level
    return Level.NONE


def assess(profile: PolicySnapshot, signals: Signals) -> Assessment:
    reasons = reasons_of(profile, signals)
    score = sum(r.points for r in reasons)
    return Assessment(score, level_of(profile, score), reasons)


def opens_notice(previous: Level | None, current: Level) -> bool:
    """A warning notice opens when the level rises (against the last scored day) to yellow or red."""
    return current in NOTICE_LEVELS and current > (previous if previous is not None else Level.NONE)


def window_start(profile: PolicySnapshot, on: date) -> date | None:
    """The first day of the signal window ending on `on` (inclusive); None when the region set no window."""
    days = _int(profile, "warning.window_days")
    return on - timedelta(days=days - 1) if days is not None and days > 0 else None


# The warning notice (预警通知), its appeal (申诉) and the bureau's decision


class NoticeStatus(StrEnum):
    ISSUED = "issued"
    APPEALED = "appealed"
    UPHELD = "upheld"
    WITHDRAWN = "withdrawn"


class NoticeAction(StrEnum):
    APPEAL = "appeal"
    UPHOLD = "uphold"
    WITHDRAW = "withdraw"


TRANSITIONS: Mapping[tuple[NoticeStatus, NoticeAction], NoticeStatus] = {
    (NoticeStatus.ISSUED, NoticeAction.APPEAL): NoticeStatus.APPEALED,
    (NoticeStatus.APPEALED, NoticeAction.UPHOLD): NoticeStatus.UPHELD,
    (NoticeStatus.APPEALED, NoticeAction.WITHDRAW): NoticeStatus.WITHDRAWN,
}
OPEN_STATUSES = frozenset({NoticeStatus.ISSUED, NoticeStatus.APPEALED, NoticeStatus.UPHELD})


def next_status(status: NoticeStatus, action: NoticeAction) -> NoticeStatus | None:
    """The status after `action`, or None when the action is not allowed from `status`."""
    return TRANSITIONS.get((status, action))


def appeal_deadline(profile: PolicySnapshot, issued_on: date) -> date | None:
    """The last day the institution may appeal; None when the region set no appeal period."""
    days = _int(profile, "warning.appeal_days")
    return issued_on + timedelta(days=days) if days is not None and days > 0 else None


def appeal_open(deadline: date | None, today: date) -> bool:
    return deadline is None or today <= deadline


def price_cut_percent(earlier_average_fen: float | None, newest_min_fen: int | None) -> int:
    """How many percent the cheapest recent course is below the average of the earlier ones (0 if not cheaper)."""
    if not earlier_average_fen or newest_min_fen is None or newest_min_fen >= earlier_average_fen:
        return 0
    return int((earlier_average_fen - newest_min_fen) * 100 // earlier_average_fen)


# The periodic reports (issue 4, item 7): which period a day falls in, and what is due on a day


class Cadence(StrEnum):
    WEEKLY = "weekly"  # Monday to Sunday
    HALF_MONTHLY = "half_monthly"  # the 1st to the 15th, the 16th to the month's end
    MONTHLY = "monthly"


def period_of(cadence: Cadence, day: date) -> tuple[date, date]:
    """The period of `cadence` that contains `day` (first and last day, inclusive)."""
    if cadence is Cadence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if cadence is Cadence.MONTHLY:
        return day.replace(day=1), month_end
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), month_end


def due_periods(cadence: Cadence, today: date) -> list[tuple[date, date]]:
    """The periods of `cadence` that ended yesterday: due for filing today."""
    yesterday = today - timedelta(days=1)
    start, end = period_of(cadence, yesterday)
    return [(start, end)] if end == yesterday else []
