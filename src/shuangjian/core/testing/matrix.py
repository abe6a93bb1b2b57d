"""The role-scope matrix (STYLE.md convention 14): every API endpoint × every role fixture × every target.

An app's endpoints join the matrix by registering themselves in the app's `tests/api_matrix.py`, which
`endpoints()` discovers for every installed app (like admin.autodiscover)::

    # src/shuangjian/homework/tests/api_matrix.py
    from shuangjian.core.testing.matrix import Level, Rows, register_endpoint

    register_endpoint(
        name="homework.assignment_get",
        method="GET",
        path="/api/v1/homework/assignments/{assignment_id}",
        target=Level.CLASS,
        params=lambda t: {"assignment_id": t.anchor.extras["assignment"].pk},
        missing={"assignment_id": 999999999},
        seed=seed_one_assignment_per_class,  # puts anchor.extras["assignment"] on every anchor
        rows=Rows(Level.CLASS, key=lambda i: i["id"], keys=lambda t: [t.anchor.extras["assignment"].pk], many=False),
    )

core/tests/test_matrix.py fails when an operation of the API is not registered, so none can be forgotten.

The world (`build_world`) is two counties of one city with school A (梁园区) and school B (民权县), four
anchors (a student with their class, school and one guardian): a4_1 and a4_2 (grade 4), a5_1 (grade 5) in
school A, b4_1 in school B. VISIBILITY says, per role fixture and level, which anchors the role reaches: it
is the specification the API is checked against, written out by hand rather than derived from core.access.
Where an action is narrower than reading (only a class's teachers assign homework there), the endpoint writes
its own specification as `allowed` (role fixture -> anchors); `query` supplies a query string (`?date=`).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils.module_loading import autodiscover_modules

from shuangjian.core.models import Guardian, Region, Role, School, SchoolClass, Student, User
from shuangjian.core.tests import factories as f


class Level(StrEnum):
    """What an endpoint's path addresses or its rows belong to."""

    SELF = "self"  # the actor's own objects (API tokens); another user's are foreign
    SCHOOL = "school"
    CLASS = "class"
    STUDENT = "student"
    # A training institution. Anchors in a county share its institution (the app's seed puts it in
    # anchor.extras["institution"]): a4_1, a4_2, a5_1 the one in 梁园区, run by the institution_operator fixture
    # (OPERATOR_CREDIT_CODE); b4_1 the one in 民权县. School and family roles reach no institution.
    INSTITUTION = "institution"


ANCHORS = ("a4_1", "a4_2", "a5_1", "b4_1")
_A = frozenset({"a4_1", "a4_2", "a5_1"})
_A4_1 = frozenset({"a4_1"})
_B = frozenset({"b4_1"})
_ALL = frozenset(ANCHORS)
_NONE: frozenset[str] = frozenset()
OPERATOR_CREDIT_CODE = "91411400MA4000000F"  # valid GB 32100 (check character F)

ROLE_FIXTURES = (
    "bureau_city",
    "bureau_other_county",
    "inspector",
    "school_leader_a",
    "teacher_a",
    "head_teacher_a4_1",
    "grade_coordinator_a4",
    "counsellor_a",
    "guardian_a4_1",
    "student_a4_1",
    "institution_operator",
    "no_role",
    "anonymous",
)


def _levels(
    school: frozenset[str],
    school_class: frozenset[str],
    student: frozenset[str],
    institution: frozenset[str] = _NONE,
) -> dict[Level, frozenset[str]]:
    return {Level.SCHOOL: school, Level.CLASS: school_class, Level.STUDENT: student, Level.INSTITUTION: institution}


VISIBILITY: dict[str, dict[Level, frozenset[str]]] = {
    "bureau_city": _levels(_ALL, _ALL, _ALL, _ALL),
    "bureau_other_county": _levels(_B, _B, _B, _B),
    "inspector": _levels(_A, _A, _A, _A),
    "school_leader_a": _levels(_A, _A, _A),
    "teacher_a": _levels(_A, _A, _A),
    "head_teacher_a4_1": _levels(_A, _A4_1, _A4_1),
    "grade_coordinator_a4": _levels(_A, frozenset({"a4_1", "a4_2"}), frozenset({"a4_1", "a4_2"})),
    "counsellor_a": _levels(_A, _A, _A),
    "guardian_a4_1": _levels(_A, _A4_1, _A4_1),
    "student_a4_1": _levels(_A, _A4_1, _A4_1),
    "institution_operator": _levels(_NONE, _NONE, _NONE, _A),
    "no_role": _levels(_NONE, _NONE, _NONE),
    "anonymous": _levels(_NONE, _NONE, _NONE),
}


@dataclass(slots=True)
class Anchor:
    """One place in the school system: a student with their class, school and guardian."""

    name: str
    school: School
    school_class: SchoolClass
    student: Student
    guardian: Guardian
    extras: dict[str, Any] = field(default_factory=dict)  # objects an app's seed attached to this place

    def object_id(self, level: Level) -> object:
        if level is Level.SCHOOL:
            return self.school.pk
        if level is Level.CLASS:
            return self.school_class.pk
        if level is Level.STUDENT:
            return self.student.pk
        if level is Level.INSTITUTION:
            return self.extras["institution"].pk
        raise ValueError(f"an anchor has no object at level {level}")


@dataclass(slots=True)
class World:
    regions: dict[str, Region]
    schools: dict[str, School]
    anchors: dict[str, Anchor]
    users: dict[str, User | None]  # role fixture → user (None for anonymous)
    stranger: User  # a user with no role, owner of the "foreign" SELF objects
    extras: dict[Any, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Target:
    """What a request addresses: an anchor (school-system levels) or a user (SELF)."""

    world: World
    anchor: Anchor | None = None
    user: User | None = None


@dataclass(frozen=True, slots=True)
class Rows:
    """How to recognise what an endpoint returns. `key(item)` identifies a returned item; `keys(target)` gives
    the keys the target's object contributes at `level`. `many`: a paginated list ({"items": [...]}), else one
    object. A list's items must be exactly the keys of the visible targets (within the addressed object)."""

    level: Level
    key: Callable[[Mapping[str, Any]], object]
    keys: Callable[[Target], Iterable[object]]
    many: bool = True


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: str
    path: str  # as in openapi.json: /api/v1/core/students/{student_id}
    target: Level | None = None  # the level of the object the path addresses; None: a collection root
    params: Callable[[Target], Mapping[str, object]] | None = None
    missing: Mapping[str, object] = field(default_factory=dict)
    rows: Rows | None = None
    body: Callable[[Target], Mapping[str, Any]] | None = None
    query: Callable[[Target], Mapping[str, object]] | None = None  # the query string (`?date=...`)
    ok_status: int = 200
    writes: bool = False  # an allowed call writes rows (refused calls must never write)
    roles: frozenset[str] | None = None  # role fixtures that may call it; None: every signed-in role
    # Where an action is narrower than reading (only the class's teachers assign; only guardians give feedback):
    # role fixture -> the anchors where the call succeeds, and whose rows a list returns. Anchors the role sees
    # at `target` (VISIBILITY) but is not allowed get `denied_status`; the rest 404. None: VISIBILITY decides.
    allowed: Mapping[str, frozenset[str]] | None = None
    # Where the object is seen by fewer roles than its level's VISIBILITY says (a campaign is its supervisors', not
    # the operator's, whose institution shares the anchors): role fixture -> the anchors it sees; the others 404.
    seen: Mapping[str, frozenset[str]] | None = None
    denied_status: int = 404  # what a refused signed-in caller gets (a role outside `roles`, or not `allowed`)
    seed: Callable[[World], None] | None = None  # creates the endpoint's own objects before the requests
    # A public endpoint needs no login (the training lookup): every caller, anonymous included, is served at every
    # anchor, and a missing object is a 404 for everyone.
    public: bool = False


_REGISTRY: dict[str, Endpoint] = {}


def register_endpoint(**fields: Any) -> Endpoint:
    """Add an endpoint to the matrix (see the module docstring). Names are unique."""
    endpoint = Endpoint(**fields)
    existing = _REGISTRY.get(endpoint.name)
    if existing is not None and existing != endpoint:
        raise ValueError(f"matrix endpoint {endpoint.name!r} is registered twice")
    _REGISTRY[endpoint.name] = endpoint
    return endpoint


def endpoints() -> list[Endpoint]:
    """Every registered endpoint, after importing each installed app's `tests.api_matrix`."""
    autodiscover_modules("tests.api_matrix")
    return sorted(_REGISTRY.values(), key=lambda e: e.name)


def visible_anchors(role: str, level: Level) -> frozenset[str]:
    return VISIBILITY[role][level]


def seen_anchors(endpoint: Endpoint, role: str, level: Level) -> frozenset[str]:
    """The anchors where `role` sees the object `endpoint` addresses: its `seen` spec when it has one."""
    if endpoint.seen is not None:
        return endpoint.seen.get(role, _NONE)
    return visible_anchors(role, level)


def served_anchors(endpoint: Endpoint, role: str, level: Level) -> frozenset[str]:
    """The anchors where `endpoint` serves `role`: its `allowed` spec when it has one, else VISIBILITY."""
    if endpoint.allowed is not None:
        return endpoint.allowed.get(role, _NONE)
    if endpoint.public:
        return _ALL
    return visible_anchors(role, level)


def build_world() -> World:
    """The matrix world (needs the database). Every role fixture is a fresh user with exactly one role."""
    province, city, liangyuan, minquan = f.regions()
    school_a = f.school(liangyuan, "梁园区前进小学")
    school_b = f.school(minquan, "民权县实验小学")
    places = {
        "a4_1": (school_a, 4, 1, "甲", "13800000001"),
        "a4_2": (school_a, 4, 2, "乙", "13800000002"),
        "a5_1": (school_a, 5, 1, "丙", "13800000003"),
        "b4_1": (school_b, 4, 1, "丁", "13800000004"),
    }
    users: dict[str, User | None] = {role: f.user(f"matrix_{role}") for role in ROLE_FIXTURES if role != "anonymous"}
    users["anonymous"] = None

    def account(role: str) -> User:
        user = users[role]
        if user is None:
            raise ValueError(role)
        return user

    anchors: dict[str, Anchor] = {}
    for name, (school, grade, number, student_name, phone) in places.items():
        school_class = f.school_class(school, grade, number)
        student = f.student(school_class, student_name)
        parent = account("guardian_a4_1") if name == "a4_1" else None  # guardian_of gives the account its role
        anchors[name] = Anchor(name, school, school_class, student, f.guardian_of(student, parent, phone=phone))

    a4_1 = anchors["a4_1"]
    f.assign(account("bureau_city"), Role.BUREAU, region=city)
    f.assign(account("bureau_other_county"), Role.BUREAU, region=minquan)
    f.assign(account("inspector"), Role.INSPECTOR, region=liangyuan)
    f.assign(account("school_leader_a"), Role.SCHOOL_LEADER, school=school_a)
    f.assign(account("teacher_a"), Role.TEACHER, school=school_a)
    f.assign(account("head_teacher_a4_1"), Role.HEAD_TEACHER, school=school_a, school_class=a4_1.school_class)
    f.assign(account("grade_coordinator_a4"), Role.GRADE_COORDINATOR, school=school_a, grade=4)
    f.assign(account("counsellor_a"), Role.COUNSELLOR, school=school_a)
    f.assign(account("student_a4_1"), Role.STUDENT, school=school_a, student=a4_1.student)
    f.assign(account("institution_operator"), Role.INSTITUTION_OPERATOR, institution_credit_code=OPERATOR_CREDIT_CODE)
    return World(
        regions={"province": province, "city": city, "liangyuan": liangyuan, "minquan": minquan},
        schools={"a": school_a, "b": school_b},
        anchors=anchors,
        users=users,
        stranger=f.user("matrix_stranger"),
    )


def row_counts() -> dict[str, int]:
    """Rows per table, for "nothing was written" checks: one query for every table (the matrix calls this twice
    per request). It also catches writes the statement check cannot see, such as a function called by SELECT."""
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    quote = connection.ops.quote_name
    # Table names come from the models' Meta.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, row, strict=True)}
