"""/api/v1/training complaint handling (mounted by training.api): hotline intake, the supervisor's desk, one
complaint with its timeline and the moves of its lifecycle (inspectors and the bureau of the region), the
operator's view of complaints about its own institution with its written response, joint sanctions from a
substantiated complaint (bureau), and the leader's overview. One operation per endpoint."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import error_responses
from shuangjian.training import selectors_complaints
from shuangjian.training.models import Complaint, ComplaintEvent, Sanction
from shuangjian.training.schemas import SanctionOut
from shuangjian.training.schemas_complaints import (
    ComplaintAssignIn,
    ComplaintEventOut,
    ComplaintNoteIn,
    ComplaintOut,
    ComplaintOverviewOut,
    ComplaintRejectIn,
    ComplaintReopenIn,
    ComplaintResolveIn,
    ComplaintResponseIn,
    ComplaintTriageIn,
    HotlineIntakeIn,
    InstitutionComplaintOut,
    JointSanctionIn,
)
from shuangjian.training.services import complaint_handling as handling
from shuangjian.training.services import complaints

router = Router(tags=["training"])
_WRITE_ERRORS = error_responses(400, 403, 404)


@router.post(
    "/complaints/hotline",
    response={201: ComplaintOut, **_WRITE_ERRORS},
    summary="Record a 12345 / 12315 hotline hand-over (inspectors, bureau of the county)",
)
def complaint_intake_hotline(request: HttpRequest, payload: HotlineIntakeIn) -> Status[Complaint]:
    draft = complaints.hotline_draft(payload.model_dump())
    return Status(201, complaints.complaint_intake_hotline(actor=actor(request), draft=draft))


@router.get(
    "/complaints/overview",
    response={200: ComplaintOverviewOut, **error_responses()},
    summary="Counts for the leader's charts: complaints by status and month, institutions by licence status, "
    "cancellations by month",
)
def complaint_overview(request: HttpRequest) -> selectors_complaints.Overview:
    return selectors_complaints.overview(actor=actor(request), today=timezone.localdate())


@router.get(
    "/complaints/{complaint_id}",
    response={200: ComplaintOut, **error_responses(404)},
    summary="One complaint of the caller's region, with the complainant's masked phone",
)
def complaint_get(request: HttpRequest, complaint_id: int) -> Complaint:
    return selectors_complaints.complaint_get(actor=actor(request), complaint_id=complaint_id)


@router.get(
    "/complaints/{complaint_id}/events",
    response={200: list[ComplaintEventOut], **error_responses(404)},
    summary="The complaint's timeline: every move, note and reminder, oldest first",
)
@paginate(Pagination)
def complaint_events(request: HttpRequest, complaint_id: int) -> QuerySet[ComplaintEvent]:
    return selectors_complaints.complaint_events(actor=actor(request), complaint_id=complaint_id)


@router.post("/complaints/{complaint_id}/triage", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Accept a received complaint with its category and priority")  # fmt: skip
def complaint_triage(request: HttpRequest, complaint_id: int, payload: ComplaintTriageIn) -> Complaint:
    return handling.complaint_triage(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/reject", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Reject a received complaint as out of scope, with the reason")  # fmt: skip
def complaint_reject(request: HttpRequest, complaint_id: int, payload: ComplaintRejectIn) -> Complaint:
    return handling.complaint_reject(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/assign", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Assign (or reassign) the complaint to an inspector of its region")  # fmt: skip
def complaint_assign(request: HttpRequest, complaint_id: int, payload: ComplaintAssignIn) -> Complaint:
    return handling.complaint_assign(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/investigate", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Start the investigation of an assigned complaint")  # fmt: skip
def complaint_investigate(request: HttpRequest, complaint_id: int, payload: ComplaintNoteIn) -> Complaint:
    return handling.complaint_investigate(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/notes", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Add an investigation note (internal: never shown to the complainant or operator)")  # fmt: skip
def complaint_note(request: HttpRequest, complaint_id: int, payload: ComplaintNoteIn) -> Complaint:
    return handling.complaint_note(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/resolve", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Resolve with the outcome and the reply the complainant reads")  # fmt: skip
def complaint_resolve(request: HttpRequest, complaint_id: int, payload: ComplaintResolveIn) -> Complaint:
    return handling.complaint_resolve(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/close", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Close a resolved or rejected complaint")  # fmt: skip
def complaint_close(request: HttpRequest, complaint_id: int, payload: ComplaintNoteIn) -> Complaint:
    return handling.complaint_close(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post("/complaints/{complaint_id}/reopen", response={200: ComplaintOut, **_WRITE_ERRORS},
             summary="Reopen a resolved (back to investigation) or rejected (back to triage) complaint")  # fmt: skip
def complaint_reopen(request: HttpRequest, complaint_id: int, payload: ComplaintReopenIn) -> Complaint:
    return handling.complaint_reopen(actor=actor(request), complaint_id=complaint_id, **payload.model_dump())


@router.post(
    "/complaints/{complaint_id}/joint-sanction",
    response={201: SanctionOut, **_WRITE_ERRORS},
    summary="Record a joint sanction (联合惩戒) on the institution of a substantiated complaint (bureau)",
)
def joint_sanction(request: HttpRequest, complaint_id: int, payload: JointSanctionIn) -> Status[Sanction]:
    data = payload.model_dump()
    draft = handling.JointSanctionDraft(**{**data, "partners": tuple(data["partners"])})
    return Status(
        201, handling.joint_sanction_from_complaint(actor=actor(request), complaint_id=complaint_id, draft=draft)
    )


# The operator's side


@router.get(
    "/institutions/{institution_id}/complaints",
    response={200: list[InstitutionComplaintOut], **error_responses(404)},
    summary="Complaints about an institution: status and reply, never who complained (operator, supervisors)",
)
@paginate(Pagination)
def institution_complaints(request: HttpRequest, institution_id: int) -> QuerySet[Complaint]:
    return selectors_complaints.institution_complaints(actor=actor(request), institution_id=institution_id)


@router.post(
    "/institution-complaints/{complaint_id}/response",
    response={200: InstitutionComplaintOut, **_WRITE_ERRORS},
    summary="The institution's written response to a complaint about it (its operator)",
)
def complaint_respond(request: HttpRequest, complaint_id: int, payload: ComplaintResponseIn) -> Complaint:
    return handling.complaint_respond(actor=actor(request), complaint_id=complaint_id, response=payload.response)
