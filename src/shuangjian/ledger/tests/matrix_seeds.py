"""The matrix world's escrow, built through the services as families, operators and the bureau would:
- the two training institutions of the world (training's seed) admitted to fund supervision;
- one purchase per anchor (10 lessons at 5,000 fen) by the anchor's guardian at the anchor's county's
  institution (a4_1's guardian is the guardian_a4_1 fixture; the others get an account of their own), with one
  delivered lesson held (anchor.extras["purchase"], ["hold"]);
- a bank statement of the city, imported by a city bureau: one line matching a purchase, and one line per anchor
  the ledger does not know (anchor.extras["difference"], world.extras["escrow_statement"])."""

from django.utils import timezone

from shuangjian.core.models import Role, User
from shuangjian.core.testing.matrix import World
from shuangjian.core.tests import factories as f
from shuangjian.ledger import rules
from shuangjian.ledger.models import Difference, Hold, Transfer, TransferKind
from shuangjian.ledger.services import lessons, purchases, reconciliation, supervision
from shuangjian.training.tests.matrix_seeds import MINQUAN_CREDIT_CODE, institution_of, seed_institutions

TERMS = purchases.CourseTerms(title="初中数学提高班", lessons=10, price_per_lesson_fen=5000, months=3)


def escrow_bureau(world: World) -> User:
    if "escrow_bureau" not in world.extras:
        bureau = f.user("matrix_escrow_bureau")
        f.assign(bureau, Role.BUREAU, region=world.regions["city"])
        world.extras["escrow_bureau"] = bureau
    user: User = world.extras["escrow_bureau"]
    return user


def _operator(world: World, anchor_name: str) -> User:
    if anchor_name != "b4_1":
        operator = world.users["institution_operator"]
        assert operator is not None
        return operator
    if "escrow_operator_b" not in world.extras:
        account = f.user("matrix_escrow_operator_b")
        f.assign(account, Role.INSTITUTION_OPERATOR, institution_credit_code=MINQUAN_CREDIT_CODE)
        world.extras["escrow_operator_b"] = account
    user: User = world.extras["escrow_operator_b"]
    return user


def _parent(world: World, anchor_name: str) -> User:
    if anchor_name == "a4_1":
        parent = world.users["guardian_a4_1"]
        assert parent is not None
        return parent
    account = f.user(f"matrix_escrow_parent_{anchor_name}")
    anchor = world.anchors[anchor_name]
    f.guardian_of(anchor.student, account, phone=f"139000000{len(world.extras) % 10}{anchor_name[-1]}")
    return account


def seed_ledgers(world: World) -> None:
    """Only the two institutions admitted to fund supervision (for the endpoints that need no purchase)."""
    seed_institutions(world)
    if "escrow_ledgers" in world.extras:
        return
    bureau = escrow_bureau(world)
    for institution in world.extras["training_institutions"]:
        supervision.institution_ledger_open(actor=bureau, institution_id=institution.pk)
    world.extras["escrow_ledgers"] = True


def seed_escrow(world: World) -> None:
    seed_ledgers(world)
    if "escrow" in world.extras:
        return
    for name, anchor in world.anchors.items():
        purchase = purchases.purchase_create(
            actor=_parent(world, name), institution_id=institution_of(anchor).pk, student_id=anchor.student.pk,
            terms=TERMS, idempotency_key=f"matrix-escrow-buy-{name}",
        )  # fmt: skip
        outcome = lessons.lesson_deliver(
            actor=_operator(world, name), purchase_id=purchase.pk, idempotency_key=f"matrix-escrow-deliver-{name}"
        )
        anchor.extras["purchase"] = purchase
        anchor.extras["hold"] = Hold.objects.get(hold_transfer_id=outcome.transfer_id)
    world.extras["escrow"] = True


def seed_statement(world: World) -> None:
    seed_escrow(world)
    if "escrow_statement" in world.extras:
        return
    paid = Transfer.objects.filter(kind=TransferKind.PURCHASE).order_by("pk").first()
    assert paid is not None
    today = timezone.localdate()
    rows = ["bank_reference,value_date,direction,amount_fen,counterparty,our_reference"]
    rows.append(f"B0001,{today},C,50000,王大明,{rules.transfer_reference(paid.pk)}")
    rows += [f"B10{n},{today},C,{1000 + n},某家长," for n in range(len(world.anchors))]
    statement, _created = reconciliation.statement_import(
        actor=escrow_bureau(world), region_code=world.regions["city"].code, statement_date=today,
        content="\n".join(rows).encode(), file_name="matrix.csv",
    )  # fmt: skip
    unknown = Difference.objects.filter(statement=statement, kind="missing_in_ledger").order_by("pk")
    for anchor, difference in zip(world.anchors.values(), unknown, strict=True):
        anchor.extras["difference"] = difference
    world.extras["escrow_statement"] = statement
