"""Pure training rules: no database. The numbers come from the national profile file (policy/data/national.json)
and a tightened city layer; boundaries are written out (at the limit, one over)."""

from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from shuangjian.core.rules import DayKind
from shuangjian.policy import datafiles, parameters
from shuangjian.policy.rules import Layer, LayerRef, PolicySnapshot, merge
from shuangjian.training import rules
from shuangjian.training.rules import CourseFacts, LicenceAction, Sitting

_LATEST = datafiles.read_national()[-1]
NATIONAL = merge(Layer(LayerRef(None, 1, _LATEST.effective_from), parameters.parse_values(_LATEST.values).values))
CITY = merge(
    Layer(LayerRef(None, 1, _LATEST.effective_from), parameters.parse_values(_LATEST.values).values),
    Layer(
        LayerRef("411400", 1, date(2026, 9, 1)),
        {"training.offline_latest_end": time(20, 0), "prepaid.max_class_hours.academic": 40},
    ),
    region_code="411400",
)
MONDAY = date(2026, 9, 7)


def school_days(start: date, days: int = 120) -> dict[date, DayKind]:
    """Weekdays are school days, weekends rest days (a plain term without holidays)."""
    return {
        start + timedelta(n): DayKind.WEEKEND if (start + timedelta(n)).isoweekday() > 5 else DayKind.SCHOOL_DAY
        for n in range(days)
    }


KINDS = school_days(MONDAY)


def weekly(weekday: int, start: str, end: str) -> Sitting:
    return Sitting(weekday, None, time.fromisoformat(start), time.fromisoformat(end))


def dated(day: date, start: str, end: str) -> Sitting:
    return Sitting(None, day, time.fromisoformat(start), time.fromisoformat(end))


OFFLINE_MATHS = CourseFacts(
    academic=True,
    online=False,
    subject="数学",
    grade_min=7,
    grade_max=9,
    lesson_minutes=90,
    lesson_count=12,
    class_size=20,
    price_fen_per_lesson=6000,
    charge_lessons=12,
    charge_months=3,
    start_date=MONDAY,
    end_date=MONDAY + timedelta(days=27),
    sittings=(weekly(3, "18:00", "19:30"),),
    site_area=60,
)
ONLINE_ENGLISH = replace(
    OFFLINE_MATHS,
    online=True,
    subject="英语",
    lesson_minutes=30,
    site_area=None,
    sittings=(weekly(2, "19:00", "19:30"), weekly(2, "19:40", "20:10")),
)


def codes(facts: CourseFacts, profile: PolicySnapshot = NATIONAL, base: int | None = None) -> list[str]:
    return [f.code for f in rules.course_findings(profile, facts, KINDS, base)]


def test_the_national_profile_holds_the_policy_numbers() -> None:
    # The rules below read these; if the national file changes, the boundaries move with it.
    assert NATIONAL.values["training.online_lesson_max_minutes"] == 30
    assert NATIONAL.values["training.online_break_min_minutes"] == 10
    assert NATIONAL.values["training.online_latest_end"] == time(21, 0)
    assert NATIONAL.values["training.offline_latest_end"] == time(20, 30)
    assert NATIONAL.values["training.offline_min_square_metres_per_student"] == 3
    assert NATIONAL.values["training.price_float_up_max_percent"] == 10
    assert NATIONAL.values["prepaid.max_months.academic"] == 3
    assert NATIONAL.values["prepaid.max_class_hours.academic"] == 60
    assert NATIONAL.values["prepaid.max_amount_fen.non_academic"] == 500000


def test_a_legal_offline_and_online_course_pass() -> None:
    assert codes(OFFLINE_MATHS) == []
    assert codes(ONLINE_ENGLISH) == []


# T6: online lessons, breaks, end time


@pytest.mark.parametrize(
    ("_case", "lesson", "sittings", "expected"),
    [
        ("30 minutes, at the limit", 30, (weekly(2, "19:00", "19:30"),), []),
        ("31 minutes, one over", 31, (weekly(2, "19:00", "19:31"),), ["training.lesson_too_long"] * 2),
        ("a 10-minute break, at the limit", 30, (weekly(2, "19:00", "19:30"), weekly(2, "19:40", "20:10")), []),
        (
            "a 9-minute break, one short",
            30,
            (weekly(2, "19:00", "19:30"), weekly(2, "19:39", "20:09")),
            ["training.break_too_short"],
        ),
        ("ends 21:00, at the limit", 30, (weekly(2, "20:30", "21:00"),), []),
        ("ends 21:01, one over", 30, (weekly(2, "20:31", "21:01"),), ["training.ends_too_late"]),
        (
            "overlapping sittings",
            30,
            (weekly(2, "19:00", "19:30"), weekly(2, "19:20", "19:50")),
            ["training.sittings_overlap"],
        ),
    ],
)
def test_online_limits(_case: str, lesson: int, sittings: tuple[Sitting, ...], expected: list[str]) -> None:
    assert codes(replace(ONLINE_ENGLISH, lesson_minutes=lesson, sittings=sittings)) == expected


def test_sittings_on_different_days_need_no_break() -> None:
    facts = replace(ONLINE_ENGLISH, sittings=(weekly(2, "19:00", "19:30"), weekly(4, "19:31", "20:01")))
    assert codes(facts) == []


# T7/T8: offline end time, national and tightened


@pytest.mark.parametrize(
    ("_case", "profile", "end", "expected"),
    [
        ("national 20:30, at the limit", NATIONAL, "20:30", []),
        ("national 20:30, one over", NATIONAL, "20:31", ["training.ends_too_late"]),
        ("city 20:00, at the limit", CITY, "20:00", []),
        ("city 20:00, one over", CITY, "20:01", ["training.ends_too_late"]),
    ],
)
def test_offline_latest_end(_case: str, profile: PolicySnapshot, end: str, expected: list[str]) -> None:
    start = (time.fromisoformat(end).hour - 2, time.fromisoformat(end).minute)
    sitting = weekly(3, f"{start[0]:02d}:{start[1]:02d}", end)
    assert codes(replace(OFFLINE_MATHS, sittings=(sitting,), lesson_minutes=90), profile) == expected


def test_the_latest_end_applies_to_non_academic_training_too() -> None:
    facts = replace(OFFLINE_MATHS, academic=False, subject="篮球", sittings=(weekly(6, "19:30", "21:00"),))
    assert codes(facts) == ["training.ends_too_late"]


# T5: academic training not on rest days, holidays, vacations


def test_academic_weekly_sitting_on_a_saturday_is_refused() -> None:
    facts = replace(OFFLINE_MATHS, sittings=(weekly(6, "09:00", "10:30"),))
    found = rules.course_findings(NATIONAL, facts, KINDS)
    assert [(f.code, f.params) for f in found] == [("training.rest_day_forbidden", {"date": date(2026, 9, 12)})]


def test_non_academic_training_may_run_on_saturdays() -> None:
    facts = replace(OFFLINE_MATHS, academic=False, subject="美术", sittings=(weekly(6, "09:00", "10:30"),))
    assert codes(facts) == []


@pytest.mark.parametrize(
    ("_case", "kind", "expected"),
    [
        ("school day", DayKind.SCHOOL_DAY, []),
        ("rest day", DayKind.WEEKEND, ["training.rest_day_forbidden"]),
        ("statutory holiday", DayKind.HOLIDAY, ["training.holiday_forbidden"]),
        ("vacation", DayKind.VACATION, ["training.vacation_forbidden"]),
    ],
)
def test_a_dated_academic_sitting_follows_the_kind_of_its_day(_case: str, kind: DayKind, expected: list[str]) -> None:
    day = MONDAY + timedelta(days=9)  # a Wednesday, whatever kind the calendar gives it
    facts = replace(OFFLINE_MATHS, sittings=(dated(day, "18:00", "19:30"),))
    assert [f.code for f in rules.course_findings(NATIONAL, facts, {**KINDS, day: kind})] == expected


def test_a_weekly_sitting_skips_a_weekday_holiday_but_not_a_vacation() -> None:
    # given: the second Wednesday is a statutory holiday, the fourth falls after the term
    second, fourth = MONDAY + timedelta(days=9), MONDAY + timedelta(days=23)
    holiday = {**KINDS, second: DayKind.HOLIDAY}
    # then: the holiday is skipped; the vacation is refused with its date
    assert rules.course_findings(NATIONAL, OFFLINE_MATHS, holiday) == []
    vacation = {**holiday, fourth: DayKind.VACATION}
    found = rules.course_findings(NATIONAL, OFFLINE_MATHS, vacation)
    assert [(f.code, f.params) for f in found] == [("training.vacation_forbidden", {"date": fourth})]


def test_a_makeup_saturday_is_a_school_day() -> None:
    saturday = MONDAY + timedelta(days=5)
    facts = replace(OFFLINE_MATHS, sittings=(dated(saturday, "09:00", "10:30"),))
    assert rules.course_findings(NATIONAL, facts, {**KINDS, saturday: DayKind.SCHOOL_DAY}) == []


# P1/P2: guidance price with the upward float


@pytest.mark.parametrize(
    ("_case", "online", "minutes", "price", "expected"),
    [
        # offline base 5000 fen per 45-minute standard lesson: a 90-minute lesson may cost 5000 × 1.10 × 2 = 11000
        ("offline, at the ceiling", False, 90, 11000, []),
        ("offline, one fen over", False, 90, 11001, ["training.price_above_guidance"]),
        # online base 5000 fen per 30-minute standard lesson: a 30-minute lesson may cost 5500
        ("online, at the ceiling", True, 30, 5500, []),
        ("online, one fen over", True, 30, 5501, ["training.price_above_guidance"]),
    ],
)
def test_price_against_the_guidance_price(
    _case: str, online: bool, minutes: int, price: int, expected: list[str]
) -> None:
    sittings = (weekly(3, "18:00", "18:30"),) if online else OFFLINE_MATHS.sittings
    facts = replace(OFFLINE_MATHS, online=online, lesson_minutes=minutes, price_fen_per_lesson=price, sittings=sittings)
    assert codes(facts, base=5000) == expected


def test_no_guidance_price_means_no_price_check() -> None:
    assert codes(replace(OFFLINE_MATHS, price_fen_per_lesson=99_999_00)) == []


# F4/F5: a single charge


@pytest.mark.parametrize(
    ("_case", "profile", "academic", "months", "lessons", "price", "expected"),
    [
        ("3 months, at the limit", NATIONAL, True, 3, 12, 6000, []),
        ("4 months, one over", NATIONAL, True, 4, 12, 6000, ["training.charge_months_exceeded"]),
        ("60 lessons, at the limit", NATIONAL, True, 3, 60, 6000, []),
        ("61 lessons, one over", NATIONAL, True, 3, 61, 6000, ["training.charge_lessons_exceeded"]),
        ("city: 40 lessons, at the limit", CITY, True, 3, 40, 6000, []),
        ("city: 41 lessons, one over", CITY, True, 3, 41, 6000, ["training.charge_lessons_exceeded"]),
        ("non-academic 5000 yuan, at the limit", NATIONAL, False, 3, 50, 10000, []),
        ("non-academic 5000.50 yuan, over", NATIONAL, False, 3, 50, 10001, ["training.charge_amount_exceeded"]),
    ],
)
def test_single_charge_limits(
    _case: str, profile: PolicySnapshot, academic: bool, months: int, lessons: int, price: int, expected: list[str]
) -> None:
    facts = replace(
        OFFLINE_MATHS,
        academic=academic,
        subject="数学" if academic else "钢琴",
        charge_months=months,
        charge_lessons=lessons,
        lesson_count=max(lessons, 12),
        price_fen_per_lesson=price,
    )
    assert codes(facts, profile) == expected


# T10: offline area per student


@pytest.mark.parametrize(
    ("_case", "class_size", "area", "expected"),
    [("20 students on 60 m², at the limit", 20, 60, []), ("21 students on 60 m²", 21, 60, ["training.site_too_small"])],
)
def test_offline_area_per_student(_case: str, class_size: int, area: int, expected: list[str]) -> None:
    assert codes(replace(OFFLINE_MATHS, class_size=class_size, site_area=area)) == expected


def test_an_offline_course_needs_a_site() -> None:
    assert codes(replace(OFFLINE_MATHS, site_area=None)) == ["training.site_required"]


# T1, T4 and malformed input


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("academic institution, non-academic subject", {"subject": "篮球"}, "training.subject_not_academic"),
        ("non-academic institution, academic subject", {"academic": False}, "training.academic_subject_forbidden"),
        ("grades reversed", {"grade_min": 9, "grade_max": 7}, "training.bad_grades"),
        ("academic for preschoolers", {"grade_min": -1}, "training.preschool_forbidden"),
        ("one charge beyond the course", {"charge_lessons": 13}, "training.bad_numbers"),
        ("ends before it starts", {"end_date": MONDAY - timedelta(days=1)}, "training.bad_dates"),
        ("no timetable", {"sittings": ()}, "training.no_timetable"),
        ("a sitting shorter than a lesson", {"sittings": (weekly(3, "18:00", "19:00"),)}, "training.sitting_too_short"),
        ("a weekday of 8", {"sittings": (weekly(8, "18:00", "19:30"),)}, "training.bad_sitting"),
        (
            "a date outside the course",
            {"sittings": (dated(MONDAY - timedelta(1), "18:00", "19:30"),)},
            "training.bad_sitting",
        ),
    ],
)
def test_malformed_courses_stop_at_their_first_finding(_case: str, changes: dict[str, object], expected: str) -> None:
    assert codes(replace(OFFLINE_MATHS, **changes)) == [expected]  # type: ignore[arg-type]


def test_non_academic_online_training_for_preschoolers_is_refused() -> None:
    facts = replace(ONLINE_ENGLISH, academic=False, subject="美术", grade_min=-1)
    assert codes(facts) == ["training.preschool_forbidden"]


# The licence lifecycle


@pytest.mark.parametrize(
    ("_case", "current", "action", "expected"),
    [
        ("approve an application", "applied", LicenceAction.APPROVE, "approved"),
        ("suspend an approved licence", "approved", LicenceAction.SUSPEND, "suspended"),
        ("reinstate a suspended licence", "suspended", LicenceAction.REINSTATE, "approved"),
        ("cancel an application", "applied", LicenceAction.CANCEL, "cancelled"),
        ("cancel an approved licence", "approved", LicenceAction.CANCEL, "cancelled"),
        ("cancel a suspended licence", "suspended", LicenceAction.CANCEL, "cancelled"),
    ],
)
def test_allowed_licence_transitions(_case: str, current: str, action: LicenceAction, expected: str) -> None:
    assert rules.licence_next_status(current, action) == expected


@pytest.mark.parametrize(
    ("current", "action"),
    [
        ("approved", LicenceAction.APPROVE),
        ("suspended", LicenceAction.APPROVE),
        ("applied", LicenceAction.SUSPEND),
        ("suspended", LicenceAction.SUSPEND),
        ("applied", LicenceAction.REINSTATE),
        ("approved", LicenceAction.REINSTATE),
        *(("cancelled", action) for action in LicenceAction),
    ],
)
def test_refused_licence_transitions(current: str, action: LicenceAction) -> None:
    assert rules.licence_next_status(current, action) == rules.Finding(
        "training.transition_not_allowed", {"action": action.value, "status": current}
    )


@pytest.mark.parametrize(
    ("_case", "kind", "status", "active", "expected"),
    [
        ("academic, no academic course", "academic", "approved", 0, None),
        ("already non-academic", "non_academic", "approved", 0, "training.not_academic"),
        ("cancelled", "academic", "cancelled", 0, "training.transition_not_allowed"),
        ("academic courses still running", "academic", "approved", 2, "training.academic_courses_active"),
    ],
)
def test_conversion(_case: str, kind: str, status: str, active: int, expected: str | None) -> None:
    refusal = rules.conversion_refusal(kind, status, active)
    assert (refusal.code if refusal else None) == expected


def test_academic_teaching_staff_need_a_qualification() -> None:
    assert rules.staff_refusal(True, True, "") == rules.Finding("training.qualification_required", {})
    assert rules.staff_refusal(True, True, "20214114200001") is None
    assert rules.staff_refusal(True, False, "") is None  # administrative staff
    assert rules.staff_refusal(False, True, "") is None  # non-academic coaches
