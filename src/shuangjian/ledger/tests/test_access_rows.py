"""The ledger's hot-path reads go through core.access.permitted_row (SQL compiled once per shape of the actor's role
assignments, docs/adr/0011): it must answer exactly as the ORM filter `permitted(...)` does, for every role of the
matrix world, for actors of the same shape one after another (the cached SQL with another actor's values), and for
an actor holding several roles."""

from typing import Any

import pytest

from shuangjian.core import access
from shuangjian.core.models import Role, User
from shuangjian.core.testing.matrix import build_world
from shuangjian.core.tests import factories as f
from shuangjian.ledger.models import Hold, Purchase
from shuangjian.ledger.services.lessons import CONFIRM, DELIVER, VOID
from shuangjian.ledger.services.purchases import REFUND
from shuangjian.ledger.tests.matrix_seeds import escrow_bureau, seed_escrow

EVERY_ROLE = access.register_action("ledger.test_every_role", list(Role))
FIELDS: dict[type[Purchase] | type[Hold], tuple[str, ...]] = {
    Purchase: ("id", "price_per_lesson_fen", "lessons_held", "prepaid_account__balance_fen", "created_at", "frozen"),
    Hold: ("id", "amount_fen", "status", "purchase__lessons", "purchase__held_account_id", "created_at"),
}
ACTIONS = {Purchase: (DELIVER, REFUND, EVERY_ROLE), Hold: (CONFIRM, VOID, EVERY_ROLE)}


@pytest.mark.django_db
def test_permitted_row_answers_as_the_permitted_filter_does() -> None:
    # given: the matrix world with a purchase and a held lesson per anchor, and an actor with two roles
    world = build_world()
    seed_escrow(world)
    two_roles = f.user("matrix_escrow_two_roles")
    f.guardian_of(world.anchors["b4_1"].student, two_roles, phone="13900000077")
    f.assign(two_roles, Role.BUREAU, region=world.regions["liangyuan"])
    named = [user for user in world.users.values() if user is not None]
    others = User.objects.filter(username__startswith="matrix_escrow").exclude(pk__in=[u.pk for u in named])
    actors = [*named, world.stranger, escrow_bureau(world), *others]
    answered = 0
    for actor in actors:
        fresh = User.objects.get(pk=actor.pk)  # each actor loads its own assignments
        for model, fields in FIELDS.items():
            for pk in [*model.objects.order_by("pk").values_list("pk", flat=True), 987654321]:
                for action in ACTIONS[model]:
                    # when
                    fast = access.permitted_row(fresh, action, model, pk, fields)
                    slow = (
                        model.objects.filter(access.permitted(fresh, action, model), pk=pk).values_list(*fields).first()
                    )
                    # then
                    assert fast == slow, (actor.username, model.__name__, pk, action)
                    answered += fast is not None
    assert answered > 0
    assert access._ROW_SQL  # the answers came from cached SQL


def test_an_unregistered_action_or_an_actor_without_roles_reaches_nothing_without_a_query() -> None:
    # (no django_db mark: a query would fail the test)
    assert access.permitted_row(object(), "ledger.no_such_action", Purchase, 1, ("id",)) is None
    assert access.permitted_row(None, DELIVER, Purchase, 1, ("id",)) is None


@pytest.mark.django_db
def test_a_rule_reading_what_the_stand_ins_do_not_cover_is_answered_by_the_orm_uncached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a rule that also reads the assignment's subjects (as a future rule might)
    world = build_world()
    seed_escrow(world)
    rule = access._assignment_q

    def reads_subjects(assignment: Any, path: Any) -> Any:
        assert assignment.subjects is not None
        return rule(assignment, path)

    monkeypatch.setattr(access, "_assignment_q", reads_subjects)
    monkeypatch.setattr(access, "_ROW_SQL", {})
    operator = User.objects.get(pk=world.users["institution_operator"].pk)  # type: ignore[union-attr]
    purchase = world.anchors["a4_1"].extras["purchase"]
    # when
    row = access.permitted_row(operator, DELIVER, Purchase, purchase.pk, ("id", "lessons"))
    # then
    assert row == (purchase.pk, purchase.lessons)
    assert access._ROW_SQL == {}
