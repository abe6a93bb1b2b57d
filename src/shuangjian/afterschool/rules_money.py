"""Pure rules for staffing, fees and the satisfaction survey (issue 3, items 5-7; POLICY.md A8, A9, A11). No Django.

A block of the plan's day is one class hour (课时). A staff member's term is the duties' blocks on the plan's
service days; the flexible-hours entitlement (弹性上下班, A9) and the subsidy come from the region's [LOCAL]
values: minutes of later start per service day served, and fen per class hour. The fee per term is checked
against the region's limits per class hour (times the term's class hours) and per term (A11).
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from shuangjian.afterschool.rules import OK, Decision, ServiceDay
from shuangjian.core.money import yuan
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.rules import PolicySnapshot

MAX_FEE_FEN_PER_TERM = 10_000_000  # input sanity: 100 000 yuan a term is a typing mistake
SCORE_MIN, SCORE_MAX = 1, 5
SURVEY_QUESTIONS = ("overall", "content", "care", "staff")
COMMENT_MAX = 500
OUTLIER_SPREAD = 1.5  # a teacher whose hours are more than 1.5 IQR beyond the quartiles stands out (Tukey)
MIN_WIDTH_SHARE = 0.1  # where nearly everyone serves the same, a tenth of the median is the least spread counted


def _refuse(code: str, **params: object) -> Decision:
    return Decision(False, code, params)


# Staffing


@dataclass(frozen=True, slots=True)
class StaffRules:
    flexible_minutes_per_day: int | None
    subsidy_fen_per_class_hour: int | None


def staff_rules(profile: PolicySnapshot) -> StaffRules:
    values = profile.values
    flexible = values.get("afterschool.flexible_start_minutes_per_service_day")
    subsidy = values.get("afterschool.teacher_pay_min_fen_per_class_hour")
    return StaffRules(
        flexible_minutes_per_day=int(flexible) if isinstance(flexible, int) else None,
        subsidy_fen_per_class_hour=int(subsidy) if isinstance(subsidy, int) else None,
    )


@dataclass(frozen=True, slots=True)
class StaffTerm:
    """One staff member's term: the service days they serve, their class hours and minutes, and what that earns."""

    days: int
    class_hours: int
    minutes: int
    flexible_minutes: int | None
    subsidy_fen: int | None


def staff_term(
    duties: Iterable[tuple[int, int]],
    service_days: Sequence[ServiceDay],
    block_minutes: Mapping[int, int],
    rules: StaffRules,
) -> StaffTerm:
    """`duties`: (weekday, block number) pairs of one person; `service_days`: the plan's term."""
    by_weekday: dict[int, set[int]] = defaultdict(set)
    for weekday, block in duties:
        by_weekday[weekday].add(block)
    days = class_hours = minutes = 0
    for service in service_days:
        blocks = by_weekday.get(service.timetable_weekday, set())
        if blocks:
            days += 1
            class_hours += len(blocks)
            minutes += sum(block_minutes.get(b, 0) for b in blocks)
    flexible = None if rules.flexible_minutes_per_day is None else days * rules.flexible_minutes_per_day
    subsidy = None if rules.subsidy_fen_per_class_hour is None else class_hours * rules.subsidy_fen_per_class_hour
    return StaffTerm(days, class_hours, minutes, flexible, subsidy)


@dataclass(frozen=True, slots=True)
class Spread:
    """Class hours across the school's staff: median, quartiles, and the Tukey fences beyond which one stands out."""

    median: float
    low_fence: float
    high_fence: float

    def outlier(self, hours: int) -> bool:
        return hours < self.low_fence or hours > self.high_fence


def spread(hours: Sequence[int]) -> Spread | None:
    """None for fewer than four people, where quartiles say nothing."""
    if len(hours) < 4:
        return None
    q1, median, q3 = statistics.quantiles(hours, n=4, method="inclusive")
    width = max(q3 - q1, MIN_WIDTH_SHARE * median)
    return Spread(median, q1 - OUTLIER_SPREAD * width, q3 + OUTLIER_SPREAD * width)


def check_duty_person(staff_given: bool, external_name: str, external_provider: str) -> Decision:
    if staff_given == bool(external_name or external_provider) or (not staff_given and not external_provider):
        return _refuse("afterschool.duty_who")
    return OK


# Fees


@dataclass(frozen=True, slots=True)
class FeeLimits:
    per_class_hour_fen: int | None
    per_term_fen: int | None


def fee_limits(profile: PolicySnapshot) -> FeeLimits:
    values = profile.values
    hour = values.get("afterschool.fee_max_fen_per_class_hour")
    term = values.get("afterschool.fee_max_fen_per_term")
    return FeeLimits(
        per_class_hour_fen=int(hour) if isinstance(hour, int) else None,
        per_term_fen=int(term) if isinstance(term, int) else None,
    )


def term_fee_limit(limits: FeeLimits, class_hours: int) -> int | None:
    """The highest per-term fee the region allows for a term of `class_hours` (None: the region sets no limit)."""
    candidates = [limits.per_term_fen] if limits.per_term_fen is not None else []
    if limits.per_class_hour_fen is not None:
        candidates.append(limits.per_class_hour_fen * class_hours)
    return min(candidates) if candidates else None


def check_fee(fee_fen: int, class_hours: int, limits: FeeLimits) -> Decision:
    if fee_fen < 0 or fee_fen > MAX_FEE_FEN_PER_TERM:
        return _refuse("afterschool.bad_fee")
    limit = term_fee_limit(limits, class_hours)
    if limit is not None and fee_fen > limit:
        return _refuse("afterschool.fee_over_limit", fee=yuan(fee_fen), limit=yuan(limit), hours=class_hours)
    return OK


def check_waiver(waived_fen: int, fee_fen: int) -> Decision:
    if fee_fen == 0:
        return _refuse("afterschool.service_free")
    if waived_fen < 1 or waived_fen > fee_fen:
        return _refuse("afterschool.bad_waiver_amount", fee=yuan(fee_fen))
    return OK


def amount_due(fee_fen: int, waived_fen: int) -> int:
    return max(fee_fen - waived_fen, 0)


def refund_due(paid: bool, paid_fen: int, due_fen: int) -> int:
    """What the school owes back to a family that paid `paid_fen` and now owes `due_fen` (a waiver came later)."""
    return max(paid_fen - due_fen, 0) if paid else 0


# The survey


def check_scores(scores: Mapping[str, int]) -> Decision:
    if set(scores) != set(SURVEY_QUESTIONS) or any(not SCORE_MIN <= s <= SCORE_MAX for s in scores.values()):
        return _refuse("afterschool.bad_scores", min=SCORE_MIN, max=SCORE_MAX)
    return OK


def respondent_key(guardian_user_id: int, student_id: int, plan_id: int) -> str:
    """What is hashed (keyed) to refuse a second answer: one answer per guardian per child per plan."""
    return f"afterschool-survey:{plan_id}:{guardian_user_id}:{student_id}"


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """Answers and mean score per question; means are None when the answers are fewer than the minimum cell."""

    answers: int
    means: dict[str, float | None]


def summarise(count: int, sums: Mapping[str, int], min_cell: int) -> ScoreSummary:
    """`sums`: the total score per question over `count` answers."""
    shown = policy_rules.share(count, count, min_cell) is not None
    means: dict[str, float | None] = {
        q: (round(sums.get(q, 0) / count, 2) if shown else None) for q in SURVEY_QUESTIONS
    }
    return ScoreSummary(count, means)
