"""Pure training rules (no Django): the licence lifecycle, and a course with its timetable and fees against the
policy profile (T1, T4-T8, T10, P1-P2, F4-F5).

Policy numbers arrive in a PolicySnapshot and are read through policy.rules; the bounds written here are input
sanity, not policy. How a timetable meets the calendar (T5):
- a dated sitting is held on its date, so its kind of day must allow the training;
- a weekly sitting (ISO weekday) runs on every matching date from the course's start to its end date. For academic
  training it may not fall on a Saturday or Sunday that is a rest day nor in a vacation; a statutory holiday or a
  local rest day on a weekday is simply skipped (no lesson that day), as institutions announce.
A lesson is one class hour (课时) for the prepaid limits (F4). Prices compare per standard lesson (P2):
`price × standard / lesson_minutes ≤ base × (100 + float) / 100`, in integers.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from itertools import pairwise

from shuangjian.core.rules import DayKind
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.rules import PolicySnapshot

# 学科类 subjects (T1: 道德与法治、语文、历史、地理、数学、外语、物理、化学、生物), as the curriculum names them.
# In the curriculum's order, as pages list them.
ACADEMIC_SUBJECT_ORDER = (
    "语文", "数学", "英语", "日语", "俄语", "道德与法治", "物理", "化学", "生物学", "历史", "地理",
)  # fmt: skip
ACADEMIC_SUBJECTS = frozenset(ACADEMIC_SUBJECT_ORDER)
GRADE_MIN, GRADE_MAX = -2, 12  # kindergarten 小班 (-2) to senior high grade 12
MAX_LESSON_MINUTES = 240  # input sanity
MAX_LESSONS = 1000
MAX_CLASS_SIZE = 500
MAX_SITTINGS = 50
MAX_COURSE_DAYS = 400  # a course period longer than about a school year is a typing mistake
REST_WEEKDAYS = frozenset({6, 7})


class LicenceAction(StrEnum):
    APPROVE = "approve"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    CANCEL = "cancel"


# action -> (the statuses it may start from, the status it leaves). Cancelled is final.
LICENCE_TRANSITIONS: Mapping[LicenceAction, tuple[frozenset[str], str]] = {
    LicenceAction.APPROVE: (frozenset({"applied"}), "approved"),
    LicenceAction.SUSPEND: (frozenset({"approved"}), "suspended"),
    LicenceAction.REINSTATE: (frozenset({"suspended"}), "approved"),
    LicenceAction.CANCEL: (frozenset({"applied", "approved", "suspended"}), "cancelled"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    params: dict[str, object] = field(default_factory=dict)


def name_grams(name: str) -> list[str]:
    """The distinct two-character pieces of a name, in order: 启明培训 -> 启明, 明培, 培训 (the lookup's index)."""
    return list(dict.fromkeys(name[i : i + 2] for i in range(len(name) - 1)))


def fees_supervised(escrow_bank: str, escrow_opened_on: date | None) -> bool:
    """Whether an institution's prepaid fees are under supervision: a custodian bank and the day its account opened."""
    return bool(escrow_bank) and escrow_opened_on is not None


def licence_next_status(current: str, action: LicenceAction) -> str | Finding:
    """The status `action` leads to from `current`, or the refusal."""
    allowed_from, to_status = LICENCE_TRANSITIONS[action]
    if current not in allowed_from:
        return Finding("training.transition_not_allowed", {"action": action.value, "status": current})
    return to_status


def conversion_refusal(kind: str, status: str, active_academic_courses: int) -> Finding | None:
    """Academic → non-academic (学科类转非学科类): only an academic institution whose licence is not cancelled and
    which runs no academic course any more."""
    if kind != "academic":
        return Finding("training.not_academic", {})
    if status == "cancelled":
        return Finding("training.transition_not_allowed", {"action": "convert", "status": status})
    if active_academic_courses:
        return Finding("training.academic_courses_active", {"count": active_academic_courses})
    return None


def staff_refusal(academic: bool, teaches: bool, qualification_number: str) -> Finding | None:
    """Teaching staff of academic training hold a teacher qualification (T9)."""
    if academic and teaches and not qualification_number:
        return Finding("training.qualification_required", {})
    return None


# Courses


@dataclass(frozen=True, slots=True)
class Sitting:
    weekday: int | None  # ISO weekday of a weekly sitting
    day: date | None  # the date of a one-off sitting
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)


@dataclass(frozen=True, slots=True)
class CourseFacts:
    academic: bool
    online: bool
    subject: str
    grade_min: int
    grade_max: int
    lesson_minutes: int
    lesson_count: int
    class_size: int
    price_fen_per_lesson: int
    charge_lessons: int
    charge_months: int
    start_date: date
    end_date: date
    sittings: tuple[Sitting, ...]
    site_area: int | None = None  # square metres of the offline site


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _int(profile: PolicySnapshot, key: str) -> int | None:
    value = profile.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def max_price_fen_per_lesson(profile: PolicySnapshot, online: bool, base_fen: int, lesson_minutes: int) -> int | None:
    """The highest price per lesson of `lesson_minutes` allowed by a guidance base price (P1, P2)."""
    standard = policy_rules.standard_lesson_minutes(profile, online)
    float_up = policy_rules.price_float_up_max_percent(profile)
    if standard is None or float_up is None or standard <= 0:
        return None
    return base_fen * (100 + float_up) * lesson_minutes // (standard * 100)


def dates_of(sitting: Sitting, start: date, end: date) -> list[date]:
    """The dates a sitting meets between the course's start and end dates."""
    if sitting.day is not None:
        return [sitting.day]
    if sitting.weekday is None:
        return []
    first = start + timedelta(days=(sitting.weekday - start.isoweekday()) % 7)
    return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)] if first <= end else []


def _shape(facts: CourseFacts) -> Finding | None:
    """Input that cannot describe a course: sanity bounds and internal consistency."""
    if facts.academic != (facts.subject in ACADEMIC_SUBJECTS):
        code = "training.subject_not_academic" if facts.academic else "training.academic_subject_forbidden"
        return Finding(code, {"subject": facts.subject})
    if not GRADE_MIN <= facts.grade_min <= facts.grade_max <= GRADE_MAX:
        return Finding("training.bad_grades", {"grade_min": facts.grade_min, "grade_max": facts.grade_max})
    if facts.grade_min < 1 and (facts.academic or facts.online):
        return Finding("training.preschool_forbidden", {})  # T4
    numbers = (
        (facts.lesson_minutes, MAX_LESSON_MINUTES),
        (facts.lesson_count, MAX_LESSONS),
        (facts.class_size, MAX_CLASS_SIZE),
        (facts.charge_lessons, facts.lesson_count),
    )
    if any(not 1 <= value <= limit for value, limit in numbers) or facts.charge_months < 0:
        return Finding("training.bad_numbers", {})
    if not 0 <= (facts.end_date - facts.start_date).days <= MAX_COURSE_DAYS:
        return Finding("training.bad_dates", {"max": MAX_COURSE_DAYS})
    if not facts.sittings or len(facts.sittings) > MAX_SITTINGS:
        return Finding("training.no_timetable", {"max": MAX_SITTINGS})
    return None


def _sitting_shape(facts: CourseFacts) -> Finding | None:
    for sitting in facts.sittings:
        weekly_ok = sitting.weekday is not None and sitting.day is None and 1 <= sitting.weekday <= 7
        dated_ok = sitting.day is not None and sitting.weekday is None
        inside = sitting.day is None or facts.start_date <= sitting.day <= facts.end_date
        if not (weekly_ok or dated_ok) or not inside or sitting.end <= sitting.start:
            return Finding("training.bad_sitting", {"start": sitting.start, "end": sitting.end})
        if sitting.minutes < facts.lesson_minutes:
            return Finding("training.sitting_too_short", {"minutes": sitting.minutes, "lesson": facts.lesson_minutes})
    return None


def _same_day_gaps(facts: CourseFacts) -> list[tuple[Sitting, Sitting]]:
    """Consecutive sittings that can meet on the same day (same weekday, same date, or a date on that weekday)."""
    by_day: dict[object, list[Sitting]] = {}
    for sitting in facts.sittings:
        weekday = sitting.weekday if sitting.day is None else sitting.day.isoweekday()
        by_day.setdefault(weekday, []).append(sitting)
    pairs: list[tuple[Sitting, Sitting]] = []
    for sittings in by_day.values():
        ordered = sorted(sittings, key=lambda s: s.start)
        pairs.extend((a, b) for a, b in pairwise(ordered) if a.day is None or b.day is None or a.day == b.day)
    return pairs


def _times(profile: PolicySnapshot, facts: CourseFacts) -> list[Finding]:
    found: list[Finding] = []
    latest = policy_rules.training_latest_end(profile, facts.online)
    longest = policy_rules.online_lesson_max_minutes(profile) if facts.online else None
    pause = policy_rules.online_break_min_minutes(profile) if facts.online else None
    if longest is not None and facts.lesson_minutes > longest:
        found.append(Finding("training.lesson_too_long", {"minutes": facts.lesson_minutes, "max": longest}))
    for sitting in facts.sittings:
        if latest is not None and sitting.end > latest:
            found.append(Finding("training.ends_too_late", {"end": sitting.end, "latest": latest}))
        if longest is not None and sitting.minutes > longest:
            found.append(Finding("training.lesson_too_long", {"minutes": sitting.minutes, "max": longest}))
    for earlier, later in _same_day_gaps(facts):
        gap = _minutes(later.start) - _minutes(earlier.end)
        if gap < 0:
            found.append(Finding("training.sittings_overlap", {"start": later.start}))
        elif pause is not None and gap < pause:
            found.append(Finding("training.break_too_short", {"minutes": gap, "min": pause}))
    return found


def _calendar(profile: PolicySnapshot, facts: CourseFacts, day_kinds: Mapping[date, DayKind]) -> list[Finding]:
    if not facts.academic:
        return []
    codes = {
        DayKind.WEEKEND: "training.rest_day_forbidden",
        DayKind.HOLIDAY: "training.holiday_forbidden",
        DayKind.VACATION: "training.vacation_forbidden",
    }
    found: list[Finding] = []
    for sitting in facts.sittings:
        for day in dates_of(sitting, facts.start_date, facts.end_date):
            kind = day_kinds.get(day, DayKind.VACATION)
            if policy_rules.academic_training_allowed(profile, kind):
                continue
            skipped = sitting.day is None and (
                kind is DayKind.HOLIDAY or (kind is DayKind.WEEKEND and sitting.weekday not in REST_WEEKDAYS)
            )
            if not skipped:
                found.append(Finding(codes[kind], {"date": day}))
                break  # one finding per sitting is enough to show what is wrong
    return found


def _fees(profile: PolicySnapshot, facts: CourseFacts, guidance_base_fen: int | None) -> list[Finding]:
    found: list[Finding] = []
    if guidance_base_fen is not None:
        ceiling = max_price_fen_per_lesson(profile, facts.online, guidance_base_fen, facts.lesson_minutes)
        if ceiling is not None and facts.price_fen_per_lesson > ceiling:
            found.append(
                Finding("training.price_above_guidance", {"price": facts.price_fen_per_lesson, "max": ceiling})
            )
    limits = policy_rules.prepaid_limits(profile, facts.academic)
    amount = facts.charge_lessons * facts.price_fen_per_lesson
    checks = (
        ("training.charge_months_exceeded", limits.months, facts.charge_months),
        ("training.charge_lessons_exceeded", limits.class_hours, facts.charge_lessons),
        ("training.charge_amount_exceeded", limits.amount_fen, amount),
    )
    found.extend(
        Finding(code, {"value": value, "max": limit}) for code, limit, value in checks if limit and value > limit
    )
    return found


def _site(profile: PolicySnapshot, facts: CourseFacts) -> list[Finding]:
    if facts.online:
        return []
    if facts.site_area is None:
        return [Finding("training.site_required", {})]
    per_student = _int(profile, "training.offline_min_square_metres_per_student")
    if per_student is not None and facts.class_size * per_student > facts.site_area:
        return [
            Finding(
                "training.site_too_small",
                {"class_size": facts.class_size, "area": facts.site_area, "max": facts.site_area // per_student},
            )
        ]
    return []


def course_findings(
    profile: PolicySnapshot,
    facts: CourseFacts,
    day_kinds: Mapping[date, DayKind],
    guidance_base_fen: int | None = None,
) -> list[Finding]:
    """Everything wrong with a course against the profile, the region's calendar (`day_kinds` over the course's
    period) and the guidance price; empty when it may run. Malformed input stops at its first finding."""
    shape = _shape(facts) or _sitting_shape(facts)
    if shape is not None:
        return [shape]
    return [
        *_times(profile, facts),
        *_calendar(profile, facts, day_kinds),
        *_fees(profile, facts, guidance_base_fen),
        *_site(profile, facts),
    ]


def course_period(facts: CourseFacts) -> tuple[date, date]:
    """The dates whose kinds the calendar check needs."""
    days = [s.day for s in facts.sittings if s.day is not None]
    return min([facts.start_date, *days]), max([facts.end_date, *days])


def sittings_of(rows: Sequence[tuple[int | None, date | None, time, time]]) -> tuple[Sitting, ...]:
    return tuple(Sitting(weekday, day, start, end) for weekday, day, start, end in rows)


# Complaints (投诉举报): the lifecycle and its deadlines


class ComplaintAction(StrEnum):
    TRIAGE = "triage"
    REJECT = "reject"
    ASSIGN = "assign"
    INVESTIGATE = "investigate"
    NOTE = "note"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


# action -> {the status it may start from: the status it leaves}. A note keeps the status; reassigning an assigned
# or investigating complaint hands it to another inspector, who starts again; closed is final.
COMPLAINT_TRANSITIONS: Mapping[ComplaintAction, Mapping[str, str]] = {
    ComplaintAction.TRIAGE: {"received": "triaged"},
    ComplaintAction.REJECT: {"received": "rejected"},
    ComplaintAction.ASSIGN: {"triaged": "assigned", "assigned": "assigned", "investigating": "assigned"},
    ComplaintAction.INVESTIGATE: {"assigned": "investigating"},
    ComplaintAction.NOTE: {"assigned": "assigned", "investigating": "investigating"},
    ComplaintAction.RESOLVE: {"investigating": "resolved"},
    ComplaintAction.CLOSE: {"resolved": "closed", "rejected": "closed"},
    ComplaintAction.REOPEN: {"resolved": "investigating", "rejected": "received"},
}
COMPLAINT_OPEN_STATUSES = frozenset({"received", "triaged", "assigned", "investigating"})
DUE_SOON_WORKING_DAYS = 1  # the desk flags a deadline this many working days ahead (a display window, not policy)


def complaint_next_status(current: str, action: ComplaintAction) -> str | Finding:
    """The status `action` leads to from `current`, or the refusal."""
    to_status = COMPLAINT_TRANSITIONS[action].get(current)
    if to_status is None:
        return Finding("training.complaint_bad_transition", {"action": action.value, "status": current})
    return to_status


def complaint_actions(current: str) -> list[ComplaintAction]:
    """The actions allowed from `current`, in lifecycle order (the forms a complaint page offers)."""
    return [action for action, moves in COMPLAINT_TRANSITIONS.items() if current in moves]


def is_working_day(day: date, *, is_statutory_holiday: bool, is_makeup_workday: bool) -> bool:
    """A government working day: Monday to Friday except statutory holidays, plus make-up workdays (调休)."""
    if is_makeup_workday:
        return True
    return not is_statutory_holiday and day.isoweekday() not in REST_WEEKDAYS


def add_working_days(start: date, count: int, working: Callable[[date], bool]) -> date:
    """The day `count` working days after `start` (the day of receipt does not count; 0 is `start` itself)."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if working(day):
            left -= 1
    return day


def complaint_deadline_days(profile: PolicySnapshot) -> tuple[int | None, int | None]:
    """(triage, resolve) working days from receipt; None where the region sets no deadline."""
    return _int(profile, "complaints.triage_max_working_days"), _int(profile, "complaints.resolve_max_working_days")


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


def open_deadlines(status: str, triage_due: date | None, resolve_due: date | None) -> dict[str, date]:
    """The deadlines still running for a complaint in `status`: triage until triaged, resolve until resolved."""
    running: dict[str, date] = {}
    if status == "received" and triage_due is not None:
        running["triage"] = triage_due
    if status in COMPLAINT_OPEN_STATUSES and resolve_due is not None:
        running["resolve"] = resolve_due
    return running


def deadline_state(due: date, today: date, soon_until: date) -> DeadlineState | None:
    """Overdue after `due`; due soon when `due` falls on or before `soon_until`; else nothing to flag."""
    if due < today:
        return DeadlineState.OVERDUE
    if due <= soon_until:
        return DeadlineState.DUE_SOON
    return None


def reminders_due(running: Mapping[str, date], today: date, soon_until: date, already: frozenset[str]) -> list[str]:
    """The deadlines to remind about now: due soon or overdue, and not reminded of before (once per deadline)."""
    return [
        name
        for name, due in sorted(running.items())
        if name not in already and deadline_state(due, today, soon_until) is not None
    ]
