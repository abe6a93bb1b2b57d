"""/api/v1/training: one operation per endpoint; each calls one service or selector.

The registry with its licence lifecycle, supervised account, sanctions and event record (bureau); sites
and staff (bureau, the institution's operator); courses with their timetables (the operator); the region's guidance
prices; the rule violations found in existing courses (supervisors). The public lookup and the sanction list need
no login and are cached (training.public_cache): they read no session.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.core.api_auth import actor
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import ErrorOut, error_responses
from shuangjian.training import selectors, selectors_complaints, selectors_public
from shuangjian.training.api_complaints import router as complaints_router
from shuangjian.training.models import (
    Complaint,
    Course,
    GuidancePrice,
    GuidancePriceChange,
    Institution,
    InstitutionEvent,
    InstitutionStaff,
    Sanction,
    Site,
)
from shuangjian.training.public_cache import public_page
from shuangjian.training.schemas import (
    ComplaintCreateIn,
    ComplaintFollowIn,
    ComplaintFollowOut,
    CourseCreateIn,
    CourseOut,
    EventOut,
    GuidancePriceChangeOut,
    GuidancePriceFilterIn,
    GuidancePriceHistoryFilterIn,
    GuidancePriceIn,
    GuidancePriceOut,
    InstitutionCreateIn,
    InstitutionFilterIn,
    InstitutionOut,
    InstitutionUpdateIn,
    LicenceChangeIn,
    PublicInstitutionDetailOut,
    PublicLookupIn,
    PublicSanctionOut,
    PublicSearchOut,
    SanctionCreateIn,
    SanctionOut,
    SiteCreateIn,
    SiteOut,
    StaffCreateIn,
    StaffOut,
    SupervisionIn,
    ViolationOut,
)
from shuangjian.training.schemas_complaints import ComplaintFilterIn, ComplaintOut
from shuangjian.training.services import complaints, courses, premises, registry

router = Router(tags=["training"])
router.add_router("", complaints_router)

# The registry


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], **error_responses()},
    summary="The institutions the caller supervises or runs (filter by licence status, name or credit code)",
)
@paginate(Pagination)
def institution_list(request: HttpRequest, filters: Query[InstitutionFilterIn]) -> QuerySet[Institution]:
    return selectors.institution_list(actor=actor(request), status=filters.status, query=filters.q)


@router.post(
    "/institutions",
    response={201: InstitutionOut, **error_responses(400, 403, 404)},
    summary="Register an institution in a county's registry (bureau); its licence starts as applied",
)
def institution_register(request: HttpRequest, payload: InstitutionCreateIn) -> Status[Institution]:
    draft = registry.InstitutionDraft(**payload.model_dump())
    return Status(201, registry.institution_register(actor=actor(request), draft=draft))


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, **error_responses(404)},
    summary="One institution's registry data",
)
def institution_get(request: HttpRequest, institution_id: int) -> Institution:
    return selectors.institution_get(actor=actor(request), institution_id=institution_id)


@router.patch(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, **error_responses(400, 403, 404)},
    summary="Correct registry data (bureau); the change is recorded with its reason",
)
def institution_update(request: HttpRequest, institution_id: int, payload: InstitutionUpdateIn) -> Institution:
    changes = {k: v for k, v in payload.model_dump(exclude={"reason"}).items() if v is not None}
    return registry.institution_update(
        actor=actor(request), institution_id=institution_id, changes=changes, reason=payload.reason
    )


@router.post(
    "/institutions/{institution_id}/licence",
    response={200: InstitutionOut, **error_responses(400, 403, 404)},
    summary="Approve, suspend, reinstate or cancel the licence (bureau)",
)
def licence_change(request: HttpRequest, institution_id: int, payload: LicenceChangeIn) -> Institution:
    return registry.licence_change(actor=actor(request), institution_id=institution_id, **payload.model_dump())


@router.post(
    "/institutions/{institution_id}/supervision",
    response={200: InstitutionOut, **error_responses(400, 403, 404)},
    summary="Record the institution's supervised account: custodian bank and opening date (bureau)",
)
def supervision_record(request: HttpRequest, institution_id: int, payload: SupervisionIn) -> Institution:
    return registry.supervision_record(actor=actor(request), institution_id=institution_id, **payload.model_dump())


@router.get(
    "/institutions/{institution_id}/events",
    response={200: list[EventOut], **error_responses(404)},
    summary="Every registry change: who, when, why (newest first)",
)
@paginate(Pagination)
def event_list(request: HttpRequest, institution_id: int) -> QuerySet[InstitutionEvent]:
    return selectors.event_list(actor=actor(request), institution_id=institution_id)


@router.post(
    "/institutions/{institution_id}/sanctions",
    response={201: SanctionOut, **error_responses(400, 403, 404)},
    summary="Put the institution on the sanction list (bureau)",
)
def sanction_add(request: HttpRequest, institution_id: int, payload: SanctionCreateIn) -> Status[Sanction]:
    data = payload.model_dump()
    draft = registry.SanctionDraft(**{**data, "partners": tuple(data["partners"])})
    return Status(201, registry.sanction_add(actor=actor(request), institution_id=institution_id, draft=draft))


# Sites and staff


@router.get(
    "/institutions/{institution_id}/sites",
    response={200: list[SiteOut], **error_responses(404)},
    summary="The institution's training sites",
)
@paginate(Pagination)
def site_list(request: HttpRequest, institution_id: int) -> QuerySet[Site]:
    return selectors.site_list(actor=actor(request), institution_id=institution_id)


@router.post(
    "/institutions/{institution_id}/sites",
    response={201: SiteOut, **error_responses(400, 403, 404)},
    summary="Add a training site (bureau, the institution's operator)",
)
def site_add(request: HttpRequest, institution_id: int, payload: SiteCreateIn) -> Status[Site]:
    site = premises.site_add(actor=actor(request), institution_id=institution_id, **payload.model_dump())
    return Status(201, site)


@router.get(
    "/institutions/{institution_id}/staff",
    response={200: list[StaffOut], **error_responses(404)},
    summary="The institution's staff with their teacher-qualification numbers (supervisors, the operator)",
)
@paginate(Pagination)
def staff_list(request: HttpRequest, institution_id: int) -> QuerySet[InstitutionStaff]:
    return selectors.staff_list(actor=actor(request), institution_id=institution_id)


@router.post(
    "/institutions/{institution_id}/staff",
    response={201: StaffOut, **error_responses(400, 403, 404)},
    summary="Add a staff member; academic teaching staff need a teacher-qualification number",
)
def staff_add(request: HttpRequest, institution_id: int, payload: StaffCreateIn) -> Status[InstitutionStaff]:
    member = premises.staff_add(actor=actor(request), institution_id=institution_id, **payload.model_dump())
    return Status(201, member)


# Courses and guidance prices


@router.get(
    "/institutions/{institution_id}/courses",
    response={200: list[CourseOut], **error_responses(404)},
    summary="The institution's courses with their timetables",
)
@paginate(Pagination)
def course_list(request: HttpRequest, institution_id: int) -> QuerySet[Course]:
    return selectors.course_list(actor=actor(request), institution_id=institution_id)


@router.post(
    "/institutions/{institution_id}/courses",
    response={201: CourseOut, **error_responses(400, 403, 404)},
    summary="Enter a course with its timetable (the operator); refused when it breaks a schedule or fee rule",
)
def course_create(request: HttpRequest, institution_id: int, payload: CourseCreateIn) -> Status[Course]:
    data = payload.model_dump(exclude={"sittings"})
    sittings = tuple(courses.SittingDraft(s.start, s.end, s.weekday, s.day) for s in payload.sittings)
    draft = courses.CourseDraft(**data, sittings=sittings)
    course = courses.course_create(actor=actor(request), institution_id=institution_id, draft=draft)
    return Status(201, selectors.course_get(actor=actor(request), course_id=course.pk))


@router.post(
    "/courses/{course_id}/withdraw",
    response={200: CourseOut, **error_responses(403, 404)},
    summary="Take a course off (the operator)",
)
def course_withdraw(request: HttpRequest, course_id: int) -> Course:
    return courses.course_withdraw(actor=actor(request), course_id=course_id)


@router.post(
    "/guidance-prices",
    response={200: GuidancePriceOut, **error_responses(400, 403, 404)},
    summary="Set a region's guidance base price for one standard lesson of a subject and mode (bureau)",
)
def guidance_price_set(request: HttpRequest, payload: GuidancePriceIn) -> GuidancePrice:
    return courses.guidance_price_set(actor=actor(request), **payload.model_dump())


@router.get(
    "/guidance-prices",
    response={200: list[GuidancePriceOut], **error_responses()},
    auth=None,
    summary="A region's guidance base prices in force (public)",
)
@paginate(Pagination)
def guidance_price_list(request: HttpRequest, filters: Query[GuidancePriceFilterIn]) -> QuerySet[GuidancePrice]:
    return selectors.guidance_price_list(region_code=filters.region_code)


@router.get(
    "/guidance-prices/history",
    response={200: list[GuidancePriceChangeOut], **error_responses()},
    auth=None,
    summary="Every change of a region's guidance prices, newest first (public)",
)
@paginate(Pagination)
def guidance_price_history(
    request: HttpRequest, filters: Query[GuidancePriceHistoryFilterIn]
) -> QuerySet[GuidancePriceChange]:
    return selectors.guidance_price_history(**filters.model_dump())


@router.get(
    "/violations",
    response={200: list[ViolationOut], **error_responses()},
    summary="Schedule and fee rule violations found in the active courses the caller supervises or runs",
)
@paginate(Pagination)
def violation_list(request: HttpRequest) -> list[selectors.Violation]:
    return selectors.violation_list(actor=actor(request))


# The public lookup (no login, cacheable)

_PUBLIC_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut}


@router.get(
    "/lookup",
    auth=None,
    response={200: PublicSearchOut, 422: ErrorOut},
    summary="Public: approved institutions by name fragment (2+ characters) or exact credit code, first 50 by name",
)
@decorate_view(public_page)
def public_search(request: HttpRequest, filters: Query[PublicLookupIn]) -> selectors_public.PublicResults:
    return selectors_public.public_listing(query=filters.q)


@router.get(
    "/lookup/{credit_code}",
    auth=None,
    response={200: PublicInstitutionDetailOut, **_PUBLIC_ERRORS},
    summary="Public: an approved institution's licence, kind, sites, courses and fund supervision (no login)",
)
@decorate_view(public_page)
def public_get(request: HttpRequest, credit_code: str) -> Institution:
    return selectors.public_get(credit_code=credit_code, on=timezone.localdate())


@router.get(
    "/sanction-list",
    auth=None,
    response={200: list[PublicSanctionOut], 422: ErrorOut},
    summary="Public: the sanction list, sanctions in force today (no login)",
)
@decorate_view(public_page)
@paginate(Pagination)
def public_sanctions(request: HttpRequest) -> QuerySet[Sanction]:
    return selectors.public_sanctions(on=timezone.localdate())


# Complaints from the public (no login; never cached)


@router.post(
    "/complaints",
    auth=None,
    response={201: ComplaintFollowOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Public: file a complaint about training (no login); answers its reference number",
)
def complaint_file(request: HttpRequest, payload: ComplaintCreateIn) -> Status[Complaint]:
    return Status(201, complaints.complaint_file(draft=complaints.ComplaintDraft(**payload.model_dump())))


@router.get(
    "/complaints",
    response={200: list[ComplaintOut], **error_responses()},
    summary="The complaints of the caller's region: all, mine, unassigned or overdue (inspectors, bureau)",
)
@paginate(Pagination)
def complaint_list(request: HttpRequest, filters: Query[ComplaintFilterIn]) -> QuerySet[Complaint]:
    return selectors_complaints.complaint_list(actor=actor(request), view=filters.view, status=filters.status)


@router.get(
    "/complaints/follow",
    auth=None,
    response={200: ComplaintFollowOut, **_PUBLIC_ERRORS},
    summary="Public: a complaint's status by its reference number (no login)",
)
def complaint_follow(request: HttpRequest, filters: Query[ComplaintFollowIn]) -> Complaint:
    return selectors.complaint_follow(reference=filters.reference)
