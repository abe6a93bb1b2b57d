"""The demo's prepaid-fee escrow, made through the ledger services as the bureau, the operator and a family would:
- the escrow parameters of the demo city's profile (seeding.profiles: the risk margin, the days after which an
  unconfirmed lesson is confirmed automatically);
- the demo operator's institution admitted to fund supervision, with its risk margin deposited;
- the demo guardian `parent` buys a 12-lesson course for their child; the institution records four delivered
  lessons; the guardian confirms one, so three are held for the guardian to confirm or dispute on the phone;
- the day's payout sends the confirmed lesson's fee to the institution's own account."""

from django.utils import timezone

from shuangjian.core.models import GuardianLink, User
from shuangjian.ledger.models import Purchase
from shuangjian.ledger.services import lessons, purchases, supervision
from shuangjian.ledger.services.payouts import payouts_run
from shuangjian.policy.selectors import effective_profile
from shuangjian.seeding.accounts import DEMO_CREDIT_CODE
from shuangjian.training.models import Institution

DEMO_TERMS = purchases.CourseTerms(title="小学数学思维训练", lessons=12, price_per_lesson_fen=6000, months=3)
DELIVERED = 4


def seed_ledger_demo(seed: int) -> Purchase | None:
    """The demo escrow (see the module docstring). None when a demo login or the demo institution is missing."""
    accounts = {u.username: u for u in User.objects.filter(username__in=["bureau", "operator", "parent"])}
    institution = Institution.objects.filter(credit_code=DEMO_CREDIT_CODE).select_related("county").first()
    child = GuardianLink.objects.filter(guardian__user__username="parent").order_by("student_id").first()
    if len(accounts) < 3 or institution is None or child is None:
        return None
    bureau, operator, parent = accounts["bureau"], accounts["operator"], accounts["parent"]
    supervision.institution_ledger_open(actor=bureau, institution_id=institution.pk)
    margin = effective_profile(institution.county, timezone.localdate()).get("escrow.risk_margin_min_fen")
    if isinstance(margin, int) and margin > 0:
        supervision.risk_margin_deposit(
            actor=operator, institution_id=institution.pk, amount_fen=margin, idempotency_key=f"demo-margin-{seed}"
        )
    purchase = purchases.purchase_create(
        actor=parent, institution_id=institution.pk, student_id=child.student_id, terms=DEMO_TERMS,
        idempotency_key=f"demo-escrow-purchase-{seed}",
    )  # fmt: skip
    holds = [
        lessons.lesson_deliver(actor=operator, purchase_id=purchase.pk, idempotency_key=f"demo-deliver-{seed}-{n}")
        for n in range(DELIVERED)
    ]
    first = holds[0].hold_id
    if first is not None:
        lessons.lesson_confirm(actor=parent, hold_id=first, idempotency_key=f"demo-confirm-{seed}-0")
    payouts_run(region_code=institution.county_id)
    return purchase
