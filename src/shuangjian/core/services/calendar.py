"""Writes on the school calendar: a region's or a school's own days (a snow day off, a local make-up day).

A bureau sets days for its region and every region below it; a school leader sets days for the school.
A school's own day wins over its region's (core.calendar).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.errors import CoreError, DomainError
from shuangjian.core.models import CalendarOverride, Region, Role, School
from shuangjian.core.rules import OverrideKind

OVERRIDE_SET_FOR_REGION = access.register_action("core.calendar_override_set_region", [Role.BUREAU])
OVERRIDE_SET_FOR_SCHOOL = access.register_action("core.calendar_override_set_school", [Role.SCHOOL_LEADER])

_REASON_MAX_LENGTH = CalendarOverride._meta.get_field("reason").max_length or 0


def _require_target(actor: Any, region: Region | None, school: School | None) -> None:
    """Exactly one target, and the actor may set days for it."""
    if school is not None and region is None:
        access.require(actor, OVERRIDE_SET_FOR_SCHOOL, school)
        return
    if region is not None and school is None:
        access.require_region(actor, OVERRIDE_SET_FOR_REGION, region)
        return
    raise DomainError(CoreError.INVALID_INPUT, _("请指定一个行政区划或一所学校（只能二选一）。"), {"field": "target"})


@transaction.atomic(durable=True)
def calendar_override_set(
    *,
    actor: Any,
    region: Region | None = None,
    school: School | None = None,
    day: date,
    kind: OverrideKind | str,
    reason: str,
) -> CalendarOverride:
    """Make `day` a school day or a rest day for a region or a school. Replaces that target's day if set."""
    _require_target(actor, region, school)
    try:
        override_kind = OverrideKind(kind)
    except ValueError:
        raise DomainError(
            CoreError.INVALID_INPUT, _("调整类型只能是上课日或休息日。"), {"field": "kind", "value": str(kind)}
        ) from None
    clean_reason = reason.strip()
    if not clean_reason or len(clean_reason) > _REASON_MAX_LENGTH:
        raise DomainError(
            CoreError.INVALID_INPUT,
            _("请填写调整原因，且不超过 %(max_length)s 个字符。"),
            {"field": "reason", "max_length": _REASON_MAX_LENGTH},
        )
    target = {"school": school} if school is not None else {"region": region}
    existing = CalendarOverride.objects.select_for_update().filter(date=day, **target).first()
    if existing is not None:
        existing.kind = override_kind.value
        existing.reason = clean_reason
        existing.full_clean()
        existing.save(update_fields=["kind", "reason"])
        return existing
    override = CalendarOverride(date=day, kind=override_kind.value, reason=clean_reason, **target)
    override.full_clean()
    override.save()
    return override


@transaction.atomic(durable=True)
def calendar_override_remove(
    *, actor: Any, region: Region | None = None, school: School | None = None, day: date
) -> bool:
    """Remove a region's or a school's own day, so the national calendar and term dates apply again.
    Returns whether there was one."""
    _require_target(actor, region, school)
    target = {"school": school} if school is not None else {"region": region}
    deleted, _details = CalendarOverride.objects.filter(date=day, **target).delete()
    return deleted > 0
