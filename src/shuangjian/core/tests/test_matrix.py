"""The generated role-scope matrix (STYLE.md convention 14; issue 2, item 6).

Every registered endpoint (shuangjian.core.testing.matrix) × every role fixture, against every target:
each anchor of the world (own scope, the same school outside a narrow scope, the other school), or the actor's
own and a stranger's object, plus a missing object. For each request it asserts:
- the status (401 anonymous, unless the endpoint is public; the ok status in scope; 404 outside it);
- that a 404 body is byte-for-byte the body for a missing object (existence never leaks);
- that list payloads hold exactly the rows in scope (no foreign row), and a detail is the addressed object;
- that nothing was written (row counts, and no INSERT/UPDATE/DELETE statement) unless an allowed write.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangjian.core import access
from shuangjian.core.testing import matrix
from shuangjian.core.testing.matrix import Endpoint, Level, Target, World

ENDPOINTS = matrix.endpoints()
_WRITE_SQL = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _testcase_atomic() -> transaction.Atomic:
    """A savepoint marked as Django's TestCase marks its own, so that durable services may run inside it."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


Extras = tuple[dict[Any, Any], dict[str, dict[str, Any]]]


@dataclass
class _Module:
    """One world per module and worker, and the data of the seed the current run of tests shares.

    Building the world and seeding it for each of the ~2,000 tests was most of their time. Now the world is written
    once in a transaction rolled back at the end of the module; a seed's rows are written once in a savepoint kept
    while consecutive tests share that seed (the parametrisation groups them by endpoint); each test runs in its own
    savepoint, rolled back after it, so no test's writes reach another test. What seeds attach to the world in
    memory (`extras`) follows the same rule."""

    world: World
    outer: transaction.Atomic
    built: Extras = ({}, {})  # the world's extras as built
    seeded_extras: Extras = ({}, {})  # ... and as the current seed left them
    seed: Callable[[World], None] | None = None
    seeded: transaction.Atomic | None = None

    def snapshot(self) -> Extras:
        return dict(self.world.extras), {name: dict(a.extras) for name, a in self.world.anchors.items()}

    def restore(self, extras: Extras) -> None:
        world_extras, anchor_extras = extras
        self.world.extras.clear()
        self.world.extras.update(world_extras)
        for name, anchor in self.world.anchors.items():
            anchor.extras.clear()
            anchor.extras.update(anchor_extras[name])

    def _drop_seed(self) -> None:
        if self.seeded is not None:
            transaction.set_rollback(True)
            self.seeded.__exit__(None, None, None)
            self.seeded = None
        self.restore(self.built)

    def use_seed(self, seed: Callable[[World], None] | None) -> None:
        if self.seeded is not None and seed is self.seed:
            self.restore(self.seeded_extras)
            return
        self._drop_seed()
        self.seed = seed
        self.seeded = _testcase_atomic()
        self.seeded.__enter__()
        for user in [*self.world.users.values(), self.world.stranger]:
            if user is not None:
                access.forget_assignments(user)
        if seed is not None:
            seed(self.world)
        self.seeded_extras = self.snapshot()

    def close(self) -> None:
        self._drop_seed()
        transaction.set_rollback(True)
        self.outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def matrix_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[_Module]:
    with django_db_blocker.unblock():
        outer = _testcase_atomic()
        outer.__enter__()
        module = _Module(world=matrix.build_world(), outer=outer)
        module.built = module.snapshot()
    yield module
    with django_db_blocker.unblock():
        module.close()


@pytest.fixture
def db(matrix_module: _Module) -> None:
    """pytest-django's `db` overridden for this module: the matrix keeps its own transactions (_Module). A test that
    uses a fixture of this name is how pytest-django knows to set up the test database."""


@pytest.fixture
def world(request: pytest.FixtureRequest, db: None, matrix_module: _Module, django_db_blocker: Any) -> Iterator[World]:
    """The module's world with the test's endpoint seeded, inside a savepoint rolled back after the test."""
    endpoint: Endpoint = request.node.callspec.params["endpoint"]
    with django_db_blocker.unblock():
        matrix_module.use_seed(endpoint.seed)
        test = _testcase_atomic()
        test.__enter__()
        try:
            yield matrix_module.world
        finally:
            transaction.set_rollback(True)
            test.__exit__(None, None, None)


def _call(client: Client, endpoint: Endpoint, target: Target, params: dict[str, object], body: Any) -> Any:
    url = endpoint.path.format(**params)
    if endpoint.query is not None:
        url = f"{url}?{urlencode(endpoint.query(target))}"
    if body is None:
        return client.generic(endpoint.method, url)
    return client.generic(endpoint.method, url, json.dumps(body), content_type="application/json")


def _targets(endpoint: Endpoint, role: str, world: World) -> list[tuple[str, Target | None]]:
    if endpoint.target is None:
        return [("root", None)]
    if endpoint.target is Level.SELF:
        actor = world.users[role]
        own: list[tuple[str, Target | None]] = [("own", Target(world, user=actor))] if actor is not None else []
        return [*own, ("stranger's", Target(world, user=world.stranger))]
    return [(name, Target(world, anchor=anchor)) for name, anchor in world.anchors.items()]


def _allowed(endpoint: Endpoint, role: str) -> bool:
    return (role != "anonymous" or endpoint.public) and (endpoint.roles is None or role in endpoint.roles)


def _expected_status(endpoint: Endpoint, role: str, world: World, target: Target | None) -> int:
    if role == "anonymous" and not endpoint.public:
        return 401
    if not _allowed(endpoint, role):
        return endpoint.denied_status
    if endpoint.target is None or target is None:
        return endpoint.ok_status
    if endpoint.target is Level.SELF:
        return endpoint.ok_status if target.user == world.users[role] else 404
    assert target.anchor is not None
    if target.anchor.name in matrix.served_anchors(endpoint, role, endpoint.target):
        return endpoint.ok_status
    if endpoint.allowed is not None and target.anchor.name in matrix.seen_anchors(endpoint, role, endpoint.target):
        return endpoint.denied_status  # in scope, but this action is not theirs
    return 404


def _expected_keys(endpoint: Endpoint, role: str, world: World, target: Target | None) -> set[object]:
    rows = endpoint.rows
    assert rows is not None
    if not rows.many:
        assert target is not None
        return set(rows.keys(target))
    if rows.level is Level.SELF:
        return set(rows.keys(Target(world, user=world.users[role])))
    keys: set[object] = set()
    for anchor in world.anchors.values():
        if anchor.name not in matrix.served_anchors(endpoint, role, rows.level):
            continue
        if target is not None and target.anchor is not None and endpoint.target not in (None, Level.SELF):
            level = endpoint.target
            assert level is not None
            if anchor.object_id(level) != target.anchor.object_id(level):
                continue  # a nested list: only the rows inside the addressed object
        keys |= set(rows.keys(Target(world, anchor=anchor)))
    return keys


def _returned_keys(endpoint: Endpoint, payload: Any) -> set[object]:
    rows = endpoint.rows
    assert rows is not None
    if not rows.many:
        return {rows.key(payload)}
    assert payload["count"] == len(payload["items"])
    return {rows.key(item) for item in payload["items"]}


@pytest.mark.parametrize(
    ("endpoint", "role"),
    [pytest.param(e, role, id=f"{e.name}-{role}") for e in ENDPOINTS for role in matrix.ROLE_FIXTURES],
)
def test_role_scope(endpoint: Endpoint, role: str, world: World, client: Client) -> None:
    # given: the world, seeded for the endpoint (the `world` fixture)
    actor = world.users[role]
    if actor is not None:
        client.force_login(actor)
    problems: list[str] = []
    missing_body = None
    if endpoint.target is not None:
        missing_request_body = endpoint.body(Target(world)) if endpoint.body is not None else None
        missing = _call(client, endpoint, Target(world), dict(endpoint.missing), missing_request_body)
        expected_missing = 401 if role == "anonymous" and not endpoint.public else 404
        if missing.status_code != expected_missing:
            problems.append(f"missing: {missing.status_code} != {expected_missing}")
        missing_body = missing.json()

    for label, target in _targets(endpoint, role, world):
        params = dict(endpoint.params(target)) if endpoint.params is not None and target is not None else {}
        body = endpoint.body(target or Target(world)) if endpoint.body is not None else None
        expected = _expected_status(endpoint, role, world, target)
        before = matrix.row_counts()
        # when
        with CaptureQueriesContext(connection) as queries:
            response = _call(client, endpoint, target or Target(world), params, body)
        # then
        if response.status_code != expected:
            problems.append(f"{label}: status {response.status_code} != {expected}: {response.content[:200]!r}")
            continue
        if expected == 404 and missing_body is not None and response.json() != missing_body:
            problems.append(f"{label}: 404 body {response.json()} differs from the missing body {missing_body}")
        if expected == endpoint.ok_status and endpoint.rows is not None:
            returned = _returned_keys(endpoint, response.json())
            wanted = _expected_keys(endpoint, role, world, target)
            if returned != wanted:
                problems.append(f"{label}: rows {sorted(map(str, returned))} != {sorted(map(str, wanted))}")
        if not (endpoint.writes and expected == endpoint.ok_status):
            writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(_WRITE_SQL)]
            if writes:
                problems.append(f"{label}: wrote {writes}")
            if matrix.row_counts() != before:
                problems.append(f"{label}: row counts changed")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_api_operation_is_in_the_matrix() -> None:
    """The root API is read through its schema, so core's tests import no other app (import-linter)."""
    # given
    schema = Client().get("/api/v1/openapi.json").json()
    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    # when
    registered = {(e.method, e.path) for e in ENDPOINTS}
    # then
    assert operations - registered == set(), "register these in <app>/tests/api_matrix.py"
    assert registered - operations == set(), "registered in the matrix but not in the API"


def test_visibility_table_covers_every_role_fixture() -> None:
    assert set(matrix.VISIBILITY) == set(matrix.ROLE_FIXTURES)
    assert len(matrix.ROLE_FIXTURES) == 13
