"""/api/v1/training/supervision: the early warning (scores, warning notices, appeals and decisions) and the periodic
reports as data. One operation per endpoint; each calls one service or selector. Supervisors (bureau, inspectors)
reach their region, an operator its own institution's warnings; only the operator appeals, only the bureau decides.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses
from shuangjian.supervision import selectors
from shuangjian.supervision.models import RiskScore, RiskWarning
from shuangjian.supervision.schemas import (
    ReportIn,
    ReportOut,
    ScoreFilterIn,
    ScoreOut,
    WarningAppealIn,
    WarningDecisionIn,
    WarningDetailOut,
    WarningFilterIn,
    WarningOut,
)
from shuangjian.supervision.selectors import reports
from shuangjian.supervision.services import warnings

router = Router(tags=["supervision"])


@router.get(
    "/scores",
    response={200: list[ScoreOut], **error_responses()},
    summary="Risk scores of one day (default: the latest scored), riskiest first",
)
@paginate(Pagination)
def score_list(request: HttpRequest, filters: Query[ScoreFilterIn]) -> QuerySet[RiskScore]:
    return selectors.score_list(actor=actor(request), on=filters.on, min_level=filters.min_level)


@router.get(
    "/warnings",
    response={200: list[WarningOut], **error_responses()},
    summary="RiskWarning notices the caller supervises or received, newest first",
)
@paginate(Pagination)
def warning_list(request: HttpRequest, filters: Query[WarningFilterIn]) -> QuerySet[RiskWarning]:
    return selectors.warning_list(actor=actor(request), status=filters.status)


@router.get(
    "/warnings/{warning_id}",
    response={200: WarningDetailOut, **error_responses(404)},
    summary="One warning notice with its record (issued, appealed, decided)",
)
def warning_get(request: HttpRequest, warning_id: int) -> RiskWarning:
    return selectors.warning_get(actor=actor(request), warning_id=warning_id)


@router.post(
    "/warnings/{warning_id}/appeal",
    response={200: WarningOut, **error_responses(400, 403, 404)},
    summary="Appeal a warning notice with reasons, before the appeal deadline (the institution's operator)",
)
def warning_appeal(request: HttpRequest, warning_id: int, payload: WarningAppealIn) -> RiskWarning:
    return warnings.warning_appeal(actor=actor(request), warning_id=warning_id, text=payload.text)


@router.post(
    "/warnings/{warning_id}/decision",
    response={200: WarningOut, **error_responses(400, 403, 404)},
    summary="Uphold or withdraw an appealed warning notice, with the reason (bureau)",
)
def warning_decide(request: HttpRequest, warning_id: int, payload: WarningDecisionIn) -> RiskWarning:
    return warnings.warning_decide(
        actor=actor(request), warning_id=warning_id, decision=payload.decision, reason=payload.reason
    )


@router.get(
    "/reports",
    response={200: ReportOut, **error_responses(400, 403, 404)},
    summary="A periodic report of a region and period as rows in the region's column layout (bureau, inspectors)",
)
def report_get(request: HttpRequest, filters: Query[ReportIn]) -> dict[str, Any]:
    report = reports.report_for_request(
        actor=actor(request), kind=filters.kind, region_code=filters.region, start=filters.start, end=filters.end
    )
    return {
        "kind": report.kind,
        "title": str(report.layout.title),
        "region": report.region.code,
        "start": report.start,
        "end": report.end,
        "columns": [c.key for c in report.layout.columns],
        "headers": [str(c.header) for c in report.layout.columns],
        "rows": report.table,
        "total": report.total_row,
    }
