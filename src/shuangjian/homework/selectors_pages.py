"""Reads the homework web pages need beyond homework.selectors and selectors_monitoring.

Every function starts from core.access (directly or through core.selectors / homework.selectors), so a page
never shows more than the actor's scope. Region series check `access.covers_region`, as region_compliance does.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum

from shuangjian.core import access, calendar
from shuangjian.core.errors import NotFound
from shuangjian.core.models import (
    Region,
    Role,
    School,
    SchoolClass,
    Student,
    StudentStatus,
    TeachingAssignment,
)
from shuangjian.core.selectors import class_get, class_list, school_get, student_list
from shuangjian.core.subjects import Subject
from shuangjian.homework import rules
from shuangjian.homework import selectors as homework_selectors
from shuangjian.homework import selectors_monitoring as monitoring
from shuangjian.homework.models import (
    ClassDayRollup,
    HomeworkFeedback,
    HomeworkGroup,
    HomeworkItem,
    ItemStatus,
    RegionDayRollup,
)
from shuangjian.policy import parameters
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.selectors import effective_profile

TEACHING_ROLES = (Role.TEACHER, Role.HEAD_TEACHER)  # the roles homework.assign is registered for
FAMILY_ROLES = (Role.GUARDIAN, Role.STUDENT)  # the roles homework.feedback is registered for
# How far back "我布置的作业" reaches when past items are shown (a page length, not a policy number).
MY_ITEMS_PAST_DAYS = 60
MY_ITEMS_LIMIT = 300

_SUBJECT_ORDER = {subject.value: index for index, subject in enumerate(Subject)}


def _subject_key(subject: str) -> tuple[int, str]:
    return (_SUBJECT_ORDER.get(subject, len(_SUBJECT_ORDER)), subject)


# ---- teachers ----


@dataclass(frozen=True, slots=True)
class TeachingRow:
    """One of the actor's teaching assignments (任课): a class and a subject they may assign homework in."""

    class_id: int
    class_name: str
    school_name: str
    grade: int
    subject: str


def teaching_list(*, actor: Any) -> list[TeachingRow]:
    """The actor's own teaching assignments, in the schools where they hold a teaching role."""
    rows = (
        TeachingAssignment.objects.filter(access.visible(actor, TeachingAssignment, TEACHING_ROLES))
        .filter(staff__user_id=actor.pk)
        .select_related("school_class", "school")
        .order_by("school_id", "school_class__grade", "school_class__number")
    )
    result = [
        TeachingRow(r.school_class_id, r.school_class.name, r.school.name, r.school_class.grade, r.subject)
        for r in rows
    ]
    return sorted(result, key=lambda r: (r.school_name, r.grade, r.class_name, _subject_key(r.subject)))


@dataclass(frozen=True, slots=True)
class GroupRow:
    group_id: int
    class_id: int
    name: str  # "4年级1班 · 提高组": the class's name first, since one list holds the groups of all the classes


def group_list(*, actor: Any, class_ids: list[int]) -> list[GroupRow]:
    """The homework groups (分层分组) of the given classes that the actor can see."""
    groups = (
        HomeworkGroup.objects.filter(access.visible(actor, HomeworkGroup))
        .filter(school_class_id__in=class_ids)
        .select_related("school_class")
        .order_by("school_class__grade", "school_class__number", "name")
    )
    return [GroupRow(g.pk, g.school_class_id, f"{g.school_class.name} · {g.name}") for g in groups]


def my_item_list(*, actor: Any, today: date, include_past: bool = False) -> QuerySet[HomeworkItem]:
    """Items the actor assigned: published ones still to come, or (include_past) everything of recent weeks."""
    qs = homework_selectors.item_list(actor=actor).filter(assigned_by_id=actor.pk)
    if include_past:
        qs = qs.filter(due_date__gte=today - timedelta(days=MY_ITEMS_PAST_DAYS))
    else:
        qs = qs.filter(status=ItemStatus.PUBLISHED, due_date__gte=today)
    return qs.select_related("school_class", "group").order_by("due_date", "school_class_id", "subject", "pk")[
        :MY_ITEMS_LIMIT
    ]


@dataclass(frozen=True, slots=True)
class LoadPreview:
    """A class's load on one day by subject against the cap, and its week, so a teacher can pick a day with room."""

    board: homework_selectors.DayBoard
    week: list[homework_selectors.DayBoard]


def load_preview(*, actor: Any, class_id: int, day: date) -> LoadPreview:
    week = homework_selectors.week_board(actor=actor, class_id=class_id, any_day=day)
    board = next(b for b in week if b.day == day)
    return LoadPreview(board, week)


@dataclass(frozen=True, slots=True)
class AssignPage:
    teaching: list[TeachingRow]
    groups: list[GroupRow]
    preview: LoadPreview | None  # for the chosen class (or the first one taught) and day

    @property
    def groups_by_class(self) -> dict[int, list[int]]:
        grouped: dict[int, list[int]] = {}
        for group in self.groups:
            grouped.setdefault(group.class_id, []).append(group.group_id)
        return grouped

    @property
    def subjects_by_class(self) -> dict[int, list[str]]:
        taught: dict[int, list[str]] = {}
        for row in self.teaching:
            taught.setdefault(row.class_id, []).append(row.subject)
        return taught


def assign_page(*, actor: Any, class_id: int | None, day: date) -> AssignPage:
    """The teacher's classes and subjects, the groups of those classes, and the chosen class's load on `day`."""
    teaching = teaching_list(actor=actor)
    class_ids = list(dict.fromkeys(row.class_id for row in teaching))
    chosen = class_id if class_id in class_ids else (class_ids[0] if class_ids else None)
    preview = None if chosen is None else load_preview(actor=actor, class_id=chosen, day=day)
    return AssignPage(teaching, group_list(actor=actor, class_ids=class_ids), preview)


# ---- guardians and students ----


@dataclass(frozen=True, slots=True)
class ChildDay:
    """One child's homework board for a day, with what the family has reported and the policy bedtime."""

    student: Student
    board: homework_selectors.DayBoard
    feedback: HomeworkFeedback | None
    bedtime: time | None


def children_list(*, actor: Any) -> QuerySet[Student]:
    """The enrolled children the actor reaches as a guardian, or themself as a student."""
    return (
        Student.objects.filter(access.visible(actor, Student, FAMILY_ROLES))
        .filter(status=StudentStatus.ENROLLED)
        .select_related("school", "school__county", "school_class")
        .order_by("birth_date", "pk")
    )


def family_day(*, actor: Any, day: date) -> list[ChildDay]:
    """Each of the actor's children's board for `day`, with the family's latest report for that day."""
    children = list(children_list(actor=actor))
    reports = {
        fb.student_id: fb
        for fb in HomeworkFeedback.objects.filter(access.visible(actor, HomeworkFeedback, FAMILY_ROLES)).filter(
            student_id__in=[c.pk for c in children], date=day
        )
    }
    result = []
    for child in children:
        stage = parameters.stage_of_grade(child.school_class.grade)
        profile = effective_profile(child.school.county, day)
        result.append(
            ChildDay(
                student=child,
                board=homework_selectors.day_board(actor=actor, class_id=child.school_class_id, day=day),
                feedback=reports.get(child.pk),
                bedtime=policy_rules.bedtime(profile, stage) if stage is not None else None,
            )
        )
    return result


# ---- head teachers: a class's feedback in one form ----


@dataclass(frozen=True, slots=True)
class SheetRow:
    student: Student
    feedback: HomeworkFeedback | None


@dataclass(frozen=True, slots=True)
class FeedbackSheet:
    school_class: SchoolClass
    day: date
    board: homework_selectors.DayBoard
    rows: list[SheetRow]


def feedback_sheet(*, actor: Any, class_id: int, day: date) -> FeedbackSheet:
    """One row per enrolled student of a visible class, with the report already recorded for `day`."""
    school_class = class_get(actor=actor, class_id=class_id)
    students = list(student_list(actor=actor, school_class=school_class).filter(status=StudentStatus.ENROLLED))
    reports = {
        fb.student_id: fb
        for fb in HomeworkFeedback.objects.filter(access.visible(actor, HomeworkFeedback)).filter(
            school_class=school_class, date=day
        )
    }
    return FeedbackSheet(
        school_class=school_class,
        day=day,
        board=homework_selectors.day_board(actor=actor, class_id=school_class.pk, day=day),
        rows=[SheetRow(s, reports.get(s.pk)) for s in students],
    )


# ---- grade coordinators ----


@dataclass(frozen=True, slots=True)
class GradeDay:
    school: School
    grade: int
    boards: list[homework_selectors.DayBoard]


def grade_day_list(*, actor: Any, day: date) -> list[GradeDay]:
    """For each of the actor's grade-coordinator assignments, every class of that grade with its load on `day`."""
    result = []
    for assignment in sorted(access.assignments(actor), key=lambda a: a.pk):
        if assignment.role != Role.GRADE_COORDINATOR or assignment.school is None or assignment.grade is None:
            continue
        classes = class_list(actor=actor, school=assignment.school).filter(grade=assignment.grade)
        boards = [homework_selectors.day_board(actor=actor, class_id=c.pk, day=day) for c in classes]
        result.append(GradeDay(assignment.school, assignment.grade, boards))
    return result


@dataclass(frozen=True, slots=True)
class RebalanceSheet:
    board: homework_selectors.DayBoard
    movable: list[homework_selectors.BoardEntry]  # one-day items of that day: their minutes can be re-divided
    fixed: list[homework_selectors.BoardEntry]  # parts of multi-day items: change them with their teacher


def rebalance_sheet(*, actor: Any, class_id: int, day: date) -> RebalanceSheet:
    board = homework_selectors.day_board(actor=actor, class_id=class_id, day=day)
    movable = [e for e in board.entries if e.item.start_date == day and e.item.due_date == day]
    fixed = [e for e in board.entries if e not in movable]
    return RebalanceSheet(board, movable, fixed)


# ---- the hub page ----


@dataclass(frozen=True, slots=True)
class ClassLink:
    class_id: int
    name: str


@dataclass(frozen=True, slots=True)
class SchoolLinks:
    code: str
    name: str
    classes: list[ClassLink]


@dataclass(frozen=True, slots=True)
class RegionLink:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Hub:
    """What homework pages the actor has, role by role."""

    teaching: list[TeachingRow] = field(default_factory=list)
    head_classes: list[ClassLink] = field(default_factory=list)
    coordinator: bool = False
    leader_schools: list[SchoolLinks] = field(default_factory=list)
    family: bool = False
    regions: list[RegionLink] = field(default_factory=list)

    @property
    def teaching_classes(self) -> list[ClassLink]:
        """The classes the actor teaches, each once."""
        seen: dict[int, ClassLink] = {}
        for row in self.teaching:
            seen.setdefault(row.class_id, ClassLink(row.class_id, row.class_name))
        return list(seen.values())

    @property
    def empty(self) -> bool:
        return not (
            self.teaching or self.head_classes or self.coordinator or self.leader_schools or self.family or self.regions
        )


def hub(*, actor: Any) -> Hub:
    own = sorted(access.assignments(actor), key=lambda a: a.pk)
    head_classes = [
        ClassLink(a.school_class.pk, a.school_class.name)
        for a in own
        if a.role == Role.HEAD_TEACHER and a.school_class is not None
    ]
    leader_schools = []
    for a in own:
        if a.role == Role.SCHOOL_LEADER and a.school is not None:
            classes = class_list(actor=actor, school=a.school)
            leader_schools.append(SchoolLinks(a.school.code, a.school.name, [ClassLink(c.pk, c.name) for c in classes]))
    regions = [
        RegionLink(a.region.code, a.region.name)
        for a in own
        if a.role in (Role.BUREAU, Role.INSPECTOR) and a.region is not None
    ]
    return Hub(
        teaching=teaching_list(actor=actor),
        head_classes=head_classes,
        coordinator=any(a.role == Role.GRADE_COORDINATOR for a in own),
        leader_schools=leader_schools,
        family=any(a.role in FAMILY_ROLES for a in own),
        regions=regions,
    )


# ---- monitoring: daily series for the charts ----


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One day of a scope. Reported figures are None where fewer reports than the minimum cell size arrived."""

    day: date
    feedback_count: int
    within_cap_share: float | None
    unfinished_share: float | None
    median_minutes: int | None
    p90_minutes: int | None
    average_estimated_minutes: float | None
    cap_minutes: int | None = None  # class series only (a school or region mixes grades with different caps)


def _min_cell(region: Region, on: date) -> int:
    return policy_rules.min_cell_size(effective_profile(region, on))


def _point(day: date, tally: rules.Tally, min_cell: int, cap: int | None = None) -> DayPoint:
    n = tally.feedback_count
    shown = n >= min_cell and n > 0
    return DayPoint(
        day=day,
        feedback_count=n,
        within_cap_share=policy_rules.share(tally.within_cap_count, n, min_cell),
        unfinished_share=policy_rules.share(tally.unfinished_count, n, min_cell),
        median_minutes=rules.histogram_percentile(tally.histogram, 0.5) if shown else None,
        p90_minutes=rules.histogram_percentile(tally.histogram, 0.9) if shown else None,
        average_estimated_minutes=tally.estimated_minutes_sum / tally.class_count if tally.class_count else None,
        cap_minutes=cap,
    )


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _class_day_series(
    rollups: QuerySet[ClassDayRollup],
    feedback: QuerySet[HomeworkFeedback],
    period: tuple[date, date],
    min_cell: int,
    *,
    with_caps: bool,
) -> list[DayPoint]:
    tallies: dict[date, rules.Tally] = defaultdict(rules.Tally)
    caps: dict[date, int | None] = {}
    for row in rollups.values("date").annotate(
        n_classes=Count("pk"),
        estimated=Sum("estimated_minutes"),
        feedback=Sum("feedback_count"),
        within=Sum("within_cap_count"),
        unfinished=Sum("unfinished_count"),
        reported=Sum("reported_minutes_sum"),
    ):
        tally = tallies[row["date"]]
        tally.class_count = row["n_classes"]
        tally.estimated_minutes_sum = row["estimated"] or 0
        tally.feedback_count = row["feedback"] or 0
        tally.within_cap_count = row["within"] or 0
        tally.unfinished_count = row["unfinished"] or 0
        tally.reported_minutes_sum = row["reported"] or 0
    if with_caps:
        caps.update(rollups.values_list("date", "cap_minutes").order_by())
    for day, minutes, n in feedback.values_list("date", "reported_minutes").annotate(n=Count("pk")).order_by():
        tallies[day].histogram[rules.bucket_of(minutes)] += n
    return [_point(day, tallies.get(day, rules.Tally()), min_cell, caps.get(day)) for day in _days(*period)]


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date


def _term_period(school: School, today: date) -> Period | None:
    term = calendar.term_for(school, today)
    return None if term is None else Period(term.start_date, term.end_date)


def _repeat_days(region: Region, on: date, wanted: int | None) -> tuple[int, int | None]:
    """(the threshold used, the local policy's threshold or None). Without either, any day over counts."""
    local = policy_rules.repeatedly_over_min_days(effective_profile(region, on))
    if wanted is not None:
        return wanted, local
    return (local if local is not None else 1), local


@dataclass(frozen=True, slots=True)
class ClassMonitoring:
    school_class: SchoolClass
    compliance: monitoring.Compliance
    support_list: list[monitoring.RepeatedlyOver]
    min_days: int
    policy_min_days: int | None
    series: list[DayPoint]
    term: Period | None


def class_monitoring(
    *, actor: Any, class_id: int, start: date, end: date, today: date, min_days: int | None = None
) -> ClassMonitoring:
    """A class's compliance and the head teacher's support list. The support list is not public, so the whole
    page is for the school's staff: anyone else (guardians, students, the bureau) gets NotFound."""
    school_class = class_get(actor=actor, class_id=class_id)
    threshold, local = _repeat_days(school_class.school.county, end, min_days)
    support = monitoring.students_repeatedly_over(
        actor=actor, class_id=class_id, start=start, end=end, min_days=threshold
    )
    compliance = monitoring.class_compliance(actor=actor, class_id=class_id, start=start, end=end)
    series = _class_day_series(
        ClassDayRollup.objects.filter(school_class=school_class, date__range=(start, end)),
        HomeworkFeedback.objects.filter(school_class=school_class, date__range=(start, end)),
        (start, end),
        _min_cell(school_class.school.county, end),
        with_caps=True,
    )
    return ClassMonitoring(
        school_class, compliance, support, threshold, local, series, _term_period(school_class.school, today)
    )


@dataclass(frozen=True, slots=True)
class SchoolMonitoring:
    school: School
    compliance: monitoring.Compliance
    classes_over: list[monitoring.RepeatedlyOver]
    min_days: int
    policy_min_days: int | None
    series: list[DayPoint]
    term: Period | None


def school_monitoring(
    *, actor: Any, school_code: str, start: date, end: date, today: date, min_days: int | None = None
) -> SchoolMonitoring:
    school = school_get(actor=actor, code=school_code)
    threshold, local = _repeat_days(school.county, end, min_days)
    compliance = monitoring.school_compliance(actor=actor, school_code=school_code, start=start, end=end)
    classes_over = monitoring.classes_repeatedly_over(
        actor=actor, school_code=school_code, start=start, end=end, min_days=threshold
    )
    series = _class_day_series(
        ClassDayRollup.objects.filter(school=school, date__range=(start, end)),
        HomeworkFeedback.objects.filter(school=school, date__range=(start, end)),
        (start, end),
        _min_cell(school.county, end),
        with_caps=False,
    )
    return SchoolMonitoring(school, compliance, classes_over, threshold, local, series, _term_period(school, today))


@dataclass(frozen=True, slots=True)
class RegionRow:
    region: Region
    compliance: monitoring.Compliance


@dataclass(frozen=True, slots=True)
class RegionMonitoring:
    region: Region
    compliance: monitoring.Compliance
    children: list[RegionRow]
    series: list[DayPoint]


def _region_series(region: Region, start: date, end: date) -> list[DayPoint]:
    tallies: dict[date, rules.Tally] = defaultdict(rules.Tally)
    rows = RegionDayRollup.objects.filter(region=region, date__range=(start, end)).only(
        "date", "histogram", *rules.COUNTERS
    )
    for row in rows:
        row_tally = rules.Tally(histogram=list(row.histogram))
        for name in rules.COUNTERS:
            setattr(row_tally, name, getattr(row, name))
        tallies[row.date].add(row_tally)
    min_cell = _min_cell(region, end)
    return [_point(day, tallies.get(day, rules.Tally()), min_cell) for day in _days(start, end)]


def region_monitoring(*, actor: Any, region_code: str, start: date, end: date) -> RegionMonitoring:
    """A bureau's region: its compliance, one row per child region (the counties of a city), a daily series."""
    region = Region.objects.select_related("parent__parent").filter(code=region_code).first()
    if region is None or not access.covers_region(actor, region):
        raise NotFound("region")
    compliance = monitoring.region_compliance(actor=actor, region_code=region.code, start=start, end=end)
    children = [
        RegionRow(child, monitoring.region_compliance(actor=actor, region_code=child.code, start=start, end=end))
        for child in Region.objects.filter(parent=region).order_by("code")
    ]
    return RegionMonitoring(region, compliance, children, _region_series(region, start, end))
