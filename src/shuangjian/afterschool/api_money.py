"""/api/v1/afterschool (continued): staffing, fees and waivers, the satisfaction survey, cancelling an absence.
Mounted on the app's router by api.py; one operation per endpoint, each calling one service or selector."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.afterschool import selectors_staffing, selectors_survey
from shuangjian.afterschool.models_fees import FeeRecord, FeeSchedule, FeeWaiver
from shuangjian.afterschool.models_staffing import StaffDuty
from shuangjian.afterschool.schemas import ParticipationIn
from shuangjian.afterschool.schemas_money import (
    AbsenceCancelOut,
    ChildFeeOut,
    DutyAssignIn,
    DutyOut,
    DutyRemoveOut,
    FeeBookFilterIn,
    FeeBookOut,
    FeeScheduleOut,
    FeeSetIn,
    PaymentOut,
    PaymentRecordIn,
    StaffingOut,
    SurveyAnsweredOut,
    SurveyAnswerIn,
    SurveyResultsOut,
    WaiverGrantIn,
    WaiverOut,
)
from shuangjian.afterschool.services import attendance, fees, staffing, survey
from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses

router = Router(tags=["afterschool"])

# Staffing


@router.post(
    "/plans/{plan_id}/duties",
    response={201: DutyOut, **error_responses(400, 403, 404)},
    summary="Put a staff member or a named external person on a block of a weekday (school leader)",
)
def duty_assign(request: HttpRequest, plan_id: int, payload: DutyAssignIn) -> Status[StaffDuty]:
    duty = staffing.duty_assign(
        actor=actor(request),
        plan_id=plan_id,
        weekday=payload.weekday,
        block_number=payload.block,
        staff_id=payload.staff_id,
        external_name=payload.external_name,
        external_provider=payload.external_provider,
        external_qualification=payload.external_qualification,
        class_id=payload.class_id,
        offering_id=payload.offering_id,
    )
    return Status(201, duty)


@router.get(
    "/plans/{plan_id}/duties",
    response={200: list[DutyOut], **error_responses(404)},
    summary="A plan's weekly duties (school leaders, the bureau, inspectors)",
)
@paginate(Pagination)
def duty_list(request: HttpRequest, plan_id: int) -> QuerySet[StaffDuty]:
    return selectors_staffing.duty_list(actor=actor(request), plan_id=plan_id)


@router.delete(
    "/duties/{duty_id}",
    response={200: DutyRemoveOut, **error_responses(403, 404)},
    summary="Take a duty off the plan (school leader)",
)
def duty_remove(request: HttpRequest, duty_id: int) -> dict[str, bool]:
    return {"removed": staffing.duty_remove(actor=actor(request), duty_id=duty_id)}


@router.get(
    "/plans/{plan_id}/staffing",
    response={200: StaffingOut, **error_responses(404)},
    summary="Each person's term: class hours, flexible-hours entitlement, subsidy; the school's spread",
)
def staffing_get(request: HttpRequest, plan_id: int) -> selectors_staffing.Staffing:
    return selectors_staffing.staffing(actor=actor(request), plan_id=plan_id)


# Fees


@router.put(
    "/plans/{plan_id}/fee",
    response={200: FeeScheduleOut, **error_responses(400, 403, 404)},
    summary="Publish the plan's fee per student per term, 0 for free service (school leader; region's limits)",
)
def fee_set(request: HttpRequest, plan_id: int, payload: FeeSetIn) -> FeeSchedule:
    return fees.fee_set(
        actor=actor(request),
        plan_id=plan_id,
        fee_fen_per_term=payload.fee_fen_per_term,
        items=payload.items,
        funding_note=payload.funding_note,
    )


@router.get(
    "/plans/{plan_id}/fee",
    response={200: FeeScheduleOut, **error_responses(404)},
    summary="The plan's published fee (whoever reaches the school)",
)
def fee_get(request: HttpRequest, plan_id: int) -> FeeSchedule:
    return selectors_staffing.fee_schedule_get(actor=actor(request), plan_id=plan_id)


@router.get(
    "/plans/{plan_id}/fee-book",
    response={200: FeeBookOut, **error_responses(404)},
    summary="Who owes what, who is waived, who has paid: 50 children a page (school leaders, bureau, inspectors)",
)
def fee_book(request: HttpRequest, plan_id: int, filters: Query[FeeBookFilterIn]) -> selectors_staffing.FeeBook:
    return selectors_staffing.fee_book(
        actor=actor(request), plan_id=plan_id, status=filters.status or "", school_class_id=filters.class_id,
        page=filters.page,
    )  # fmt: skip


@router.post(
    "/enrolments/{enrolment_id}/waiver",
    response={201: WaiverOut, **error_responses(400, 403, 404)},
    summary="Reduce or waive the fee of a family in need, with a reason only the school sees (school leader)",
)
def waiver_grant(request: HttpRequest, enrolment_id: int, payload: WaiverGrantIn) -> Status[FeeWaiver]:
    waiver = fees.waiver_grant(
        actor=actor(request),
        enrolment_id=enrolment_id,
        category=payload.category,
        reason=payload.reason,
        waived_fen=payload.waived_fen,
    )
    return Status(201, waiver)


@router.put(
    "/enrolments/{enrolment_id}/payment",
    response={200: PaymentOut, **error_responses(400, 403, 404)},
    summary="Record whether a family has paid this term (school leader; no money is handled)",
)
def payment_record(request: HttpRequest, enrolment_id: int, payload: PaymentRecordIn) -> FeeRecord:
    return fees.payment_record(actor=actor(request), enrolment_id=enrolment_id, paid=payload.paid, note=payload.note)


@router.get(
    "/enrolments/{enrolment_id}/fee",
    response={200: ChildFeeOut, **error_responses(404)},
    summary="What a family owes for an enrolment, or that it is waived (the family, school staff)",
)
def child_fee(request: HttpRequest, enrolment_id: int) -> selectors_staffing.ChildFee:
    return selectors_staffing.child_fee(actor=actor(request), enrolment_id=enrolment_id)


# The survey


@router.post(
    "/students/{student_id}/survey",
    response={201: SurveyAnsweredOut, **error_responses(400, 404)},
    summary="Answer this term's satisfaction survey for my child, anonymously, once (guardian)",
)
def survey_answer(request: HttpRequest, student_id: int, payload: SurveyAnswerIn) -> Status[dict[str, bool]]:
    scores = payload.model_dump(exclude={"comment"})
    survey.survey_answer(actor=actor(request), student_id=student_id, scores=scores, comment=payload.comment)
    return Status(201, {"answered": True})


@router.get(
    "/survey/schools/{code}",
    response={200: SurveyResultsOut, **error_responses(404)},
    summary="A school's survey results, aggregated and suppressed below the minimum cell size",
)
def school_survey(request: HttpRequest, code: str, query: Query[ParticipationIn]) -> selectors_survey.SurveyResults:
    on = query.on or timezone.localdate()
    return selectors_survey.school_survey(actor=actor(request), school_code=code, on=on)


@router.get(
    "/survey/regions/{code}",
    response={200: SurveyResultsOut, **error_responses(404)},
    summary="A region's survey results per school, aggregated and suppressed below the minimum cell size",
)
def region_survey(request: HttpRequest, code: str, query: Query[ParticipationIn]) -> selectors_survey.SurveyResults:
    on = query.on or timezone.localdate()
    return selectors_survey.region_survey(actor=actor(request), region_code=code, on=on)


# Absences


@router.delete(
    "/absences/{absence_id}",
    response={200: AbsenceCancelOut, **error_responses(400, 404)},
    summary="Take back my child's absence report from today on (guardian)",
)
def absence_cancel(request: HttpRequest, absence_id: int) -> dict[str, object]:
    report = attendance.absence_cancel(actor=actor(request), absence_id=absence_id)
    return {"id": absence_id, "removed": report is None, "end_date": None if report is None else report.end_date}
