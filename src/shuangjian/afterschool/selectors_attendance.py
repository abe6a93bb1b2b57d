"""Reads for the service's daily operation: a block's roster on a service date with its marks and the absences
guardians reported, a child's absences and attendance, and a school's late pick-ups.

A roster is the class for a homework-guidance or care block (the class's students enrolled in the service), or an
offering's seat holders for an activities block. It is read and taken by the class's head teacher and teachers
(任课), or, for an offering, by any teacher of the school (the course's staff is recorded only as a name, so no
narrower rule can be checked yet), and by the school's leaders. A child's own records are read by the school's
staff and the child's family; the bureau sees aggregates elsewhere, never a child's marks.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.models import (
    AbsenceReport,
    Assignment,
    AssignmentStatus,
    AttendanceRecord,
    AttendanceStatus,
    BlockKind,
    Enrolment,
    EnrolmentStatus,
    LeaveAlonePermission,
    Offering,
    PlanBlock,
    PlanDate,
    ServicePlan,
    SignOut,
)
from shuangjian.core import access, calendar
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import GuardianLink, Role, School, SchoolClass, Student, StudentStatus, TeachingAssignment
from shuangjian.core.rules import DayKind

TAKE = access.register_action("afterschool.attendance_take", [Role.SCHOOL_LEADER, Role.HEAD_TEACHER, Role.TEACHER])
LATE_PICKUPS_READ = access.register_action("afterschool.late_pickups_read", [Role.SCHOOL_LEADER, Role.TEACHER])
STAFF_ROLES = (Role.SCHOOL_LEADER, Role.TEACHER, Role.HEAD_TEACHER, Role.GRADE_COORDINATOR, Role.COUNSELLOR)
CHILD_READERS = (*STAFF_ROLES, Role.GUARDIAN, Role.STUDENT)
CLASS_BLOCKS = frozenset({BlockKind.HOMEWORK_GUIDANCE, BlockKind.CARE})
MAX_HISTORY_DAYS = 120


def _day_kind_label(kind: DayKind) -> str:
    labels = {
        DayKind.SCHOOL_DAY: _("上课日"),
        DayKind.WEEKEND: _("周末"),
        DayKind.HOLIDAY: _("法定节假日"),
        DayKind.VACATION: _("假期"),
    }
    return labels[kind]


# Service dates and blocks


def _plans() -> QuerySet[ServicePlan]:
    return ServicePlan.objects.select_related("school", "term").prefetch_related("blocks", "dates")


def plan_on(school_id: int, day: date) -> ServicePlan:
    """The school's plan whose term contains `day`; refused when there is none (vacation, outside every term)."""
    plan = _plans().filter(school_id=school_id, term__start_date__lte=day, term__end_date__gte=day).first()
    if plan is None:
        raise afterschool_error(AfterschoolError.NO_PLAN_ON_DAY, date=day)
    return plan


@dataclass(frozen=True, slots=True)
class DayChange:
    follows_weekday: int | None  # None: no service that day
    reason: str


def service_day(plan: ServicePlan, day: date, changes: Mapping[date, DayChange] | None = None) -> rules.ServiceDay:
    """`day` as a service day of the plan; refused outside its term, on a holiday or weekend, on a weekday the
    plan leaves out, and on a date the school cancelled (a PlanDate without a timetable). `changes`: the plan's
    dated changes when the caller has them (else they are read from the plan)."""
    term = plan.term
    if not term.start_date <= day <= term.end_date:
        raise afterschool_error(AfterschoolError.OUTSIDE_TERM, date=day, start=term.start_date, end=term.end_date)
    if changes is None:
        changes = {d.date: DayChange(d.follows_weekday, d.reason) for d in plan.dates.all()}
    kinds = calendar.day_kinds(plan.school, day, day)
    found = rules.service_days(kinds, frozenset(plan.weekdays), {d: c.follows_weekday for d, c in changes.items()})
    if found:
        return found[0]
    change = changes.get(day)
    if change is not None and change.follows_weekday is None and kinds[day] is DayKind.SCHOOL_DAY:
        raise afterschool_error(AfterschoolError.SERVICE_CANCELLED, date=day, reason=change.reason)
    raise afterschool_error(AfterschoolError.NO_SERVICE, date=day, day_kind_label=_day_kind_label(kinds[day]))


def class_block_on(school_id: int, day: date, number: int) -> tuple[ServicePlan, PlanBlock]:
    """The school's plan running on `day` and its block `number`, checked: a service day, and a homework-guidance
    or care block (a class's roster). One query for the plan, the block and the day's dated change."""
    change = PlanDate.objects.filter(plan=OuterRef("plan"), date=day)
    block = (
        PlanBlock.objects.filter(
            plan__school_id=school_id, plan__term__start_date__lte=day, plan__term__end_date__gte=day, number=number
        )
        .select_related("plan__school", "plan__term")
        .annotate(
            day_changed=Exists(change),
            day_follows=Subquery(change.values("follows_weekday")[:1]),
            day_reason=Subquery(change.values("reason")[:1]),
        )
        .first()
    )
    if block is None:  # say why: no plan that day, no service, or no such block
        plan = plan_on(school_id, day)
        service_day(plan, day)
        raise afterschool_error(AfterschoolError.NO_SUCH_BLOCK, block=number)
    plan = block.plan
    changed = getattr(block, "day_changed", False)
    changes = {day: DayChange(getattr(block, "day_follows", None), getattr(block, "day_reason", ""))} if changed else {}
    service_day(plan, day, changes)
    if block.kind not in CLASS_BLOCKS:
        raise afterschool_error(AfterschoolError.BLOCK_IS_ACTIVITIES, block=number)
    return plan, block


def plan_block(plan: ServicePlan, number: int) -> PlanBlock:
    block = next((b for b in plan.blocks.all() if b.number == number), None)
    if block is None:
        raise afterschool_error(AfterschoolError.NO_SUCH_BLOCK, block=number)
    return block


# Who takes a roster


def _takes_class(actor: Any, school_class: SchoolClass) -> bool:
    for assignment in access.assignments(actor):
        if assignment.role == Role.SCHOOL_LEADER and assignment.school_id == school_class.school_id:
            return True
        if assignment.role == Role.HEAD_TEACHER and assignment.school_class_id == school_class.pk:
            return True
    teacher = any(a.role == Role.TEACHER and a.school_id == school_class.school_id for a in access.assignments(actor))
    return teacher and TeachingAssignment.objects.filter(staff__user=actor, school_class=school_class).exists()


def class_for_attendance(*, actor: Any, class_id: int) -> SchoolClass:
    """A class the actor may take attendance for: NotFound outside their scope, AccessDenied inside it when they
    neither lead the school nor teach or head the class."""
    school_class = (
        SchoolClass.objects.filter(access.visible(actor, SchoolClass), pk=class_id).select_related("school").first()
    )
    if school_class is None:
        raise NotFound("class")
    if not _takes_class(actor, school_class):
        raise AccessDenied(TAKE)
    return school_class


def offering_for_attendance(*, actor: Any, offering_id: int) -> Offering:
    reach = Q(school__in=School.objects.filter(access.visible(actor, School)).values("pk"))
    offering = Offering.objects.filter(reach, pk=offering_id).select_related("course", "school").first()
    if offering is None:
        raise NotFound("offering")
    if not access.can(actor, TAKE, offering):
        raise AccessDenied(TAKE)
    return offering


# Rosters


@dataclass(frozen=True, slots=True)
class RosterLine:
    student: Student
    record: AttendanceRecord | None
    absence: AbsenceReport | None

    @property
    def status(self) -> str:
        """The recorded mark; before marking, excused when a guardian reported the absence, else present."""
        if self.record is not None:
            return self.record.status
        return AttendanceStatus.EXCUSED if self.absence is not None else AttendanceStatus.PRESENT

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label)


@dataclass(frozen=True, slots=True)
class Roster:
    plan: ServicePlan
    day: date
    block: PlanBlock
    school_class: SchoolClass | None
    offering: Offering | None
    lines: list[RosterLine]

    @property
    def title(self) -> str:
        if self.offering is not None:
            return str(self.offering.course.title)
        return str(self.school_class.name) if self.school_class is not None else ""

    @property
    def marked(self) -> bool:
        return any(line.record is not None for line in self.lines)


def _reported_absence(day: date, student: str) -> Subquery:
    reports = AbsenceReport.objects.filter(student=OuterRef(student), start_date__lte=day, end_date__gte=day)
    return Subquery(reports.order_by("reported_at", "pk").values("pk")[:1])


def class_students(plan: ServicePlan, school_class: SchoolClass, day: date) -> list[Student]:
    """The class's students enrolled in the plan's service (in the class now, still at school), by name, each with
    `reported_absence_id`: the absence a guardian reported for `day`, if any."""
    enrolled = Enrolment.objects.filter(plan=plan, status=EnrolmentStatus.ACTIVE).values("student_id")
    students: list[Student] = list(
        Student.objects.filter(school_class=school_class, status=StudentStatus.ENROLLED, pk__in=enrolled)
        .only("pk", "name", "school_id", "school_class_id")
        .annotate(reported_absence_id=_reported_absence(day, "pk"))
        .order_by("name", "pk")
    )
    for student in students:
        student.school_class = school_class  # what the roster shows; saves a join and 45 objects per roster
    return students


def offering_students(offering: Offering, day: date) -> list[Student]:
    """The offering's seat holders still in the service, by class and name, each with `reported_absence_id`."""
    seats = (
        Assignment.objects.filter(
            offering=offering,
            status=AssignmentStatus.ASSIGNED,
            enrolment__status=EnrolmentStatus.ACTIVE,
            enrolment__student__status=StudentStatus.ENROLLED,
        )
        .select_related("enrolment__student__school_class")
        .annotate(reported_absence_id=_reported_absence(day, "enrolment__student"))
    )
    students = []
    for seat in seats:
        student = seat.enrolment.student
        student.reported_absence_id = getattr(seat, "reported_absence_id", None)  # type: ignore[attr-defined]
        students.append(student)
    return sorted(students, key=lambda s: (s.school_class.grade, s.school_class.number, s.name, s.pk))


def absences_on(student_ids: list[int], day: date) -> dict[int, AbsenceReport]:
    reports = AbsenceReport.objects.filter(student_id__in=student_ids, start_date__lte=day, end_date__gte=day)
    return {r.student_id: r for r in reports.order_by("reported_at", "pk")}


def check_session(offering: Offering, plan: ServicePlan, day: date, number: int) -> PlanBlock:
    served = service_day(plan, day)
    block = plan_block(plan, number)
    if not offering.slots.filter(weekday=served.timetable_weekday, block_number=number).exists():
        raise afterschool_error(AfterschoolError.NO_SESSION, date=day, block=number)
    return block


def _lines(students: list[Student], day: date, number: int) -> list[RosterLine]:
    ids = [s.pk for s in students]
    records = {
        r.student_id: r for r in AttendanceRecord.objects.filter(student_id__in=ids, day=day, block_number=number)
    }
    absences = absences_on(ids, day)
    return [RosterLine(s, records.get(s.pk), absences.get(s.pk)) for s in students]


def class_roster(*, actor: Any, class_id: int, day: date, block_number: int) -> Roster:
    school_class = class_for_attendance(actor=actor, class_id=class_id)
    plan, block = class_block_on(school_class.school_id, day, block_number)
    students = class_students(plan, school_class, day)
    return Roster(plan, day, block, school_class, None, _lines(students, day, block_number))


def offering_roster(*, actor: Any, offering_id: int, day: date, block_number: int) -> Roster:
    offering = offering_for_attendance(actor=actor, offering_id=offering_id)
    plan = _plans().get(pk=offering.plan_id)
    block = check_session(offering, plan, day, block_number)
    return Roster(plan, day, block, None, offering, _lines(offering_students(offering, day), day, block_number))


# The teacher's day: which rosters they may take


@dataclass(frozen=True, slots=True)
class RosterChoice:
    block: PlanBlock
    school_class: SchoolClass | None
    offering: Offering | None
    marked: int
    size: int

    @property
    def title(self) -> str:
        if self.offering is not None:
            return str(self.offering.course.title)
        return str(self.school_class.name) if self.school_class is not None else ""


def _classes_taken_by(actor: Any) -> QuerySet[SchoolClass]:
    roles = access.assignments(actor)
    led = [a.school_id for a in roles if a.role == Role.SCHOOL_LEADER and a.school_id is not None]
    headed = [a.school_class_id for a in roles if a.role == Role.HEAD_TEACHER and a.school_class_id is not None]
    taught_in = [a.school_id for a in roles if a.role == Role.TEACHER and a.school_id is not None]
    taught = TeachingAssignment.objects.filter(staff__user=actor, school_id__in=taught_in).values("school_class_id")
    return SchoolClass.objects.filter(Q(school_id__in=led) | Q(pk__in=headed) | Q(pk__in=taught)).select_related(
        "school"
    )


def day_rosters(*, actor: Any, day: date) -> list[RosterChoice]:
    """The rosters the actor may take on `day`: their classes' homework-guidance and care blocks, and the
    offerings meeting that day in their schools (none at a school without service that day)."""
    choices: list[RosterChoice] = []
    classes = list(_classes_taken_by(actor).order_by("school_id", "grade", "number"))
    schools = {c.school_id for c in classes} | {
        a.school_id for a in access.assignments(actor) if a.role in (Role.TEACHER, Role.HEAD_TEACHER)
    }
    for school_id in sorted(s for s in schools if s is not None):
        try:
            plan = plan_on(school_id, day)
            served = service_day(plan, day)
        except DomainError:
            continue
        choices.extend(_school_choices(plan, served, [c for c in classes if c.school_id == school_id], day))
    return choices


def _school_choices(
    plan: ServicePlan, served: rules.ServiceDay, classes: list[SchoolClass], day: date
) -> list[RosterChoice]:
    marks: Counter[tuple[int, int, int | None]] = Counter(
        AttendanceRecord.objects.filter(plan=plan, day=day).values_list(
            "block_number", "school_class_id", "offering_id"
        )
    )
    enrolled = Counter(
        Enrolment.objects.filter(
            plan=plan, status=EnrolmentStatus.ACTIVE, student__status=StudentStatus.ENROLLED
        ).values_list("student__school_class_id", flat=True)
    )
    choices = []
    for block in plan.blocks.all():
        if block.kind in CLASS_BLOCKS:
            for c in classes:
                done = marks[(block.number, c.pk, None)]
                choices.append(RosterChoice(block, c, None, done, enrolled[c.pk]))
            continue
        offerings = (
            Offering.objects.filter(
                plan=plan, slots__weekday=served.timetable_weekday, slots__block_number=block.number
            )
            .select_related("course")
            .order_by("course__title", "pk")
        )
        for offering in offerings:
            done = sum(n for (b, _c, o), n in marks.items() if b == block.number and o == offering.pk)
            choices.append(RosterChoice(block, None, offering, done, offering.assigned_count))
    return choices


# A child's records (school staff and the family)


def child_get(*, actor: Any, student_id: int) -> Student:
    student = (
        Student.objects.filter(access.visible(actor, Student, roles=CHILD_READERS), pk=student_id)
        .select_related("school_class", "school")
        .first()
    )
    if student is None:
        raise NotFound("student")
    return student


def absence_list(*, actor: Any, student_id: int) -> QuerySet[AbsenceReport]:
    """A child's reported absences, the latest first."""
    student = child_get(actor=actor, student_id=student_id)
    return (
        AbsenceReport.objects.filter(student=student)
        .select_related("student", "reported_by")
        .order_by("-start_date", "-pk")
    )


def attendance_list(*, actor: Any, student_id: int, start: date | None, end: date | None) -> QuerySet[AttendanceRecord]:
    """A child's marks from `start` to `end` (by default the last 30 days up to today), the latest first."""
    student = child_get(actor=actor, student_id=student_id)
    last = end or timezone.localdate()
    first = start or last - timedelta(days=30)
    if last < first or (last - first).days > MAX_HISTORY_DAYS:
        raise afterschool_error(AfterschoolError.BAD_RANGE, max=MAX_HISTORY_DAYS)
    return (
        AttendanceRecord.objects.filter(student=student, day__gte=first, day__lte=last)
        .select_related("student", "offering__course", "absence")
        .order_by("-day", "-block_number")
    )


def sign_outs_of(student: Student, first: date, last: date) -> QuerySet[SignOut]:
    return SignOut.objects.filter(student=student, day__gte=first, day__lte=last).select_related("guardian")


def leave_alone_allowed(student_id: int) -> bool:
    return LeaveAlonePermission.objects.filter(student_id=student_id, allowed=True).exists()


def guardians_of(student_id: int) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(student_id=student_id).select_related("guardian").order_by("-is_primary", "pk")


def late_pickups(*, actor: Any, school_code: str, start: date, end: date) -> QuerySet[SignOut]:
    """A school's sign-outs after the end of the child's block, the latest first (school leaders, teachers)."""
    school = School.objects.filter(access.visible(actor, School), code=school_code).first()
    if school is None:
        raise NotFound("school")
    access.require(actor, LATE_PICKUPS_READ, school)
    if end < start or (end - start).days > MAX_HISTORY_DAYS:
        raise afterschool_error(AfterschoolError.BAD_RANGE, max=MAX_HISTORY_DAYS)
    return (
        SignOut.objects.filter(school=school, day__gte=start, day__lte=end, minutes_late__gt=0)
        .select_related("student", "school_class", "guardian", "recorded_by")
        .order_by("-day", "-minutes_late", "pk")
    )


# The guardian's page


@dataclass(frozen=True, slots=True)
class ChildOverview:
    student: Student
    absences: list[AbsenceReport]
    records: list[AttendanceRecord]
    sign_outs: list[SignOut]
    leave_alone: bool


def family_overview(*, actor: Any, today: date, days: int = 30) -> list[ChildOverview]:
    """For a guardian: each child's reported absences and the last `days` days of marks and sign-outs."""
    first = today - timedelta(days=days)
    children = Student.objects.filter(access.visible(actor, Student, roles=[Role.GUARDIAN])).select_related(
        "school_class", "school"
    )
    overview = []
    for child in children.order_by("name", "pk"):
        overview.append(
            ChildOverview(
                child,
                list(absence_list(actor=actor, student_id=child.pk)[:10]),
                list(attendance_list(actor=actor, student_id=child.pk, start=first, end=today)),
                list(sign_outs_of(child, first, today).order_by("-day")),
                leave_alone_allowed(child.pk),
            )
        )
    return overview
