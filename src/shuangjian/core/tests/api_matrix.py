"""core's endpoints in the role-scope matrix (discovered by shuangjian.core.testing.matrix.endpoints)."""

from shuangjian.core.models import User
from shuangjian.core.services import accounts
from shuangjian.core.testing.matrix import Anchor, Level, Rows, Target, World, register_endpoint

MISSING_ID = 987654321


def _anchor(target: Target) -> Anchor:
    if target.anchor is None:
        raise ValueError("this endpoint addresses an anchor")
    return target.anchor


def _user(target: Target) -> User:
    if target.user is None:
        raise ValueError("this endpoint addresses a user's own object")
    return target.user


def _one_token_per_user(world: World) -> None:
    """Each role fixture and the stranger own one token, named after their username."""
    for user in [*world.users.values(), world.stranger]:
        if user is not None:
            token, _raw = accounts.api_token_create(actor=user, name=user.username)
            world.extras[("api_token", user.username)] = token


register_endpoint(name="core.me_get", method="GET", path="/api/v1/core/me")

register_endpoint(
    name="core.api_token_list",
    method="GET",
    path="/api/v1/core/tokens",
    seed=_one_token_per_user,
    rows=Rows(Level.SELF, key=lambda item: item["name"], keys=lambda t: [_user(t).username]),
)

register_endpoint(
    name="core.api_token_event_list",
    method="GET",
    path="/api/v1/core/tokens/events",
    seed=_one_token_per_user,
    rows=Rows(Level.SELF, key=lambda item: item["token_name"], keys=lambda t: [_user(t).username]),
)

register_endpoint(
    name="core.api_token_create",
    method="POST",
    path="/api/v1/core/tokens",
    body=lambda t: {"name": "matrix"},
    ok_status=201,
    writes=True,
)

register_endpoint(
    name="core.api_token_revoke",
    method="DELETE",
    path="/api/v1/core/tokens/{token_id}",
    target=Level.SELF,
    seed=_one_token_per_user,
    params=lambda t: {"token_id": t.world.extras[("api_token", _user(t).username)].pk},
    missing={"token_id": MISSING_ID},
    ok_status=204,
    writes=True,
)

register_endpoint(
    name="core.region_list",
    method="GET",
    path="/api/v1/core/regions",
    rows=Rows(
        Level.SCHOOL,
        key=lambda item: item["code"],
        keys=lambda t: [_anchor(t).school.county_id, _anchor(t).school.city_id, _anchor(t).school.province_id],
    ),
)

register_endpoint(
    name="core.school_list",
    method="GET",
    path="/api/v1/core/schools",
    rows=Rows(Level.SCHOOL, key=lambda item: item["code"], keys=lambda t: [_anchor(t).school.code]),
)

register_endpoint(
    name="core.school_get",
    method="GET",
    path="/api/v1/core/schools/{code}",
    target=Level.SCHOOL,
    params=lambda t: {"code": _anchor(t).school.code},
    missing={"code": "4114029999"},
    rows=Rows(Level.SCHOOL, key=lambda item: item["code"], keys=lambda t: [_anchor(t).school.code], many=False),
)

register_endpoint(
    name="core.school_class_list",
    method="GET",
    path="/api/v1/core/schools/{code}/classes",
    target=Level.SCHOOL,
    params=lambda t: {"code": _anchor(t).school.code},
    missing={"code": "4114029999"},
    rows=Rows(Level.CLASS, key=lambda item: item["id"], keys=lambda t: [_anchor(t).school_class.pk]),
)

register_endpoint(
    name="core.class_student_list",
    method="GET",
    path="/api/v1/core/classes/{class_id}/students",
    target=Level.CLASS,
    params=lambda t: {"class_id": _anchor(t).school_class.pk},
    missing={"class_id": MISSING_ID},
    rows=Rows(Level.STUDENT, key=lambda item: item["id"], keys=lambda t: [_anchor(t).student.pk]),
)

register_endpoint(
    name="core.student_get",
    method="GET",
    path="/api/v1/core/students/{student_id}",
    target=Level.STUDENT,
    params=lambda t: {"student_id": _anchor(t).student.pk},
    missing={"student_id": MISSING_ID},
    rows=Rows(Level.STUDENT, key=lambda item: item["id"], keys=lambda t: [_anchor(t).student.pk], many=False),
)

register_endpoint(
    name="core.student_guardian_list",
    method="GET",
    path="/api/v1/core/students/{student_id}/guardians",
    target=Level.STUDENT,
    params=lambda t: {"student_id": _anchor(t).student.pk},
    missing={"student_id": MISSING_ID},
    rows=Rows(Level.STUDENT, key=lambda item: item["id"], keys=lambda t: [_anchor(t).guardian.pk]),
)
