"""The showcase of good homework design (优质作业): share an item to a library, reuse a shared one.

Reusing assigns a new item through the same code as homework_assign, in one transaction with the count of
reuses, so the cap, the banned practices and the teaching check all still apply.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.models import Role
from shuangjian.core.selectors import class_get
from shuangjian.homework.errors import HomeworkError, homework_error
from shuangjian.homework.models import HomeworkItem, SharedHomework, ShareScope
from shuangjian.homework.selectors import item_get
from shuangjian.homework.selectors_showcase import showcase_get
from shuangjian.homework.services.items import ASSIGN, ItemDraft, homework_assign_in_transaction

SHARE = access.register_action("homework.share", [Role.TEACHER, Role.HEAD_TEACHER])


@transaction.atomic(durable=True)
def showcase_share(*, actor: Any, item_id: int, scope: str) -> SharedHomework:
    """A teacher shares one of their own items to their school's library or their county's or city's."""
    if scope not in ShareScope.values:
        raise homework_error(HomeworkError.INVALID_CHOICE, field=_("分享范围"), value=scope)
    item = item_get(actor=actor, item_id=item_id)
    access.require(actor, SHARE, item.school_class)
    if item.assigned_by_id != actor.pk:
        raise homework_error(HomeworkError.NOT_YOUR_ITEM)
    label = ShareScope(scope).label
    if SharedHomework.objects.filter(source_item=item, scope=scope).exists():
        raise homework_error(HomeworkError.ALREADY_SHARED, scope=label)
    school = item.school_class.school
    shared = SharedHomework(
        source_item=item,
        school=school,
        county_id=school.county_id,
        city_id=school.city_id,
        scope=scope,
        shared_by=actor,
        subject=item.subject,
        kind=item.kind,
        layer=item.layer,
        grade=item.school_class.grade,
        title=item.title,
        instructions=item.instructions,
        estimated_minutes=item.estimated_minutes,
    )
    shared.full_clean(validate_constraints=False)  # the unique share is checked above and held by the database
    try:
        with transaction.atomic():
            shared.save()
    except IntegrityError as race:  # the same item shared twice at the same moment
        raise homework_error(HomeworkError.ALREADY_SHARED, scope=label) from race
    return shared


@transaction.atomic(durable=True)
def showcase_reuse(
    *,
    actor: Any,
    shared_id: int,
    class_id: int,
    due_date: date,
    today: date,
    start_date: date | None = None,
    estimated_minutes: int | None = None,
    layer: str | None = None,
    group_id: int | None = None,
) -> HomeworkItem:
    """A teacher assigns a shared item to a class they teach (minutes and layer may be adapted). Counts the reuse."""
    access.require(actor, ASSIGN, class_get(actor=actor, class_id=class_id))  # who may assign here, before the library
    shared = showcase_get(actor=actor, shared_id=shared_id)
    draft = ItemDraft(
        subject=shared.subject,
        kind=shared.kind,
        layer=shared.layer if layer is None else layer,
        title=shared.title,
        instructions=shared.instructions,
        estimated_minutes=shared.estimated_minutes if estimated_minutes is None else estimated_minutes,
        start_date=due_date if start_date is None else start_date,
        due_date=due_date,
        group_id=group_id,
    )
    item = homework_assign_in_transaction(actor=actor, class_id=class_id, draft=draft, today=today)
    SharedHomework.objects.filter(pk=shared.pk).update(reuse_count=F("reuse_count") + 1)
    return item
