"""Monitoring reads (issue 5 item 4): estimated load against the cap, reported time, the share of students within
the cap, classes and students repeatedly over. Class and school views are live; region views read RegionDayRollup."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, Role, School, SchoolClass
from shuangjian.homework import rules
from shuangjian.homework.models import OVER_CAP, ClassDayRollup, HomeworkFeedback, RegionDayRollup
from shuangjian.homework.rules import COUNTERS, Tally
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.selectors import effective_profile, effective_profile_for_school


@dataclass(frozen=True, slots=True)
class Compliance:
    """One scope over one period. Shares are None where the cell is below the minimum cell size."""

    start: date
    end: date
    feedback_count: int
    within_cap_share: float | None
    unfinished_share: float | None
    average_reported_minutes: float | None
    median_minutes: int | None
    p90_minutes: int | None
    class_days: int
    class_days_over_cap: int
    average_estimated_minutes: float | None


# Monitoring is for the school's staff and the bureau (issue 5 item 7), not for families: a guardian sees their
# child's board, not the school's compliance figures or which classes are repeatedly over.
MONITORING_ROLES = (
    Role.BUREAU,
    Role.INSPECTOR,
    Role.SCHOOL_LEADER,
    Role.GRADE_COORDINATOR,
    Role.HEAD_TEACHER,
    Role.TEACHER,
)


def _min_cell(school: School, on: date) -> int:
    return policy_rules.min_cell_size(effective_profile_for_school(school, on))


def _school(actor: Any, code: str) -> School:
    school = School.objects.filter(access.visible(actor, School, roles=MONITORING_ROLES), code=code).first()
    if school is None:
        raise NotFound("school")
    return school


def _class(actor: Any, class_id: int, roles: tuple[Role, ...]) -> SchoolClass:
    school_class = (
        SchoolClass.objects.filter(access.visible(actor, SchoolClass, roles=roles), pk=class_id)
        .select_related("school")
        .first()
    )
    if school_class is None:
        raise NotFound("class")
    return school_class


def _threshold(school: School, on: date, requested: int | None) -> int:
    configured = policy_rules.repeatedly_over_min_days(effective_profile_for_school(school, on))
    return rules.repeat_threshold(requested, configured)


def _summary(start: date, end: date, tally: Tally, min_cell: int) -> Compliance:
    n = tally.feedback_count
    shown = n >= min_cell and n > 0
    return Compliance(
        start=start,
        end=end,
        feedback_count=n,
        within_cap_share=policy_rules.share(tally.within_cap_count, n, min_cell),
        unfinished_share=policy_rules.share(tally.unfinished_count, n, min_cell),
        average_reported_minutes=tally.reported_minutes_sum / n if shown else None,
        median_minutes=rules.histogram_percentile(tally.histogram, 0.5) if shown else None,
        p90_minutes=rules.histogram_percentile(tally.histogram, 0.9) if shown else None,
        class_days=tally.class_count,
        class_days_over_cap=tally.classes_over_cap,
        average_estimated_minutes=tally.estimated_minutes_sum / tally.class_count if tally.class_count else None,
    )


def region_compliance(*, actor: Any, region_code: str, start: date, end: date, grade: int | None = None) -> Compliance:
    region = Region.objects.select_related("parent__parent").filter(code=region_code).first()
    if region is None or not access.covers_region(actor, region):
        raise NotFound("region")
    rows = RegionDayRollup.objects.filter(region=region, date__range=(start, end))
    if grade is not None:
        rows = rows.filter(grade=grade)
    total = Tally()
    for row in rows.only(*COUNTERS, "histogram"):
        row_tally = Tally(histogram=list(row.histogram))
        for name in COUNTERS:
            setattr(row_tally, name, getattr(row, name))
        total.add(row_tally)
    return _summary(start, end, total, policy_rules.min_cell_size(effective_profile(region, end)))


def _tally(rollups: QuerySet[ClassDayRollup], feedback: QuerySet[HomeworkFeedback]) -> Tally:
    agg = rollups.aggregate(
        class_count=Count("pk"),
        classes_over_cap=Count("pk", filter=OVER_CAP),
        estimated_minutes_sum=Sum("estimated_minutes"),
        feedback_count=Sum("feedback_count"),
        within_cap_count=Sum("within_cap_count"),
        unfinished_count=Sum("unfinished_count"),
        reported_minutes_sum=Sum("reported_minutes_sum"),
    )
    tally = Tally()
    for name in COUNTERS:
        setattr(tally, name, int(agg[name] or 0))
    for minutes, n in feedback.values_list("reported_minutes").annotate(n=Count("pk")).order_by():
        tally.histogram[rules.bucket_of(minutes)] += n
    return tally


def school_compliance(*, actor: Any, school_code: str, start: date, end: date, grade: int | None = None) -> Compliance:
    school = _school(actor, school_code)
    rollups = ClassDayRollup.objects.filter(school=school, date__range=(start, end))
    feedback = HomeworkFeedback.objects.filter(school=school, date__range=(start, end))
    if grade is not None:
        rollups = rollups.filter(grade=grade)
        feedback = feedback.filter(school_class__grade=grade)
    return _summary(start, end, _tally(rollups, feedback), _min_cell(school, end))


def class_compliance(*, actor: Any, class_id: int, start: date, end: date) -> Compliance:
    school_class = _class(actor, class_id, MONITORING_ROLES)
    rollups = ClassDayRollup.objects.filter(school_class=school_class, date__range=(start, end))
    feedback = HomeworkFeedback.objects.filter(school_class=school_class, date__range=(start, end))
    return _summary(start, end, _tally(rollups, feedback), _min_cell(school_class.school, end))


SUPPORT_LIST_ROLES = (
    Role.HEAD_TEACHER,
    Role.SCHOOL_LEADER,
    Role.GRADE_COORDINATOR,
    Role.TEACHER,
)


@dataclass(frozen=True, slots=True)
class RepeatedlyOver:
    key: int
    label: str
    days_over: int


def classes_repeatedly_over(
    *, actor: Any, school_code: str, start: date, end: date, min_days: int | None = None
) -> list[RepeatedlyOver]:
    """Classes whose average reported time exceeded the cap on at least `min_days` days (default: the policy's
    homework.repeatedly_over_min_days)."""
    school = _school(actor, school_code)
    threshold = _threshold(school, end, min_days)
    rows = (
        ClassDayRollup.objects.filter(OVER_CAP, school=school, date__range=(start, end))
        .values("school_class_id", "school_class__name")
        .annotate(days=Count("pk"))
        .filter(days__gte=threshold)
        .order_by("-days", "school_class__name")
    )
    return [RepeatedlyOver(r["school_class_id"], r["school_class__name"], r["days"]) for r in rows]


def students_repeatedly_over(
    *, actor: Any, class_id: int, start: date, end: date, min_days: int | None = None
) -> list[RepeatedlyOver]:
    """The head teacher's support list: students whose reported time exceeded the cap on `min_days` days or more
    (default: the policy's). Not a public list: only staff of the class's school (and the head teacher) reach it."""
    school_class = _class(actor, class_id, SUPPORT_LIST_ROLES)
    threshold = _threshold(school_class.school, end, min_days)
    caps = dict(
        ClassDayRollup.objects.filter(school_class=school_class, date__range=(start, end)).values_list(
            "date", "cap_minutes"
        )
    )
    over: Counter[int] = Counter()
    names: dict[int, str] = {}
    for student_id, name, day, minutes in HomeworkFeedback.objects.filter(
        school_class=school_class, date__range=(start, end)
    ).values_list("student_id", "student__name", "date", "reported_minutes"):
        cap = caps.get(day)
        if cap is not None and minutes > cap:
            over[student_id] += 1
            names[student_id] = name
    return sorted(
        (RepeatedlyOver(sid, names[sid], n) for sid, n in over.items() if n >= threshold),
        key=lambda r: (-r.days_over, r.label),
    )
