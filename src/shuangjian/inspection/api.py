"""/api/v1/training/inspections: one operation per endpoint; each calls one service or selector.

The checklist of banned practices and the campaigns (bureau); field inspections and orders to rectify (inspectors and
bureau staff; the operator reads its own institution's and reports its rectification); unlicensed training cases.
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
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.models import Campaign, ChecklistItem, Inspection, RectificationOrder, UnlicensedCase
from shuangjian.inspection.schemas import (
    CampaignCreateIn,
    CampaignOut,
    CampaignProgressOut,
    CampaignUpdateIn,
    CaseAdvanceIn,
    CaseCreateIn,
    CaseFilterIn,
    CaseOut,
    ChecklistItemActiveIn,
    ChecklistItemIn,
    ChecklistItemOut,
    InspectionCreateIn,
    InspectionDetailOut,
    InspectionFilterIn,
    InspectionOut,
    OrderFilterIn,
    OrderFollowUpIn,
    OrderIssueIn,
    OrderOut,
    OrderReportIn,
)
from shuangjian.inspection.services import cases, inspections, orders, planning

router = Router(tags=["inspection"])


# The checklist


@router.get("/checklist", response={200: list[ChecklistItemOut], **error_responses()}, summary="The checklist items")
@paginate(Pagination)
def checklist_list(request: HttpRequest) -> QuerySet[ChecklistItem]:
    return selectors.checklist_list(actor=actor(request))


@router.post(
    "/checklist",
    response={201: ChecklistItemOut, **error_responses(400, 403, 404)},
    summary="Add a banned practice to a city's or county's checklist (bureau)",
)
def checklist_item_add(request: HttpRequest, payload: ChecklistItemIn) -> Status[ChecklistItem]:
    draft = planning.ItemDraft(**payload.model_dump())
    return Status(201, planning.checklist_item_add(actor=actor(request), draft=draft))


@router.patch(
    "/checklist/{item_id}",
    response={200: ChecklistItemOut, **error_responses(400, 403, 404)},
    summary="Retire a checklist item or bring it back (bureau)",
)
def checklist_item_set_active(request: HttpRequest, item_id: int, payload: ChecklistItemActiveIn) -> ChecklistItem:
    return planning.checklist_item_set_active(actor=actor(request), item_id=item_id, active=payload.active)


# Campaigns


@router.get("/campaigns", response={200: list[CampaignOut], **error_responses()}, summary="The campaigns")
@paginate(Pagination)
def campaign_list(request: HttpRequest) -> QuerySet[Campaign]:
    return selectors.campaign_list(actor=actor(request))


@router.post(
    "/campaigns",
    response={201: CampaignOut, **error_responses(400, 403, 404)},
    summary="Launch a special rectification campaign (bureau)",
)
def campaign_create(request: HttpRequest, payload: CampaignCreateIn) -> Status[Campaign]:
    data = payload.model_dump()
    draft = planning.CampaignDraft(**{**data, "target_kinds": tuple(data["target_kinds"])})
    return Status(201, planning.campaign_create(actor=actor(request), draft=draft))


@router.patch(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **error_responses(400, 403, 404)},
    summary="Correct a planned or running campaign: name, period, targets (bureau)",
)
def campaign_update(request: HttpRequest, campaign_id: int, payload: CampaignUpdateIn) -> Campaign:
    data = payload.model_dump()
    changes = planning.CampaignChanges(**{**data, "target_kinds": tuple(data["target_kinds"])})
    return planning.campaign_update(actor=actor(request), campaign_id=campaign_id, changes=changes)


@router.post(
    "/campaigns/{campaign_id}/close",
    response={200: CampaignOut, **error_responses(400, 403, 404)},
    summary="End a running campaign today (bureau)",
)
def campaign_close(request: HttpRequest, campaign_id: int) -> Campaign:
    return planning.campaign_close(actor=actor(request), campaign_id=campaign_id)


@router.get(
    "/campaigns/{campaign_id}/progress",
    response={200: CampaignProgressOut, **error_responses(404)},
    summary="A campaign's progress per county: inspections against the target, failed findings, orders",
)
def campaign_progress(request: HttpRequest, campaign_id: int) -> dict[str, object]:
    campaign, counties = selectors.campaign_progress(actor=actor(request), campaign_id=campaign_id)
    phase = rules.campaign_phase(campaign.starts_on, campaign.ends_on, timezone.localdate())
    return {"campaign": campaign, "phase": phase, "counties": counties}


# Inspections and orders


@router.get("", response={200: list[InspectionOut], **error_responses()}, summary="Field inspections")
@paginate(Pagination)
def inspection_list(request: HttpRequest, filters: Query[InspectionFilterIn]) -> QuerySet[Inspection]:
    return selectors.inspection_list(actor=actor(request), campaign_id=filters.campaign_id)


@router.post(
    "",
    response={201: InspectionDetailOut, **error_responses(400, 403, 404)},
    summary="Record a field inspection with a result for every checklist item (inspectors, bureau)",
)
def inspection_record(request: HttpRequest, payload: InspectionCreateIn) -> Status[Inspection]:
    data = payload.model_dump(exclude={"findings", "co_inspector_ids"})
    results = {f.item_id: (f.result, f.note) for f in payload.findings}
    draft = inspections.InspectionDraft(**data, results=results, co_inspector_ids=tuple(payload.co_inspector_ids))
    created = inspections.inspection_record(actor=actor(request), draft=draft)
    return Status(201, selectors.inspection_get(actor=actor(request), inspection_id=created.pk))


@router.get(
    "/{int:inspection_id}",
    response={200: InspectionDetailOut, **error_responses(404)},
    summary="One inspection with its findings",
)
def inspection_get(request: HttpRequest, inspection_id: int) -> Inspection:
    return selectors.inspection_get(actor=actor(request), inspection_id=inspection_id)


@router.post(
    "/{int:inspection_id}/order",
    response={201: OrderOut, **error_responses(400, 403, 404)},
    summary="Order the institution to rectify the inspection's failed items (inspectors, bureau)",
)
def order_issue(request: HttpRequest, inspection_id: int, payload: OrderIssueIn) -> Status[RectificationOrder]:
    order = inspections.order_issue(
        actor=actor(request), inspection_id=inspection_id, requirements=payload.requirements, deadline=payload.deadline
    )
    return Status(201, order)


@router.get(
    "/orders",
    response={200: list[OrderOut], **error_responses()},
    summary="Orders to rectify (filter: overdue, status)",
)
@paginate(Pagination)
def order_list(request: HttpRequest, filters: Query[OrderFilterIn]) -> QuerySet[RectificationOrder]:
    overdue_on = timezone.localdate() if filters.overdue else None
    return selectors.order_list(actor=actor(request), overdue_on=overdue_on, status=filters.status)


@router.get("/orders/{order_id}", response={200: OrderOut, **error_responses(404)}, summary="One order to rectify")
def order_get(request: HttpRequest, order_id: int) -> RectificationOrder:
    return selectors.order_get(actor=actor(request), order_id=order_id)


@router.post(
    "/orders/{order_id}/report",
    response={200: OrderOut, **error_responses(400, 403, 404)},
    summary="Report the rectification (the institution's operator)",
)
def order_report(request: HttpRequest, order_id: int, payload: OrderReportIn) -> RectificationOrder:
    return orders.order_report(actor=actor(request), order_id=order_id, report=payload.report)


@router.post(
    "/orders/{order_id}/follow-up",
    response={200: OrderOut, **error_responses(400, 403, 404)},
    summary="Follow up an order: confirm the rectification or escalate with a sanction recommendation",
)
def order_follow_up(request: HttpRequest, order_id: int, payload: OrderFollowUpIn) -> RectificationOrder:
    return orders.order_follow_up(
        actor=actor(request),
        order_id=order_id,
        confirmed=payload.confirmed,
        note=payload.note,
        co_inspector_ids=tuple(payload.co_inspector_ids),
        recommended_sanction=payload.recommended_sanction,
    )


# Unlicensed training


@router.get("/cases", response={200: list[CaseOut], **error_responses()}, summary="Unlicensed training cases")
@paginate(Pagination)
def case_list(request: HttpRequest, filters: Query[CaseFilterIn]) -> QuerySet[UnlicensedCase]:
    return selectors.case_list(actor=actor(request), status=filters.status)


@router.post(
    "/cases",
    response={201: CaseOut, **error_responses(400, 403, 404)},
    summary="Report an unlicensed training site (inspectors, bureau)",
)
def case_report(request: HttpRequest, payload: CaseCreateIn) -> Status[UnlicensedCase]:
    return Status(201, cases.case_report(actor=actor(request), draft=cases.CaseDraft(**payload.model_dump())))


@router.post(
    "/cases/{case_id}/advance",
    response={200: CaseOut, **error_responses(400, 403, 404)},
    summary="Verify, dismiss, order closure, close or re-check a case",
)
def case_advance(request: HttpRequest, case_id: int, payload: CaseAdvanceIn) -> UnlicensedCase:
    return cases.case_advance(actor=actor(request), case_id=case_id, **payload.model_dump())
