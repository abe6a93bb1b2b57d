"""Assigning, changing and withdrawing homework: nobody publishes a day over its cap."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.models import Role, SchoolClass, TeachingAssignment
from shuangjian.core.selectors import class_get
from shuangjian.core.subjects import Subject
from shuangjian.homework import rules
from shuangjian.homework.caps import DayCap, day_caps
from shuangjian.homework.errors import HomeworkError, homework_error
from shuangjian.homework.lock_objects import class_for_update
from shuangjian.homework.models import (
    ClassDayRollup,
    HomeworkGroup,
    HomeworkItem,
    HomeworkKind,
    HomeworkLoad,
    ItemStatus,
    Layer,
)
from shuangjian.homework.selectors import item_get

ASSIGN = access.register_action("homework.assign", [Role.TEACHER, Role.HEAD_TEACHER])
REBALANCE = access.register_action("homework.rebalance", [Role.GRADE_COORDINATOR])


@dataclass(frozen=True, slots=True)
class ItemDraft:
    subject: str
    kind: str
    layer: str
    title: str
    instructions: str
    estimated_minutes: int
    start_date: date
    due_date: date
    group_id: int | None = None
    asks_parent_to_grade: bool = False
    punitive: bool = False


def _raise_unless(decision: rules.Decision) -> None:
    if not decision.ok:
        raise homework_error(decision.code, **decision.params)


_CHOICES: tuple[tuple[str, str | Promise, Collection[str]], ...] = (
    ("subject", _("学科"), frozenset(s.value for s in Subject)),
    ("kind", _("作业类型"), frozenset(HomeworkKind.values)),
    ("layer", _("作业层次"), frozenset(Layer.values)),
)


def _validate(draft: ItemDraft, today: date) -> None:
    for name, label, allowed in _CHOICES:
        value = getattr(draft, name)
        if value not in allowed:
            raise homework_error(HomeworkError.INVALID_CHOICE, field=label, value=value)
    _raise_unless(rules.check_minutes(draft.estimated_minutes))
    if draft.start_date > draft.due_date:
        raise homework_error(HomeworkError.BAD_DATES)
    if draft.due_date < today:
        raise homework_error(HomeworkError.DUE_IN_PAST, date=draft.due_date)
    _raise_unless(
        rules.banned_practices(
            f"{draft.title}\n{draft.instructions}",
            asks_parent_to_grade=draft.asks_parent_to_grade,
            punitive=draft.punitive,
        )
    )


def _require_teaches(actor: Any, school_class: SchoolClass, subject: str) -> None:
    staff = getattr(actor, "staff", None)
    teaches = (
        staff is not None
        and TeachingAssignment.objects.filter(staff=staff, school_class=school_class, subject=subject).exists()
    )
    if not teaches:
        raise homework_error(HomeworkError.NOT_YOUR_CLASS, subject=subject)


def _load_days(draft_kind: str, caps: list[DayCap]) -> list[DayCap]:
    """The days an item's minutes fall on: written work only on days that allow it."""
    if draft_kind != HomeworkKind.WRITTEN:
        return caps
    allowed = [c for c in caps if c.written_allowed]
    if not allowed:
        raise homework_error(HomeworkError.NOT_A_HOMEWORK_DAY, date=caps[-1].day)
    if len(caps) == 1 and not caps[0].written_allowed:
        raise homework_error(HomeworkError.NOT_A_HOMEWORK_DAY, date=caps[0].day)
    return allowed


def _existing_lines(
    school_class: SchoolClass, days: list[date], exclude_items: Collection[int] = ()
) -> dict[date, list[rules.LoadLine]]:
    loads = (
        HomeworkLoad.objects.filter(school_class=school_class, date__in=days, item__status=ItemStatus.PUBLISHED)
        .exclude(item_id__in=exclude_items)
        .values_list("date", "item__subject", "item__kind", "item__layer", "minutes", "item__group_id")
    )
    lines: dict[date, list[rules.LoadLine]] = defaultdict(list)
    for day, subject, kind, layer, minutes, group_id in loads:
        lines[day].append(rules.LoadLine(subject, kind, layer, minutes, group_id))
    return lines


def _check_days(
    school_class: SchoolClass, draft: ItemDraft, caps: list[DayCap], exclude_item: int | None = None
) -> dict[date, int]:
    """Spread the draft over its days and check every day's cap with everything already published."""
    days = _load_days(draft.kind, caps)
    spread = rules.spread_minutes(draft.estimated_minutes, [c.day for c in days])
    existing = _existing_lines(school_class, list(spread), [] if exclude_item is None else [exclude_item])
    for cap in days:
        line = rules.LoadLine(draft.subject, draft.kind, draft.layer, spread[cap.day], draft.group_id)
        load = rules.day_load([*existing.get(cap.day, []), line])
        decision = rules.check_cap(load, cap.cap)
        if not decision.ok:
            raise homework_error(decision.code, date=cap.day, **decision.params)
    return spread


def refresh_estimates(school_class: SchoolClass, caps: list[DayCap]) -> None:
    """Keep each day's rollup estimate (the class's capped load) equal to what is published."""
    days = [c.day for c in caps]
    existing = _existing_lines(school_class, days)
    school = school_class.school
    for cap in caps:
        load = rules.day_load(existing.get(cap.day, []))
        ClassDayRollup.objects.update_or_create(
            school_class=school_class,
            date=cap.day,
            defaults={"estimated_minutes": load.capped_minutes, "cap_minutes": cap.cap},
            create_defaults={
                "estimated_minutes": load.capped_minutes,
                "cap_minutes": cap.cap,
                "school": school,
                "county_id": school.county_id,
                "city_id": school.city_id,
                "grade": school_class.grade,
            },
        )


def _group(school_class: SchoolClass, group_id: int | None) -> HomeworkGroup | None:
    if group_id is None:
        return None
    group = HomeworkGroup.objects.filter(pk=group_id, school_class=school_class).first()
    if group is None:
        raise homework_error(HomeworkError.UNKNOWN_GROUP)
    return group


@transaction.atomic(durable=True)
def homework_assign(*, actor: Any, class_id: int, draft: ItemDraft, today: date) -> HomeworkItem:
    """A teacher of the class and subject assigns an item; every day it falls on must stay within its cap."""
    return homework_assign_in_transaction(actor=actor, class_id=class_id, draft=draft, today=today)


def homework_assign_in_transaction(*, actor: Any, class_id: int, draft: ItemDraft, today: date) -> HomeworkItem:
    """homework_assign's body, for a use case that assigns as one of its steps (reusing a shared item) inside
    its own durable transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("homework_assign_in_transaction must run inside a transaction")
    visible_class = class_get(actor=actor, class_id=class_id)
    access.require(actor, ASSIGN, visible_class)
    _validate(draft, today)
    school_class = class_for_update(visible_class.pk).get()
    _require_teaches(actor, school_class, draft.subject)
    group = _group(school_class, draft.group_id)
    caps = day_caps(school_class, draft.start_date, draft.due_date)
    spread = _check_days(school_class, draft, caps)
    item = HomeworkItem(
        school=school_class.school,
        school_class=school_class,
        group=group,
        assigned_by=actor,
        subject=draft.subject,
        kind=draft.kind,
        layer=draft.layer,
        title=draft.title,
        instructions=draft.instructions,
        estimated_minutes=draft.estimated_minutes,
        start_date=draft.start_date,
        due_date=draft.due_date,
    )
    item.full_clean()
    item.save()
    HomeworkLoad.objects.bulk_create(
        HomeworkLoad(item=item, school=school_class.school, school_class=school_class, date=day, minutes=minutes)
        for day, minutes in spread.items()
    )
    refresh_estimates(school_class, [c for c in caps if c.day in spread])
    return item


def _item_for_change(actor: Any, item_id: int, action: str) -> tuple[HomeworkItem, SchoolClass]:
    item = item_get(actor=actor, item_id=item_id)
    access.require(actor, action, item.school_class)
    if item.status != ItemStatus.PUBLISHED:
        raise homework_error(HomeworkError.ITEM_WITHDRAWN)
    return item, class_for_update(item.school_class_id).get()


@transaction.atomic(durable=True)
def homework_update(
    *, actor: Any, item_id: int, estimated_minutes: int, start_date: date, due_date: date, today: date
) -> HomeworkItem:
    """Shorten or move an item (the teacher who assigned it, or any teacher of that class and subject)."""
    item, school_class = _item_for_change(actor, item_id, ASSIGN)
    _require_teaches(actor, school_class, item.subject)
    draft = ItemDraft(
        item.subject, item.kind, item.layer, item.title, item.instructions,
        estimated_minutes, start_date, due_date, item.group_id,
    )  # fmt: skip
    _validate(draft, today)
    old_days = list(item.loads.values_list("date", flat=True))
    caps = day_caps(school_class, min([start_date, *old_days]), max([due_date, *old_days]))
    spread = _check_days(school_class, draft, [c for c in caps if start_date <= c.day <= due_date], item.pk)
    item.estimated_minutes, item.start_date, item.due_date = estimated_minutes, start_date, due_date
    item.full_clean()
    item.save(update_fields=["estimated_minutes", "start_date", "due_date", "updated_at"])
    item.loads.all().delete()
    HomeworkLoad.objects.bulk_create(
        HomeworkLoad(item=item, school=item.school, school_class=school_class, date=day, minutes=minutes)
        for day, minutes in spread.items()
    )
    refresh_estimates(school_class, [c for c in caps if c.day in spread or c.day in old_days])
    return item


@transaction.atomic(durable=True)
def homework_withdraw(*, actor: Any, item_id: int) -> HomeworkItem:
    item, school_class = _item_for_change(actor, item_id, ASSIGN)
    _require_teaches(actor, school_class, item.subject)
    days = list(item.loads.values_list("date", flat=True))
    item.status = ItemStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    if days:
        refresh_estimates(school_class, day_caps(school_class, min(days), max(days)))
    return item


@transaction.atomic(durable=True)
def homework_rebalance(*, actor: Any, class_id: int, day: date, minutes_by_item: dict[int, int]) -> list[HomeworkItem]:
    """A grade coordinator re-divides one day's minutes between one-day items; the day must stay under its cap."""
    visible_class = class_get(actor=actor, class_id=class_id)
    access.require(actor, REBALANCE, visible_class)
    school_class = class_for_update(visible_class.pk).get()
    items = {
        item.pk: item
        for item in HomeworkItem.objects.filter(
            pk__in=minutes_by_item, school_class=school_class, status=ItemStatus.PUBLISHED,
            start_date=day, due_date=day,
        )
    }  # fmt: skip
    if set(minutes_by_item) - set(items):
        raise homework_error(HomeworkError.ITEM_WITHDRAWN)
    for minutes in minutes_by_item.values():
        _raise_unless(rules.check_minutes(minutes))
    base = _existing_lines(school_class, [day], exclude_items=items).get(day, [])
    changed = [rules.LoadLine(i.subject, i.kind, i.layer, minutes_by_item[pk], i.group_id) for pk, i in items.items()]
    cap = day_caps(school_class, day, day)[0]
    decision = rules.check_cap(rules.day_load([*base, *changed]), cap.cap)
    if not decision.ok:
        raise homework_error(decision.code, date=day, **decision.params)
    for pk, item in items.items():
        item.estimated_minutes = minutes_by_item[pk]
        item.save(update_fields=["estimated_minutes", "updated_at"])
        HomeworkLoad.objects.filter(item=item, date=day).update(minutes=minutes_by_item[pk])
    refresh_estimates(school_class, [cap])
    return list(items.values())
