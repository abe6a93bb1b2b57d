"""/api/v1/escrow beyond the role matrix: bad amounts get the ledger's codes with nothing moved, a replayed request
returns the first result, the key travels as a header or a body field, a statement imports once."""

import json
from typing import Any

import pytest
from django.test import Client

from shuangjian.core.models import User
from shuangjian.ledger.models import Purchase, Transfer
from shuangjian.ledger.tests.builders import buy, deliver
from shuangjian.ledger.tests.conftest import LedgerWorld

BASE = "/api/v1/escrow"


def post(user: User, path: str, body: dict[str, Any], **headers: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("_case", "lessons", "code"),
    [
        ("a string", "10", "ledger.amount_not_integer"),
        ("a float", 10.0, "ledger.amount_not_integer"),
        ("a boolean", True, "ledger.amount_not_integer"),
        ("zero", 0, "ledger.amount_not_positive"),
        ("negative", -3, "ledger.amount_not_positive"),
        ("over the class hours", 61, "ledger.over_class_hours"),
    ],
)
def test_a_bad_amount_is_refused_with_its_code_and_nothing_moves(
    world: LedgerWorld, _case: str, lessons: object, code: str
) -> None:
    body = {
        "institution_id": world.institution.pk, "student_id": world.child.pk, "course_title": "少儿篮球",
        "lessons": lessons, "price_per_lesson_fen": 10_000, "months": 3, "idempotency_key": "api-bad-amount-1",
    }  # fmt: skip
    response = post(world.parent, "/purchases", body)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert (Purchase.objects.count(), Transfer.objects.count()) == (0, 0)


def test_a_replayed_confirmation_returns_the_first_result(world: LedgerWorld) -> None:
    # given
    hold = deliver(world, buy(world))
    # when: sent with the header, then again with the same key in the body
    first = post(world.parent, f"/holds/{hold.pk}/confirm", {}, **{"Idempotency-Key": "api-confirm-key-1"})
    again = post(world.parent, f"/holds/{hold.pk}/confirm", {"idempotency_key": "api-confirm-key-1"})
    # then
    assert first.status_code == again.status_code == 200
    assert first.json()["replayed"] is False and again.json()["replayed"] is True
    assert first.json()["transfer_id"] == again.json()["transfer_id"]
    assert first.json()["reference"] == f"SJ{first.json()['transfer_id']:010d}"
    # a key in the header and another in the body is refused
    both = post(world.parent, f"/holds/{hold.pk}/confirm", {"idempotency_key": "api-confirm-key-2"},
                **{"Idempotency-Key": "api-confirm-key-3"})  # fmt: skip
    assert both.json()["code"] == "ledger.bad_idempotency_key"


def test_a_refund_beyond_the_balance_moves_nothing(world: LedgerWorld) -> None:
    purchase = buy(world, lessons=10)
    deliver(world, purchase)
    moved = Transfer.objects.count()
    response = post(
        world.parent, f"/purchases/{purchase.pk}/refund", {"lessons": 10, "idempotency_key": "api-refund-1"}
    )
    assert (response.status_code, response.json()["code"]) == (400, "ledger.beyond_lessons")
    assert Transfer.objects.count() == moved


def test_a_statement_imports_once_and_a_malformed_one_says_where(world: LedgerWorld, city_bureau: User) -> None:
    bureau = city_bureau
    body = {
        "region_code": world.institution.city.code, "statement_date": "2026-09-07",
        "content": "bank_reference,value_date,direction,amount_yuan\nB1,2026-09-07,C,12.30\n",
    }  # fmt: skip
    first, again = post(bureau, "/statements", body), post(bureau, "/statements", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["statement"]["id"] == again.json()["statement"]["id"]
    assert first.json()["statement"]["credit_fen"] == 1230
    bad = post(
        bureau, "/statements", {**body, "content": "bank_reference,value_date,direction,amount_yuan\nB1,x,C,1\n"}
    )
    assert bad.status_code == 400
    assert [(e["row"], e["column"]) for e in bad.json()["details"]["errors"]] == [(2, "value_date"), (2, "amount_yuan")]
