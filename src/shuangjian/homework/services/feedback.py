"""Completion feedback: what a child really spent. Idempotent per student and day (the latest report counts),
and the class's daily rollup moves by exactly the difference, in the same transaction."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, SchoolClass, Student
from shuangjian.core.selectors import class_get
from shuangjian.homework import rules
from shuangjian.homework.caps import day_caps
from shuangjian.homework.errors import HomeworkError, homework_error
from shuangjian.homework.models import ClassDayRollup, FeedbackSource, HomeworkFeedback

FEEDBACK = access.register_action("homework.feedback", [Role.GUARDIAN, Role.STUDENT])
FEEDBACK_BATCH = access.register_action("homework.feedback_batch", [Role.HEAD_TEACHER])


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    student_id: int
    reported_minutes: int
    unfinished_at_bedtime: bool = False


def _validate(entry: FeedbackEntry, day: date, today: date) -> None:
    decision = rules.check_reported_minutes(entry.reported_minutes)
    if not decision.ok:
        raise homework_error(decision.code, **decision.params)
    if day > today:
        raise homework_error(HomeworkError.FEEDBACK_IN_FUTURE, date=day)


def _create_rollup(class_id: int, day: date) -> None:
    """The first report of a class-day creates its row; ON CONFLICT DO NOTHING lets a concurrent first report win."""
    school_class = SchoolClass.objects.select_related("school").get(pk=class_id)
    school = school_class.school
    ClassDayRollup.objects.bulk_create(
        [
            ClassDayRollup(
                school_class=school_class,
                date=day,
                school=school,
                county_id=school.county_id,
                city_id=school.city_id,
                grade=school_class.grade,
                cap_minutes=day_caps(school_class, day, day)[0].cap,
            )
        ],
        ignore_conflicts=True,
    )


def _locked_rollup(school_class: SchoolClass, day: date) -> ClassDayRollup:
    """The class-day rollup, locked: it serialises feedback of one class and day, so no report is lost."""
    rollup = ClassDayRollup.objects.select_for_update().filter(school_class=school_class, date=day).first()
    if rollup is not None:
        return rollup
    _create_rollup(school_class.pk, day)
    return ClassDayRollup.objects.select_for_update().get(school_class=school_class, date=day)


def _count(rows: QuerySet[ClassDayRollup], sign: int, minutes: int, unfinished: bool) -> int:
    """Add (sign 1) or remove (sign -1) one report in the class-day rollup, comparing with the row's own cap in the
    database. The UPDATE locks the row until commit. Returns the rows changed (0: the class-day has no row yet)."""
    within = Case(When(Q(cap_minutes__isnull=True) | Q(cap_minutes__gte=minutes), then=Value(sign)), default=Value(0))
    return rows.update(
        feedback_count=F("feedback_count") + sign,
        reported_minutes_sum=F("reported_minutes_sum") + sign * minutes,
        within_cap_count=F("within_cap_count") + within,
        unfinished_count=F("unfinished_count") + (sign if unfinished else 0),
    )


_FIELDS = ["reported_minutes", "unfinished_at_bedtime", "item_minutes", "source", "reported_by", "reported_at"]


def feedback_submit(
    *,
    actor: Any,
    student_id: int,
    day: date,
    reported_minutes: int,
    unfinished_at_bedtime: bool,
    today: date,
    item_minutes: dict[str, int] | None = None,
) -> HomeworkFeedback:
    """A guardian or the student reports one day's minutes. Reporting again replaces the earlier report.

    The evening peak's path (docs/PERFORMANCE.md): one query checks access and loads the student's class; on
    PostgreSQL one function call writes the report and moves the class-day rollup (migration 0005)."""
    student = access.family_student(actor, FEEDBACK, student_id)
    if student is None:
        raise NotFound("student")  # another family's child and a missing one look the same
    _validate(FeedbackEntry(student_id, reported_minutes, unfinished_at_bedtime), day, today)
    report = HomeworkFeedback(
        student_id=student.pk,
        school_id=student.school_id,
        school_class_id=student.school_class_id,
        date=day,
        reported_minutes=reported_minutes,
        unfinished_at_bedtime=unfinished_at_bedtime,
        item_minutes=item_minutes or {},
        source=FeedbackSource.STUDENT if student.as_student else FeedbackSource.GUARDIAN,
        reported_by=actor,
    )
    if connection.vendor == "postgresql":
        report_id = _report_in_one_call(report)
        if report_id is None:  # the class-day's first report, with no homework published: create its row
            _create_rollup(student.school_class_id, day)
            report_id = _report_in_one_call(report)
        report.pk = report_id
        return report
    return _report_in_steps(report)


def _report_in_one_call(report: HomeworkFeedback) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT homework_feedback_report(%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)",
            [
                report.student_id,
                report.school_id,
                report.school_class_id,
                report.date,
                report.reported_minutes,
                report.unfinished_at_bedtime,
                json.dumps(report.item_minutes),
                report.source,
                report.reported_by_id,
            ],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


@transaction.atomic(durable=True)
def _report_in_steps(report: HomeworkFeedback) -> HomeworkFeedback:
    """What homework_feedback_report does, for databases without it (SQLite serialises writers anyway)."""
    minutes, unfinished = report.reported_minutes, report.unfinished_at_bedtime
    # Count the report first: the UPDATE locks the class-day row, which serialises the reports of one class and
    # day (as _locked_rollup does for batches), so the read of an earlier report below cannot race another.
    rollup_rows = ClassDayRollup.objects.filter(school_class_id=report.school_class_id, date=report.date)
    if not _count(rollup_rows, 1, minutes, unfinished):
        _create_rollup(report.school_class_id, report.date)
        _count(rollup_rows, 1, minutes, unfinished)
    existing = HomeworkFeedback.objects.filter(student_id=report.student_id, date=report.date).first()
    if existing is None:
        report.save()
        return report
    # Reported again: the earlier report no longer counts; the latest replaces it.
    _count(rollup_rows, -1, existing.reported_minutes, existing.unfinished_at_bedtime)
    report.pk = existing.pk
    report.save(update_fields=_FIELDS)
    return report


def feedback_batch_submit(*, actor: Any, class_id: int, day: date, entries: list[FeedbackEntry], today: date) -> int:
    """A head teacher enters a whole class's feedback at once: one validation pass, one upsert of every report,
    then the class-day rollup recounted from the class's reports (exact whatever was there before). Returns the
    number of reports written (a student entered twice counts once: the last entry)."""
    school_class = _class_for_batch(actor, class_id)
    for entry in entries:
        _validate(entry, day, today)
    latest = {entry.student_id: entry for entry in entries}
    in_class = Student.objects.filter(school_class=school_class, pk__in=list(latest)).count()
    if in_class != len(latest):
        raise homework_error(HomeworkError.STUDENT_NOT_IN_CLASS)
    reports = list(latest.values())
    if connection.vendor != "postgresql":
        return _batch_in_steps(actor, school_class, day, reports)
    saved = _batch_in_one_call(actor, school_class, day, reports)
    if saved is None:  # the class-day's first reports, with no homework published: create its row
        _create_rollup(school_class.pk, day)
        saved = _batch_in_one_call(actor, school_class, day, reports)
    return saved or 0


_BATCH_CLASS_FIELDS = ("id", "school_id")


def _class_for_batch(actor: Any, class_id: int) -> SchoolClass:
    """The class, if the actor may enter its feedback: one query on the usual path; a refusal then tells a class
    outside the actor's scope (404) from one they see but may not enter (403)."""
    row = access.permitted_row(actor, FEEDBACK_BATCH, SchoolClass, class_id, _BATCH_CLASS_FIELDS)
    if row is not None:  # the columns the batch needs; any other is loaded when read
        return SchoolClass.from_db(DEFAULT_DB_ALIAS, _BATCH_CLASS_FIELDS, row)
    access.require(actor, FEEDBACK_BATCH, class_get(actor=actor, class_id=class_id))
    raise NotFound("class")  # not reached: require() refuses whatever permitted() did not find


def _batch_in_one_call(actor: Any, school_class: SchoolClass, day: date, reports: list[FeedbackEntry]) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT homework_feedback_batch(%s, %s, %s, %s, %s, %s::bigint[], %s::integer[], %s::boolean[])",
            [
                school_class.school_id,
                school_class.pk,
                day,
                FeedbackSource.HEAD_TEACHER.value,
                actor.pk,
                [r.student_id for r in reports],
                [r.reported_minutes for r in reports],
                [r.unfinished_at_bedtime for r in reports],
            ],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


@transaction.atomic(durable=True)
def _batch_in_steps(actor: Any, school_class: SchoolClass, day: date, entries: list[FeedbackEntry]) -> int:
    """What homework_feedback_batch does, for databases without it."""
    rollup = _locked_rollup(school_class, day)
    now = timezone.now()
    reports = [
        HomeworkFeedback(
            student_id=entry.student_id,
            school_id=school_class.school_id,
            school_class_id=school_class.pk,
            date=day,
            reported_minutes=entry.reported_minutes,
            unfinished_at_bedtime=entry.unfinished_at_bedtime,
            item_minutes={},
            source=FeedbackSource.HEAD_TEACHER,
            reported_by=actor,
            reported_at=now,
        )
        for entry in entries
    ]
    HomeworkFeedback.objects.bulk_create(
        reports, batch_size=500, update_conflicts=True, unique_fields=["student", "date"], update_fields=_FIELDS
    )
    _recount(rollup)
    return len(reports)


def _recount(rollup: ClassDayRollup) -> None:
    """Set the class-day's counters from its reports (the caller holds the row's lock)."""
    reports = HomeworkFeedback.objects.filter(school_class_id=rollup.school_class_id, date=rollup.date)
    cap = rollup.cap_minutes
    totals = reports.aggregate(
        feedback_count=Count("pk"),
        reported_minutes_sum=Coalesce(Sum("reported_minutes"), 0),
        within_cap_count=Count("pk") if cap is None else Count("pk", filter=Q(reported_minutes__lte=cap)),
        unfinished_count=Count("pk", filter=Q(unfinished_at_bedtime=True)),
    )
    ClassDayRollup.objects.filter(pk=rollup.pk).update(**totals)
