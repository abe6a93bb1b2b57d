"""/api/v1/core: who am I, my API tokens, and the school system within the caller's scope.

Each endpoint: parse (ninja), take the actor, call one selector or service, serialize. An object outside
the caller's scope answers exactly like a missing one: 404 `core.not_found`.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from shuangjian.core import selectors
from shuangjian.core.api_auth import actor
from shuangjian.core.models import APIToken, APITokenEvent, GuardianLink, Region, School, SchoolClass, Student
from shuangjian.core.pagination import Pagination
from shuangjian.core.schemas import (
    ApiTokenCreateIn,
    ApiTokenCreateOut,
    ApiTokenEventOut,
    ApiTokenListOut,
    ClassListOut,
    GuardianListOut,
    MeGetOut,
    RegionListOut,
    SchoolGetOut,
    SchoolListOut,
    StudentGetOut,
    StudentListOut,
    error_responses,
)
from shuangjian.core.selectors import Me
from shuangjian.core.services import accounts

router = Router(tags=["core"])


@router.get("/me", response={200: MeGetOut, **error_responses()}, summary="The caller and their roles")
def me_get(request: HttpRequest) -> Me:
    return selectors.me(actor=actor(request))


@router.get("/tokens", response={200: list[ApiTokenListOut], **error_responses()}, summary="My API tokens")
@paginate(Pagination)
def api_token_list(request: HttpRequest) -> QuerySet[APIToken]:
    return selectors.api_token_list(actor=actor(request))


@router.get(
    "/tokens/events",
    response={200: list[ApiTokenEventOut], **error_responses()},
    summary="My API tokens' history: each created and revoked, newest first",
)
@paginate(Pagination)
def api_token_event_list(request: HttpRequest) -> QuerySet[APITokenEvent]:
    return selectors.api_token_event_list(actor=actor(request))


@router.post(
    "/tokens",
    response={201: ApiTokenCreateOut, **error_responses(400, 403)},
    summary="Create an API token (the raw token is returned only in this response)",
)
def api_token_create(request: HttpRequest, payload: ApiTokenCreateIn) -> Status[ApiTokenCreateOut]:
    token, raw = accounts.api_token_create(actor=actor(request), name=payload.name)
    out = ApiTokenCreateOut(
        id=token.pk, name=token.name, created_at=token.created_at, last_used_at=token.last_used_at, token=raw
    )
    return Status(201, out)


@router.delete(
    "/tokens/{token_id}", response={204: None, **error_responses(403, 404)}, summary="Revoke one of my API tokens"
)
def api_token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    accounts.api_token_revoke(actor=actor(request), token_id=token_id)
    return Status(204, None)


@router.get("/regions", response={200: list[RegionListOut], **error_responses()}, summary="Regions my scope touches")
@paginate(Pagination)
def region_list(request: HttpRequest) -> QuerySet[Region]:
    return selectors.region_list(actor=actor(request))


@router.get("/schools", response={200: list[SchoolListOut], **error_responses()}, summary="Schools in my scope")
@paginate(Pagination)
def school_list(request: HttpRequest) -> QuerySet[School]:
    return selectors.school_list(actor=actor(request))


@router.get("/schools/{code}", response={200: SchoolGetOut, **error_responses(404)}, summary="One school")
def school_get(request: HttpRequest, code: str) -> School:
    return selectors.school_get(actor=actor(request), code=code)


@router.get(
    "/schools/{code}/classes",
    response={200: list[ClassListOut], **error_responses(404)},
    summary="The classes of a school that are in my scope",
)
@paginate(Pagination)
def school_class_list(request: HttpRequest, code: str) -> QuerySet[SchoolClass]:
    return selectors.class_list_of_school(actor=actor(request), code=code)


@router.get(
    "/classes/{class_id}/students",
    response={200: list[StudentListOut], **error_responses(404)},
    summary="The students of a class that are in my scope",
)
@paginate(Pagination)
def class_student_list(request: HttpRequest, class_id: int) -> QuerySet[Student]:
    return selectors.student_list_of_class(actor=actor(request), class_id=class_id)


@router.get("/students/{student_id}", response={200: StudentGetOut, **error_responses(404)}, summary="One student")
def student_get(request: HttpRequest, student_id: int) -> Student:
    return selectors.student_get(actor=actor(request), student_id=student_id)


@router.get(
    "/students/{student_id}/guardians",
    response={200: list[GuardianListOut], **error_responses(404)},
    summary="A student's guardians (phones masked)",
)
@paginate(Pagination)
def student_guardian_list(request: HttpRequest, student_id: int) -> QuerySet[GuardianLink]:
    return selectors.guardian_link_list(actor=actor(request), student_id=student_id)
