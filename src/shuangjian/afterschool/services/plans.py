"""Service plans (一校一案): a school leader sets the term's days, blocks and times, checked against the policy
profile of the school's county (A1: days per week and minutes per day; A2: not ending before the local off-work
time, a "原则上" rule a school leader may override with a recorded reason), changes single dates, and orders
courses from the menu into the plan's activities blocks."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import plan_for_update, school_for_update
from shuangjian.afterschool.models import (
    BlockKind,
    Offering,
    OfferingSlot,
    PlanBlock,
    PlanDate,
    ServicePlan,
)
from shuangjian.afterschool.selectors import plan_blocks, plan_get
from shuangjian.afterschool.selectors_menu import course_for_school
from shuangjian.afterschool.services.common import choice, raise_unless, text
from shuangjian.core import access, calendar
from shuangjian.core.models import Role, School, Term
from shuangjian.core.rules import DayKind
from shuangjian.core.selectors import school_get
from shuangjian.policy.selectors import effective_profile_for_school

PLAN_MANAGE = access.register_action("afterschool.plan_manage", [Role.SCHOOL_LEADER])
END_OVERRIDE = access.register_action("afterschool.plan_end_override", [Role.SCHOOL_LEADER])

DAY_KIND_LABELS = {
    DayKind.SCHOOL_DAY: _("上课日"),
    DayKind.WEEKEND: _("周末"),
    DayKind.HOLIDAY: _("法定节假日"),
    DayKind.VACATION: _("假期"),
}
_REASON_MAX = PlanDate._meta.get_field("reason").max_length or 0
_OVERRIDE_REASON_MAX = 500
_SEED_SOURCE_MAX = ServicePlan._meta.get_field("seed_source").max_length or 0


@dataclass(frozen=True, slots=True)
class BlockDraft:
    number: int
    kind: str
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class PlanDraft:
    weekdays: tuple[int, ...]
    blocks: tuple[BlockDraft, ...]
    enrolment_opens_at: datetime
    enrolment_closes_at: datetime
    max_preferences: int
    courses_per_student: int
    override_reason: str = ""
    seed_source: str = ""


def school_term(school: School, start_year: int, number: int) -> Term:
    """The term's dates for the school: its county's, else its city's, else its province's, else the default."""
    chain = [school.county_id, school.city_id, school.province_id]
    rank = {code: index for index, code in enumerate(chain)}
    rows = Term.objects.filter(
        Q(region__isnull=True) | Q(region_id__in=chain), school_year__start_year=start_year, number=number
    ).select_related("school_year")
    best = min(rows, key=lambda t: rank.get(t.region_id or "", len(chain)), default=None)
    if best is None:
        raise afterschool_error(AfterschoolError.UNKNOWN_TERM, year=start_year, number=number)
    return best


def _checked(actor: Any, school: School, term: Term, draft: PlanDraft) -> tuple[list[rules.Block], str]:
    """The plan's blocks, and the override reason to record ("" when nothing needed overriding)."""
    kinds = frozenset(BlockKind.values)
    blocks = [rules.Block(b.number, choice(b.kind, kinds, _("时段内容")), b.start, b.end) for b in draft.blocks]
    raise_unless(rules.check_window(draft.enrolment_opens_at, draft.enrolment_closes_at))
    raise_unless(rules.check_plan_limits(draft.max_preferences, draft.courses_per_student))
    reason = text(draft.override_reason, _("理由"), _OVERRIDE_REASON_MAX, required=False)
    limits = rules.plan_limits(effective_profile_for_school(school, term.start_date))
    findings = rules.plan_findings(list(draft.weekdays), blocks, limits)
    raise_unless(rules.plan_decision(findings, reason))
    if not findings:
        return blocks, ""
    access.require(actor, END_OVERRIDE, school)
    return blocks, reason


def _apply(plan: ServicePlan, draft: PlanDraft, reason: str, actor: Any) -> None:
    plan.weekdays = sorted(draft.weekdays)
    plan.enrolment_opens_at = draft.enrolment_opens_at
    plan.enrolment_closes_at = draft.enrolment_closes_at
    plan.max_preferences = draft.max_preferences
    plan.courses_per_student = draft.courses_per_student
    plan.seed_source = text(draft.seed_source, _("随机种子来源"), _SEED_SOURCE_MAX, required=False)
    if reason != plan.end_override_reason:
        plan.end_override_reason = reason
        plan.end_override_by = actor if reason else None
        plan.end_override_at = timezone.now() if reason else None


def _save_blocks(plan: ServicePlan, blocks: Sequence[rules.Block]) -> None:
    PlanBlock.objects.bulk_create(
        PlanBlock(plan=plan, number=b.number, kind=b.kind, start_time=b.start, end_time=b.end) for b in blocks
    )


@transaction.atomic(durable=True)
def plan_create(*, actor: Any, school_code: str, start_year: int, term_number: int, draft: PlanDraft) -> ServicePlan:
    """A school leader sets the school's plan for a term (one plan per school and term)."""
    school = school_get(actor=actor, code=school_code)
    access.require(actor, PLAN_MANAGE, school)
    term = school_term(school, start_year, term_number)
    blocks, reason = _checked(actor, school, term, draft)
    school_for_update(school.pk).get()
    if ServicePlan.objects.filter(school=school, term=term).exists():
        raise afterschool_error(AfterschoolError.PLAN_EXISTS)
    plan = ServicePlan(school=school, term=term, created_by=actor)
    _apply(plan, draft, reason, actor)
    plan.full_clean()
    plan.save()
    _save_blocks(plan, blocks)
    return plan


@transaction.atomic(durable=True)
def plan_update(*, actor: Any, plan_id: int, draft: PlanDraft) -> ServicePlan:
    """Change the days, blocks, window or limits; every slot an offering meets in must stay, and once the window
    has closed the announced seed source stays as it was."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, PLAN_MANAGE, visible.school)
    plan = plan_for_update(visible.pk).get()
    blocks, reason = _checked(actor, plan.school, plan.term, draft)
    used = OfferingSlot.objects.filter(offering__plan=plan).values_list("weekday", "block_number")
    raise_unless(rules.check_keeps_slots(draft.weekdays, blocks, {(w, b) for w, b in used}))
    if timezone.now() >= plan.enrolment_closes_at and draft.seed_source.strip() != plan.seed_source:
        raise afterschool_error(AfterschoolError.SEED_SOURCE_FROZEN)
    _apply(plan, draft, reason, actor)
    plan.full_clean()
    plan.save(
        update_fields=[
            "weekdays", "enrolment_opens_at", "enrolment_closes_at", "max_preferences", "courses_per_student",
            "seed_source", "end_override_reason", "end_override_by", "end_override_at", "updated_at",
        ]
    )  # fmt: skip
    plan.blocks.all().delete()
    _save_blocks(plan, blocks)
    return plan


@transaction.atomic(durable=True)
def plan_date_set(*, actor: Any, plan_id: int, day: date, follows_weekday: int | None, reason: str) -> PlanDate:
    """Give a date the timetable of one of the plan's weekdays (a make-up workday), or no service (None).
    Service only on a school day: a holiday, weekend or vacation day is refused (afterschool.slot_on_holiday)."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, PLAN_MANAGE, visible.school)
    plan = plan_for_update(visible.pk).get()
    clean_reason = text(reason, _("原因"), _REASON_MAX)
    kind = calendar.day_kind(plan.school, day)
    decision = rules.check_plan_date(
        day, kind, follows_weekday, plan.weekdays, (plan.term.start_date, plan.term.end_date)
    )
    if decision.code == AfterschoolError.SLOT_ON_HOLIDAY:
        raise_unless(decision, day_kind_label=DAY_KIND_LABELS[kind])
    raise_unless(decision)
    change, _created = PlanDate.objects.update_or_create(
        plan=plan,
        date=day,
        defaults={"follows_weekday": follows_weekday, "reason": clean_reason, "created_by": actor},
    )
    return change


@transaction.atomic(durable=True)
def plan_date_remove(*, actor: Any, plan_id: int, day: date) -> bool:
    """Drop a dated change: the weekly pattern applies to that date again. Returns whether there was one."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, PLAN_MANAGE, visible.school)
    plan = plan_for_update(visible.pk).get()
    deleted, _details = PlanDate.objects.filter(plan=plan, date=day).delete()
    return deleted > 0


@transaction.atomic(durable=True)
def offering_create(
    *, actor: Any, plan_id: int, course_id: int, slots: Sequence[tuple[int, int]], capacity: int | None = None
) -> Offering:
    """点餐: order a menu course (the school's own or its regions') into the plan's activities blocks."""
    visible = plan_get(actor=actor, plan_id=plan_id)
    access.require(actor, PLAN_MANAGE, visible.school)
    plan = plan_for_update(visible.pk).get()
    course = course_for_school(school=plan.school, course_id=course_id)
    seats = course.capacity if capacity is None else capacity
    raise_unless(
        rules.check_offering(
            list(slots),
            weekly_slots=course.weekly_slots,
            capacity=seats,
            course_capacity=course.capacity,
            weekdays=plan.weekdays,
            block_kinds={b.number: b.kind for b in plan_blocks(plan)},
        )
    )
    offering = Offering(plan=plan, school=plan.school, course=course, capacity=seats, created_by=actor)
    offering.full_clean()
    offering.save()
    OfferingSlot.objects.bulk_create(
        OfferingSlot(offering=offering, weekday=weekday, block_number=block) for weekday, block in sorted(slots)
    )
    return offering
