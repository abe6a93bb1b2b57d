"""Courses: an institution's operator enters a course with its timetable; it is checked against the policy profile
of the institution's county on the course's first day, the county's calendar and the guidance price, and refused
with the first finding (nothing saved). A bureau sets its region's guidance prices."""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region
from shuangjian.policy.selectors import effective_profile
from shuangjian.training import rules, selectors
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import (
    Course,
    CourseStatus,
    GuidancePrice,
    GuidancePriceChange,
    LicenceStatus,
    Site,
    TimetableEntry,
    TrainingMode,
)
from shuangjian.training.services.common import (
    COURSES_MANAGE,
    GUIDANCE_PRICE_SET,
    choice,
    locked_institution,
    text,
)


@dataclass(frozen=True, slots=True)
class SittingDraft:
    start: time
    end: time
    weekday: int | None = None
    day: date | None = None


@dataclass(frozen=True, slots=True)
class CourseDraft:
    title: str
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
    sittings: tuple[SittingDraft, ...]
    site_id: int | None = None


@transaction.atomic(durable=True)
def course_create(*, actor: Any, institution_id: int, draft: CourseDraft) -> Course:
    """The operator of an approved institution enters a course; every schedule and fee rule is checked first."""
    institution = locked_institution(actor, COURSES_MANAGE, institution_id)
    if institution.licence_status != LicenceStatus.APPROVED:
        status_label = LicenceStatus(institution.licence_status).label
        raise training_error(TrainingError.NOT_APPROVED, status_label=status_label)
    site = None
    if draft.site_id is not None:
        site = Site.objects.filter(institution=institution, pk=draft.site_id).first()
        if site is None:
            raise training_error(TrainingError.UNKNOWN_SITE)
    subject = text(draft.subject, _("学科/项目"), 16)
    facts = rules.CourseFacts(
        academic=institution.kind == "academic",
        online=institution.mode == TrainingMode.ONLINE,
        subject=subject,
        grade_min=draft.grade_min,
        grade_max=draft.grade_max,
        lesson_minutes=draft.lesson_minutes,
        lesson_count=draft.lesson_count,
        class_size=draft.class_size,
        price_fen_per_lesson=draft.price_fen_per_lesson,
        charge_lessons=draft.charge_lessons,
        charge_months=draft.charge_months,
        start_date=draft.start_date,
        end_date=draft.end_date,
        sittings=tuple(rules.Sitting(s.weekday, s.day, s.start, s.end) for s in draft.sittings),
        site_area=site.area_square_metres if site is not None else None,
    )
    first, last = rules.course_period(facts)
    kinds = selectors.region_day_kinds(institution, first, last) if last >= first else {}
    profile = effective_profile(institution.county, draft.start_date)
    base = selectors.guidance_base_fen(institution, subject, institution.mode)
    findings = rules.course_findings(profile, facts, kinds, base)
    if findings:
        raise training_error(findings[0].code, **findings[0].params)
    course = Course(
        institution=institution,
        site=site,
        title=text(draft.title, _("课程名称"), 64),
        subject=subject,
        grade_min=draft.grade_min,
        grade_max=draft.grade_max,
        lesson_minutes=draft.lesson_minutes,
        lesson_count=draft.lesson_count,
        class_size=draft.class_size,
        price_fen_per_lesson=draft.price_fen_per_lesson,
        charge_lessons=draft.charge_lessons,
        charge_months=draft.charge_months,
        start_date=draft.start_date,
        end_date=draft.end_date,
        created_by=actor,
    )
    course.full_clean()
    course.save()
    TimetableEntry.objects.bulk_create(
        [
            TimetableEntry(course=course, weekday=s.weekday, date=s.day, start_time=s.start, end_time=s.end)
            for s in draft.sittings
        ]
    )
    return course


@transaction.atomic(durable=True)
def course_withdraw(*, actor: Any, course_id: int) -> Course:
    """The operator takes a course off (下架). Withdrawing a withdrawn course changes nothing."""
    course = selectors.course_get(actor=actor, course_id=course_id)
    locked_institution(actor, COURSES_MANAGE, course.institution_id)
    if course.status != CourseStatus.WITHDRAWN:
        course.status = CourseStatus.WITHDRAWN
        course.save(update_fields=["status"])
    return course


@transaction.atomic(durable=True)
def guidance_price_set(*, actor: Any, region_code: str, subject: str, mode: str, base_fen: int) -> GuidancePrice:
    """A bureau sets (or changes) its region's base price for one standard lesson of an academic subject; every
    change is kept in the price's history (GuidancePriceChange)."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotFound("region")
    access.require_region(actor, GUIDANCE_PRICE_SET, region)
    choice(subject, rules.ACADEMIC_SUBJECTS, _("学科"))
    choice(mode, TrainingMode.values, _("培训形式"))
    if base_fen < 1:
        raise training_error(TrainingError.BAD_PRICE)
    price = GuidancePrice.objects.select_for_update().filter(region=region, subject=subject, mode=mode).first()
    previous = None if price is None else price.base_fen
    if price is None:
        price = GuidancePrice(region=region, subject=subject, mode=mode)
    if previous == base_fen:  # set again to the same: nothing changed, nothing to record
        return price
    price.base_fen, price.set_by = base_fen, actor
    price.save()
    GuidancePriceChange.objects.create(
        region=region, subject=subject, mode=mode, base_fen=base_fen, previous_fen=previous, set_by=actor,
        set_at=price.updated_at,
    )  # fmt: skip
    return price
