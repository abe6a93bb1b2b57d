"""/api/v1/homework: one operation per endpoint; each calls one service or selector.

Items (assign, change, withdraw), the class's daily board and week, the coordinator's rebalance, completion
feedback (single and a class's batch), monitoring, the showcase (优质作业) and complaints about homework load.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses
from shuangjian.homework import selectors, selectors_complaints, selectors_monitoring, selectors_showcase
from shuangjian.homework.models import HomeworkComplaint, HomeworkFeedback, HomeworkItem, SharedHomework
from shuangjian.homework.schemas import (
    BoardEntryOut,
    ComplaintFileIn,
    ComplaintGetOut,
    ComplaintListIn,
    ComplaintListOut,
    ComplaintRespondIn,
    ComplianceOut,
    DayBoardIn,
    DayBoardOut,
    FeedbackBatchIn,
    FeedbackBatchOut,
    FeedbackIn,
    FeedbackOut,
    ItemAssignIn,
    ItemOut,
    ItemUpdateIn,
    MonitoringPeriodIn,
    RebalanceIn,
    RepeatedlyOverIn,
    RepeatedlyOverOut,
    SharedHomeworkOut,
    ShowcaseFilterIn,
    ShowcaseReuseIn,
    ShowcaseShareIn,
    WeekBoardOut,
)
from shuangjian.homework.selectors_monitoring import RepeatedlyOver
from shuangjian.homework.services import complaints, feedback, items, showcase

router = Router(tags=["homework"])


def _item_out(item: HomeworkItem) -> ItemOut:
    return ItemOut(
        id=item.pk,
        class_id=item.school_class_id,
        subject=item.subject,
        kind=item.kind,
        layer=item.layer,
        title=item.title,
        instructions=item.instructions,
        estimated_minutes=item.estimated_minutes,
        start_date=item.start_date,
        due_date=item.due_date,
        status=item.status,
        group_id=item.group_id,
    )


def _board_out(board: selectors.DayBoard) -> DayBoardOut:
    return DayBoardOut(
        class_id=board.school_class.pk,
        class_name=board.school_class.name,
        date=board.day,
        day_kind=board.day_kind,
        cap_minutes=board.cap,
        capped_minutes=board.load.capped_minutes,
        remaining_minutes=board.remaining,
        total_minutes=board.load.total_minutes,
        by_subject=board.load.by_subject,
        entries=[BoardEntryOut(item=_item_out(e.item), minutes_today=e.minutes_today) for e in board.entries],
    )


def _feedback_out(fb: HomeworkFeedback) -> FeedbackOut:
    return FeedbackOut(
        student_id=fb.student_id,
        date=fb.date,
        reported_minutes=fb.reported_minutes,
        unfinished_at_bedtime=fb.unfinished_at_bedtime,
        source=fb.source,
    )


def _compliance_out(c: selectors_monitoring.Compliance) -> ComplianceOut:
    return ComplianceOut(**{f: getattr(c, f) for f in ComplianceOut.model_fields})


# Items


@router.post("/items", response={201: ItemOut, **error_responses(400, 403, 404)}, summary="Assign homework to a class")
def item_assign(request: HttpRequest, payload: ItemAssignIn) -> Status[ItemOut]:
    draft = items.ItemDraft(
        subject=payload.subject,
        kind=payload.kind,
        layer=payload.layer,
        title=payload.title,
        instructions=payload.instructions,
        estimated_minutes=payload.estimated_minutes,
        start_date=payload.start_date or payload.due_date,
        due_date=payload.due_date,
        group_id=payload.group_id,
        asks_parent_to_grade=payload.asks_parent_to_grade,
        punitive=payload.punitive,
    )
    item = items.homework_assign(
        actor=actor(request), class_id=payload.class_id, draft=draft, today=timezone.localdate()
    )
    return Status(201, _item_out(item))


@router.get("/items/{item_id}", response={200: ItemOut, **error_responses(404)}, summary="One homework item")
def item_get(request: HttpRequest, item_id: int) -> ItemOut:
    return _item_out(selectors.item_get(actor=actor(request), item_id=item_id))


@router.patch(
    "/items/{item_id}", response={200: ItemOut, **error_responses(400, 403, 404)}, summary="Shorten or move an item"
)
def item_update(request: HttpRequest, item_id: int, payload: ItemUpdateIn) -> ItemOut:
    item = items.homework_update(
        actor=actor(request),
        item_id=item_id,
        estimated_minutes=payload.estimated_minutes,
        start_date=payload.start_date or payload.due_date,
        due_date=payload.due_date,
        today=timezone.localdate(),
    )
    return _item_out(item)


@router.delete(
    "/items/{item_id}", response={200: ItemOut, **error_responses(400, 403, 404)}, summary="Withdraw an item"
)
def item_withdraw(request: HttpRequest, item_id: int) -> ItemOut:
    return _item_out(items.homework_withdraw(actor=actor(request), item_id=item_id))


# The class's board (作业公示) and the coordinator's rebalance


@router.get(
    "/classes/{class_id}/board", response={200: DayBoardOut, **error_responses(404)}, summary="A class's daily board"
)
def class_board(request: HttpRequest, class_id: int, query: Query[DayBoardIn]) -> DayBoardOut:
    return _board_out(selectors.day_board(actor=actor(request), class_id=class_id, day=query.date))


@router.get(
    "/classes/{class_id}/week",
    response={200: WeekBoardOut, **error_responses(404)},
    summary="A class's boards for the week (Monday to Sunday) holding the date",
)
def class_week(request: HttpRequest, class_id: int, query: Query[DayBoardIn]) -> WeekBoardOut:
    boards = selectors.week_board(actor=actor(request), class_id=class_id, any_day=query.date)
    first = boards[0]
    return WeekBoardOut(
        class_id=first.school_class.pk,
        class_name=first.school_class.name,
        start=first.day,
        end=boards[-1].day,
        days=[_board_out(b) for b in boards],
    )


@router.post(
    "/classes/{class_id}/rebalance",
    response={200: list[ItemOut], **error_responses(400, 403, 404)},
    summary="Re-divide a day's minutes between one-day items (grade coordinator)",
)
def class_rebalance(request: HttpRequest, class_id: int, payload: RebalanceIn) -> list[ItemOut]:
    changed = items.homework_rebalance(
        actor=actor(request), class_id=class_id, day=payload.date, minutes_by_item=payload.minutes_by_item
    )
    return [_item_out(i) for i in changed]


# Completion feedback


@router.post(
    "/feedback",
    response={200: FeedbackOut, **error_responses(400, 404)},
    summary="Report a day's homework minutes for a child (guardian or student; the latest report counts)",
)
def feedback_submit(request: HttpRequest, payload: FeedbackIn) -> FeedbackOut:
    fb = feedback.feedback_submit(
        actor=actor(request),
        student_id=payload.student_id,
        day=payload.date,
        reported_minutes=payload.reported_minutes,
        unfinished_at_bedtime=payload.unfinished_at_bedtime,
        item_minutes=payload.item_minutes,
        today=timezone.localdate(),
    )
    return _feedback_out(fb)


@router.post(
    "/classes/{class_id}/feedback",
    response={200: FeedbackBatchOut, **error_responses(400, 403, 404)},
    summary="Enter a class's feedback for a day at once (head teacher)",
)
def feedback_batch(request: HttpRequest, class_id: int, payload: FeedbackBatchIn) -> FeedbackBatchOut:
    saved = feedback.feedback_batch_submit(
        actor=actor(request),
        class_id=class_id,
        day=payload.date,
        entries=[
            feedback.FeedbackEntry(e.student_id, e.reported_minutes, e.unfinished_at_bedtime) for e in payload.entries
        ],
        today=timezone.localdate(),
    )
    return FeedbackBatchOut(saved=saved)


# Monitoring


@router.get(
    "/monitoring/regions/{code}",
    response={200: ComplianceOut, **error_responses(404)},
    summary="Compliance of a county or city over a period (bureau, inspector)",
)
def region_monitoring(request: HttpRequest, code: str, period: Query[MonitoringPeriodIn]) -> ComplianceOut:
    return _compliance_out(
        selectors_monitoring.region_compliance(
            actor=actor(request), region_code=code, start=period.start, end=period.end, grade=period.grade
        )
    )


@router.get(
    "/monitoring/schools/{code}",
    response={200: ComplianceOut, **error_responses(404)},
    summary="Compliance of a school over a period",
)
def school_monitoring(request: HttpRequest, code: str, period: Query[MonitoringPeriodIn]) -> ComplianceOut:
    return _compliance_out(
        selectors_monitoring.school_compliance(
            actor=actor(request), school_code=code, start=period.start, end=period.end, grade=period.grade
        )
    )


@router.get(
    "/monitoring/classes/{class_id}",
    response={200: ComplianceOut, **error_responses(404)},
    summary="Compliance of a class over a period",
)
def class_monitoring(request: HttpRequest, class_id: int, period: Query[MonitoringPeriodIn]) -> ComplianceOut:
    return _compliance_out(
        selectors_monitoring.class_compliance(
            actor=actor(request), class_id=class_id, start=period.start, end=period.end
        )
    )


@router.get(
    "/monitoring/schools/{code}/classes-over",
    response={200: list[RepeatedlyOverOut], **error_responses(404)},
    summary="A school's classes repeatedly over the cap",
)
@paginate(Pagination)
def school_classes_over(request: HttpRequest, code: str, query: Query[RepeatedlyOverIn]) -> list[RepeatedlyOver]:
    return selectors_monitoring.classes_repeatedly_over(
        actor=actor(request), school_code=code, start=query.start, end=query.end, min_days=query.min_days
    )


@router.get(
    "/classes/{class_id}/support-list",
    response={200: list[RepeatedlyOverOut], **error_responses(404)},
    summary="Students repeatedly over the cap: the head teacher's support list (staff only)",
)
@paginate(Pagination)
def class_support_list(request: HttpRequest, class_id: int, query: Query[RepeatedlyOverIn]) -> list[RepeatedlyOver]:
    return selectors_monitoring.students_repeatedly_over(
        actor=actor(request), class_id=class_id, start=query.start, end=query.end, min_days=query.min_days
    )


# The showcase of good homework design (优质作业)


@router.post(
    "/showcase",
    response={201: SharedHomeworkOut, **error_responses(400, 403, 404)},
    summary="Share one of my items to my school's, county's or city's library",
)
def showcase_share(request: HttpRequest, payload: ShowcaseShareIn) -> Status[SharedHomework]:
    return Status(201, showcase.showcase_share(actor=actor(request), item_id=payload.item_id, scope=payload.scope))


@router.get(
    "/showcase",
    response={200: list[SharedHomeworkOut], **error_responses()},
    summary="Browse the libraries I belong to (by grade, subject, layer, kind, library)",
)
@paginate(Pagination)
def showcase_list(request: HttpRequest, filters: Query[ShowcaseFilterIn]) -> QuerySet[SharedHomework]:
    return selectors_showcase.showcase_list(
        actor=actor(request), filters=selectors_showcase.ShowcaseFilters(**filters.model_dump())
    )


@router.get(
    "/showcase/{shared_id}", response={200: SharedHomeworkOut, **error_responses(404)}, summary="One shared item"
)
def showcase_get(request: HttpRequest, shared_id: int) -> SharedHomework:
    return selectors_showcase.showcase_get(actor=actor(request), shared_id=shared_id)


@router.post(
    "/showcase/{shared_id}/reuse",
    response={201: ItemOut, **error_responses(400, 403, 404)},
    summary="Assign a shared item to a class I teach (the cap applies)",
)
def showcase_reuse(request: HttpRequest, shared_id: int, payload: ShowcaseReuseIn) -> Status[ItemOut]:
    item = showcase.showcase_reuse(
        actor=actor(request),
        shared_id=shared_id,
        class_id=payload.class_id,
        due_date=payload.due_date,
        start_date=payload.start_date,
        estimated_minutes=payload.estimated_minutes,
        layer=payload.layer,
        group_id=payload.group_id,
        today=timezone.localdate(),
    )
    return Status(201, _item_out(item))


# Complaints about homework load


@router.post(
    "/complaints",
    response={201: ComplaintGetOut, **error_responses(400, 404)},
    summary="File a complaint about the homework load of my child's class (guardian)",
)
def complaint_file(request: HttpRequest, payload: ComplaintFileIn) -> Status[HomeworkComplaint]:
    complaint = complaints.complaint_file(
        actor=actor(request),
        student_id=payload.student_id,
        text=payload.text,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, complaint)


@router.get(
    "/complaints",
    response={200: list[ComplaintListOut], **error_responses()},
    summary="Complaints I filed or handle",
)
@paginate(Pagination)
def complaint_list(request: HttpRequest, query: Query[ComplaintListIn]) -> QuerySet[HomeworkComplaint]:
    return selectors_complaints.complaint_list(actor=actor(request), status=query.status)


@router.get(
    "/complaints/{reference}",
    response={200: ComplaintGetOut, **error_responses(404)},
    summary="Follow a complaint by its reference number",
)
def complaint_get(request: HttpRequest, reference: str) -> HomeworkComplaint:
    return selectors_complaints.complaint_get(actor=actor(request), reference=reference)


@router.post(
    "/complaints/{reference}/respond",
    response={200: ComplaintGetOut, **error_responses(400, 403, 404)},
    summary="Answer or close a complaint (school leader; the bureau once escalated)",
)
def complaint_respond(request: HttpRequest, reference: str, payload: ComplaintRespondIn) -> HomeworkComplaint:
    return complaints.complaint_respond(
        actor=actor(request), reference=reference, response=payload.response, close=payload.close
    )
