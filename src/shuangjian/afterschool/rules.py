"""Pure after-school rules (no Django): a plan against the policy profile, its service dates, offerings, choices,
and the allocation of oversubscribed offerings.

Policy numbers arrive in a PolicySnapshot (read through policy.rules); the bounds written here are input sanity,
not policy. Weekdays are ISO numbers (1 = Monday). A day's service time is the sum of its blocks' minutes.

Allocation (METHOD): random serial dictatorship. The lottery orders the students by SHA-256 of the published seed
and the student's id (stable across Python versions and machines); in that order each student takes, going down
their ranked choices, every offering that still has a seat and does not clash in time with one they already got,
up to the plan's number of courses per student. A full offering they still wanted puts them on its waitlist, in
lottery order. Nothing but the choices, the seats, the slots and the seed goes in: never a test score.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import pairwise
from typing import Any

from shuangjian.core.rules import DayKind
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.parameters import BY_KEY, Enforcement
from shuangjian.policy.rules import PolicySnapshot

# After-school service runs on school weekdays (A1, A7); a weekend make-up workday is added as a dated change.
SERVICE_WEEKDAYS = frozenset(range(1, 6))
ALL_WEEKDAYS = frozenset(range(1, 8))
ACTIVITIES = "activities"
MAX_WEEKLY_SLOTS = 10  # input sanity: more meetings a week than this is a typing mistake
MAX_CAPACITY = 1000  # input sanity for the seats of a course or an offering
MAX_DATE_RANGE_DAYS = 400  # a service-date query spans at most about a school year

Slot = tuple[int, int]  # (weekday, block number)


@dataclass(frozen=True, slots=True)
class Decision:
    ok: bool
    code: str = ""
    params: dict[str, object] = field(default_factory=dict)


OK = Decision(True)


def _refuse(code: str, **params: object) -> Decision:
    return Decision(False, code, params)


# Plans


@dataclass(frozen=True, slots=True)
class Block:
    number: int
    kind: str
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


@dataclass(frozen=True, slots=True)
class PlanLimits:
    days_per_week: int | None
    min_minutes_per_day: int | None
    earliest_end: time | None
    end_overridable: bool  # the end time is a "原则上" rule: a named role may override it with a reason


def plan_limits(profile: PolicySnapshot) -> PlanLimits:
    """What a plan is checked against: the profile's A1 and A2 values, and whether A2 is only a warning."""
    end_rule = BY_KEY["afterschool.earliest_end"]
    return PlanLimits(
        days_per_week=policy_rules.afterschool_days_per_week(profile),
        min_minutes_per_day=policy_rules.afterschool_min_minutes_per_day(profile),
        earliest_end=policy_rules.afterschool_earliest_end(profile),
        end_overridable=end_rule.enforcement is Enforcement.WARNING,
    )


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    params: dict[str, object]
    overridable: bool = False


def _structure(weekdays: Sequence[int], blocks: Sequence[Block]) -> Finding | None:
    for weekday in weekdays:
        if weekday not in SERVICE_WEEKDAYS or weekdays.count(weekday) > 1:
            return Finding("afterschool.bad_weekday", {"weekday": weekday})
    if not blocks:
        return Finding("afterschool.no_blocks", {})
    if [b.number for b in blocks] != list(range(1, len(blocks) + 1)):
        return Finding("afterschool.bad_block_numbers", {"count": len(blocks)})
    for block in blocks:
        if block.end <= block.start:
            return Finding("afterschool.bad_block_times", {"block": block.number})
    for earlier, later in pairwise(blocks):
        if later.start < earlier.end:
            return Finding("afterschool.blocks_overlap", {"block": later.number})
    return None


def day_minutes(blocks: Iterable[Block]) -> int:
    return sum(block.minutes for block in blocks)


def plan_findings(weekdays: Sequence[int], blocks: Sequence[Block], limits: PlanLimits) -> list[Finding]:
    """Everything wrong with a plan: a malformed pattern alone, else each policy limit it misses (A1, A2)."""
    broken = _structure(weekdays, blocks)
    if broken is not None:
        return [broken]
    found = []
    if limits.days_per_week is not None and len(weekdays) < limits.days_per_week:
        found.append(Finding("afterschool.too_few_days", {"days": len(weekdays), "min": limits.days_per_week}))
    minutes = day_minutes(blocks)
    if limits.min_minutes_per_day is not None and minutes < limits.min_minutes_per_day:
        found.append(Finding("afterschool.too_short", {"minutes": minutes, "min": limits.min_minutes_per_day}))
    end = blocks[-1].end
    if limits.earliest_end is not None and end < limits.earliest_end:
        params: dict[str, object] = {"end": f"{end:%H:%M}", "earliest": f"{limits.earliest_end:%H:%M}"}
        found.append(Finding("afterschool.ends_too_early", params, overridable=limits.end_overridable))
    return found


def plan_decision(findings: Sequence[Finding], override_reason: str) -> Decision:
    """Refuse the first hard finding; a "原则上" finding passes only with a reason (recorded by the service)."""
    for finding in findings:
        if not finding.overridable:
            return Decision(False, finding.code, finding.params)
    if findings and not override_reason.strip():
        return Decision(False, findings[0].code, findings[0].params)
    return OK


def check_window(opens_at: datetime, closes_at: datetime) -> Decision:
    return OK if closes_at > opens_at else _refuse("afterschool.bad_window")


def check_plan_limits(max_preferences: int, courses_per_student: int) -> Decision:
    if max_preferences < 1 or courses_per_student < 1:
        return _refuse("afterschool.bad_limit")
    return OK


def check_keeps_slots(weekdays: Collection[int], blocks: Sequence[Block], used: Iterable[Slot]) -> Decision:
    """A changed plan must keep every weekday and activities block its offerings meet in."""
    activity_blocks = {b.number for b in blocks if b.kind == ACTIVITIES}
    for weekday, block in sorted(used):
        if weekday not in weekdays or block not in activity_blocks:
            return _refuse("afterschool.plan_in_use", weekday=weekday, block=block)
    return OK


def window_open(now: datetime, opens_at: datetime, closes_at: datetime) -> bool:
    return opens_at <= now < closes_at


# Service dates


@dataclass(frozen=True, slots=True)
class ServiceDay:
    day: date
    timetable_weekday: int  # whose blocks and offerings run that day (differs on a make-up workday)


def service_days(
    kinds: Mapping[date, DayKind], weekdays: Collection[int], changes: Mapping[date, int | None]
) -> list[ServiceDay]:
    """The plan's service days among `kinds` (the calendar of the school): school days on the plan's weekdays,
    minus dates cancelled by a change, plus dates a change gives a weekday's timetable. Whatever is not a school
    day (holidays, weekends, vacations, a snow day) never has service, whatever a change says."""
    days = []
    for day, kind in sorted(kinds.items()):
        if kind is not DayKind.SCHOOL_DAY:
            continue
        if day in changes:
            follows = changes[day]
            if follows is not None:
                days.append(ServiceDay(day, follows))
        elif day.isoweekday() in weekdays:
            days.append(ServiceDay(day, day.isoweekday()))
    return days


def check_date_range(start: date, end: date) -> Decision:
    if end < start or (end - start).days > MAX_DATE_RANGE_DAYS:
        return _refuse("afterschool.bad_range", max=MAX_DATE_RANGE_DAYS)
    return OK


def check_plan_date(
    day: date, kind: DayKind, follows_weekday: int | None, weekdays: Collection[int], term: tuple[date, date]
) -> Decision:
    """A dated change inside the term. Service on a date needs a school day and one of the plan's timetables;
    cancelling service is possible on any date of the term."""
    if not term[0] <= day <= term[1]:
        return _refuse("afterschool.outside_term", date=day, start=term[0], end=term[1])
    if follows_weekday is None:
        return OK
    if kind is not DayKind.SCHOOL_DAY:
        return _refuse("afterschool.slot_on_holiday", date=day, day_kind=kind.value)
    if follows_weekday not in weekdays:
        return _refuse("afterschool.not_a_service_day", weekday=follows_weekday)
    return OK


# The menu and offerings


def check_course(grade_min: int, grade_max: int, capacity: int, weekly_slots: int, fee_fen: int) -> Decision:
    if not 1 <= grade_min <= grade_max <= 9:
        return _refuse("afterschool.bad_grades", grade_min=grade_min, grade_max=grade_max)
    if not 1 <= capacity <= MAX_CAPACITY:
        return _refuse("afterschool.bad_capacity", capacity=capacity, max=MAX_CAPACITY)
    if not 1 <= weekly_slots <= MAX_WEEKLY_SLOTS:
        return _refuse("afterschool.bad_weekly_slots", max=MAX_WEEKLY_SLOTS)
    if fee_fen < 0:
        return _refuse("afterschool.bad_fee")
    return OK


def check_offering(
    slots: Sequence[Slot],
    *,
    weekly_slots: int,
    capacity: int,
    course_capacity: int,
    weekdays: Collection[int],
    block_kinds: Mapping[int, str],
) -> Decision:
    """An ordered course meets `weekly_slots` times a week, each on a service weekday in an activities block."""
    if len(set(slots)) != len(slots):
        return _refuse("afterschool.duplicate_slot")
    if len(slots) != weekly_slots:
        return _refuse("afterschool.slot_count", expected=weekly_slots, given=len(slots))
    for weekday, block in slots:
        if weekday not in weekdays:
            return _refuse("afterschool.not_a_service_day", weekday=weekday)
        if block_kinds.get(block) != ACTIVITIES:
            return _refuse("afterschool.not_an_activity_block", block=block)
    if not 1 <= capacity <= course_capacity:
        return _refuse("afterschool.bad_capacity", capacity=capacity, max=course_capacity)
    return OK


def grade_eligible(grade: int, grade_min: int, grade_max: int) -> bool:
    return grade_min <= grade <= grade_max


# Choices and seats


def check_preferences(offering_ids: Sequence[int], max_preferences: int) -> Decision:
    if len(set(offering_ids)) != len(offering_ids):
        return _refuse("afterschool.duplicate_preference")
    if len(offering_ids) > max_preferences:
        return _refuse("afterschool.too_many_preferences", max=max_preferences)
    return OK


def clashing_slot(held: Iterable[frozenset[Slot]], slots: frozenset[Slot]) -> Slot | None:
    for taken in held:
        common = taken & slots
        if common:
            return min(common)
    return None


def check_placement(
    *, seats_left: int, held: Sequence[frozenset[Slot]], slots: frozenset[Slot], courses_per_student: int
) -> Decision:
    """A seat given by hand (a change during the term): a free seat, no clash, within the number of courses."""
    if seats_left <= 0:
        return _refuse("afterschool.offering_full")
    clash = clashing_slot(held, slots)
    if clash is not None:
        return _refuse("afterschool.slot_clash", weekday=clash[0], block=clash[1])
    if len(held) >= courses_per_student:
        return _refuse("afterschool.too_many_courses", max=courses_per_student)
    return OK


# Allocation

METHOD = "rsd-sha256-v1"
MAX_SEED_LENGTH = 64


@dataclass(frozen=True)
class AllocationInput:
    seed: str
    preferences: Mapping[int, Sequence[int]]  # student -> offerings, most wanted first
    capacities: Mapping[int, int]  # offering -> seats
    slots: Mapping[int, frozenset[Slot]]  # offering -> its weekly (weekday, block) meetings
    courses_per_student: int


@dataclass(frozen=True)
class AllocationResult:
    order: tuple[int, ...]  # the lottery order of the students
    assigned: Mapping[int, tuple[int, ...]]  # student -> offerings got, most wanted first (students who got any)
    waitlists: Mapping[int, tuple[int, ...]]  # offering -> students waiting, in lottery order


def check_seed(seed: str) -> Decision:
    if not seed.strip() or len(seed) > MAX_SEED_LENGTH:
        return _refuse("afterschool.bad_seed", max=MAX_SEED_LENGTH)
    return OK


def lottery_key(seed: str, student: int) -> bytes:
    return hashlib.sha256(f"{seed}\x1f{student}".encode()).digest()


def lottery_order(seed: str, students: Iterable[int]) -> list[int]:
    """The published draw: students sorted by SHA-256(seed, US, id); anyone can recompute it from the seed."""
    return sorted(students, key=lambda student: (lottery_key(seed, student), student))


def allocate(given: AllocationInput) -> AllocationResult:
    """Random serial dictatorship over the ranked choices (see the module docstring). Pure and deterministic."""
    bit_of: dict[Slot, int] = {}
    masks: dict[int, int] = {}
    for offering, slots in given.slots.items():
        mask = 0
        for slot in slots:
            mask |= 1 << bit_of.setdefault(slot, len(bit_of))
        masks[offering] = mask
    remaining = dict(given.capacities)
    limit = given.courses_per_student
    order = tuple(lottery_order(given.seed, given.preferences))
    assigned: dict[int, tuple[int, ...]] = {}
    waitlists: dict[int, list[int]] = defaultdict(list)
    for student in order:
        held = 0
        got: list[int] = []
        for offering in given.preferences[student]:
            if len(got) >= limit:
                break
            mask = masks[offering]
            if held & mask:
                continue  # it clashes with a course they wanted more and got
            if remaining[offering] > 0:
                remaining[offering] -= 1
                got.append(offering)
                held |= mask
            else:
                waitlists[offering].append(student)
        if got:
            assigned[student] = tuple(got)
    return AllocationResult(order, assigned, {o: tuple(s) for o, s in waitlists.items()})


def inputs_document(given: AllocationInput) -> dict[str, Any]:
    """The inputs as plain JSON (what a run stores and publishes), in one canonical order."""
    return {
        "method": METHOD,
        "seed": given.seed,
        "courses_per_student": given.courses_per_student,
        "preferences": [[s, list(given.preferences[s])] for s in sorted(given.preferences)],
        "capacities": [[o, given.capacities[o]] for o in sorted(given.capacities)],
        "slots": [[o, sorted([w, b] for w, b in given.slots[o])] for o in sorted(given.slots)],
    }


def inputs_from_document(document: Mapping[str, Any]) -> AllocationInput:
    return AllocationInput(
        seed=str(document["seed"]),
        preferences={int(s): [int(o) for o in offerings] for s, offerings in document["preferences"]},
        capacities={int(o): int(c) for o, c in document["capacities"]},
        slots={int(o): frozenset((int(w), int(b)) for w, b in slots) for o, slots in document["slots"]},
        courses_per_student=int(document["courses_per_student"]),
    )


def result_document(result: AllocationResult) -> dict[str, Any]:
    return {
        "order": list(result.order),
        "assigned": [[s, list(result.assigned[s])] for s in sorted(result.assigned)],
        "waitlists": [[o, list(result.waitlists[o])] for o in sorted(result.waitlists)],
    }


def digest(document: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# Promotion from a waitlist when a seat frees during the term


@dataclass(frozen=True, slots=True)
class Held:
    offering: int
    rank: int | None  # None: placed by the school, treated as wanted above every ranked choice
    slots: frozenset[Slot]


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int  # the enrolment
    rank: int  # how they ranked the offering whose seat is free
    held: tuple[Held, ...]


@dataclass(frozen=True, slots=True)
class Promotion:
    key: int
    releases: tuple[int, ...]  # offerings the student gives up for the one they wanted more


def choose_promotion(
    candidates: Sequence[Candidate], slots: frozenset[Slot], courses_per_student: int
) -> Promotion | None:
    """The first waitlisted student (in lottery order) who still wants the free seat: nothing they hold in its
    time is wanted more, and if they are at their number of courses, their least wanted one is wanted less. They
    give up what clashes with it (and that least wanted course), so each promotion moves a student up their list."""
    for candidate in candidates:
        clashing = [h for h in candidate.held if h.slots & slots]
        if any(h.rank is None or h.rank < candidate.rank for h in clashing):
            continue
        keep = [h for h in candidate.held if not h.slots & slots]
        releases = [h.offering for h in clashing]
        if len(keep) >= courses_per_student:
            ranked = [h for h in keep if h.rank is not None]
            worst = max(ranked, key=lambda h: h.rank or 0, default=None)
            if worst is None or worst.rank is None or worst.rank < candidate.rank:
                continue
            if len(keep) - 1 >= courses_per_student:
                continue
            releases.append(worst.offering)
        return Promotion(candidate.key, tuple(releases))
    return None
