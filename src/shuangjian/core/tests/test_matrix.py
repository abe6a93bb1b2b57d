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
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangjian.core.testing import matrix
from shuangjian.core.testing.matrix import Endpoint, Level, Target, World

pytestmark = pytest.mark.django_db

ENDPOINTS = matrix.endpoints()
_WRITE_SQL = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def world() -> World:
    return matrix.build_world()


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
    if endpoint.allowed is not None and target.anchor.name in matrix.visible_anchors(role, endpoint.target):
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
    # given
    if endpoint.seed is not None:
        endpoint.seed(world)
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
