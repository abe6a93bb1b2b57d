"""Homework reads: items, the class's daily board and load, the weekly view, monitoring from rollups."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import SchoolClass
from shuangjian.core.selectors import class_get
from shuangjian.homework import rules
from shuangjian.homework.caps import day_caps
from shuangjian.homework.models import HomeworkItem, HomeworkLoad, ItemStatus


def item_list(*, actor: Any) -> QuerySet[HomeworkItem]:
    return HomeworkItem.objects.filter(access.visible(actor, HomeworkItem)).select_related(
        "school_class", "assigned_by", "group"
    )


def item_get(*, actor: Any, item_id: int) -> HomeworkItem:
    item = item_list(actor=actor).filter(pk=item_id).first()
    if item is None:
        raise NotFound("homework_item")
    return item


@dataclass(frozen=True, slots=True)
class BoardEntry:
    item: HomeworkItem
    minutes_today: int


@dataclass(frozen=True, slots=True)
class DayBoard:
    """作业公示: a class's published homework for one day, with the load against the cap."""

    school_class: SchoolClass
    day: date
    day_kind: str
    cap: int | None
    load: rules.DayLoad
    entries: list[BoardEntry] = field(default_factory=list)

    @property
    def remaining(self) -> int | None:
        return None if self.cap is None else max(self.cap - self.load.capped_minutes, 0)

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.load.capped_minutes > self.cap


def _boards(school_class: SchoolClass, start: date, end: date) -> list[DayBoard]:
    loads = (
        HomeworkLoad.objects.filter(
            school_class=school_class, date__range=(start, end), item__status=ItemStatus.PUBLISHED
        )
        .select_related("item", "item__assigned_by", "item__group")
        .order_by("date", "item__subject", "item__layer", "item_id")
    )
    by_day: dict[date, list[HomeworkLoad]] = defaultdict(list)
    for load in loads:
        by_day[load.date].append(load)
    boards = []
    for cap in day_caps(school_class, start, end):
        day_loads = by_day.get(cap.day, [])
        lines = [
            rules.LoadLine(ld.item.subject, ld.item.kind, ld.item.layer, ld.minutes, ld.item.group_id)
            for ld in day_loads
        ]
        boards.append(
            DayBoard(
                school_class=school_class,
                day=cap.day,
                day_kind=cap.day_kind.value,
                cap=cap.cap,
                load=rules.day_load(lines),
                entries=[BoardEntry(ld.item, ld.minutes) for ld in day_loads],
            )
        )
    return boards


def day_board(*, actor: Any, class_id: int, day: date) -> DayBoard:
    return _boards(class_get(actor=actor, class_id=class_id), day, day)[0]


def week_board(*, actor: Any, class_id: int, any_day: date) -> list[DayBoard]:
    monday = any_day - timedelta(days=any_day.weekday())
    return _boards(class_get(actor=actor, class_id=class_id), monday, monday + timedelta(days=6))
