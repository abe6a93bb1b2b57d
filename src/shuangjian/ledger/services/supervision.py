"""The bureau's side: admitting an institution to fund supervision, its risk margin (deposit, top-up, and the
pro-rata draw for families when it fails), its closure (which freezes releases and new purchases) and the
reversal of a mistaken margin deposit."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role
from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError, ledger_error
from shuangjian.ledger.lock_objects import institution_ledger_for_update
from shuangjian.ledger.models import Account, AccountKind, InstitutionLedger, Purchase, Transfer, TransferKind
from shuangjian.ledger.selectors import institution_ledger_for
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.common import checked_key, clearing_account_id, raise_unless
from shuangjian.training.models import Institution

SUPERVISE = access.register_action("ledger.supervise", [Role.BUREAU])
MARGIN_DEPOSIT = access.register_action("ledger.margin_deposit", [Role.INSTITUTION_OPERATOR, Role.BUREAU])


@transaction.atomic(durable=True)
def institution_ledger_open(*, actor: Any, institution_id: int) -> InstitutionLedger:
    """The bureau admits an institution of its region to fund supervision (opens its risk-margin account).
    Opening again returns the existing ledger."""
    institution = Institution.objects.filter(access.permitted(actor, SUPERVISE, Institution), pk=institution_id).first()
    if institution is None:
        raise NotFound("institution")
    existing = InstitutionLedger.objects.filter(pk=institution_id).first()
    if existing is not None:
        return existing
    margin = Account.objects.create(kind=AccountKind.RISK_MARGIN, institution=institution)
    return InstitutionLedger.objects.create(
        institution=institution, risk_margin=margin, opened_at=timezone.now(), opened_by=actor
    )


@transaction.atomic(durable=True)
def institution_freeze(*, actor: Any, institution_id: int, reason: str) -> InstitutionLedger:
    """Closure (停业, 跑路): no more purchases, deliveries or releases; refunds, voids and the margin draw go on.
    Every purchase row is marked in this transaction, so a release racing the freeze either commits before it or
    sees the mark (docs/adr/0007). Freezing again changes nothing."""
    institution_ledger_for(actor, SUPERVISE, institution_id)
    ledger = institution_ledger_for_update(institution_id).get()
    if ledger.frozen_at is None:
        ledger.frozen_at, ledger.frozen_by, ledger.frozen_reason = timezone.now(), actor, reason.strip()[:200]
        ledger.save(update_fields=["frozen_at", "frozen_by", "frozen_reason"])
        Purchase.objects.filter(institution_id=institution_id).update(frozen=True)
    return ledger


def risk_margin_deposit(*, actor: Any, institution_id: int, amount_fen: int, idempotency_key: str) -> posting.Outcome:
    """The institution's risk margin is deposited or topped up through the custodian bank."""
    key = checked_key(idempotency_key)
    raise_unless(rules.fen(amount_fen, "amount_fen"))
    ledger = institution_ledger_for(actor, MARGIN_DEPOSIT, institution_id)
    return posting.post(
        posting.Command(
            key=key,
            digest=rules.request_digest("margin_deposit", institution=institution_id, amount=amount_fen),
            kind=TransferKind.MARGIN_DEPOSIT,
            now=timezone.now(),
            legs=((clearing_account_id(), -amount_fen), (ledger.risk_margin_id, amount_fen)),
            actor_id=actor.pk,
        )
    )


def risk_margin_draw(
    *, actor: Any, institution_id: int, claims: Mapping[int, int], idempotency_key: str
) -> posting.Outcome:
    """After a closure, the bureau draws the risk margin for the families' verified claims (purchase id -> fen):
    in full when the margin covers them, otherwise pro rata by the largest remainder method, so the shares sum to
    exactly what is drawn (docs/adr/0005). Each share is credited to the purchase's prepaid balance, from where
    the family's refund pays it out."""
    key = checked_key(idempotency_key)
    digest = rules.request_digest("margin_draw", institution=institution_id, claims=sorted(claims.items()))
    ledger = institution_ledger_for(actor, SUPERVISE, institution_id)
    if ledger.frozen_at is None:
        raise ledger_error(LedgerError.NOT_FROZEN)
    for amount in claims.values():
        raise_unless(rules.fen(amount, "claim"))
    prepaid = dict(
        Purchase.objects.filter(institution_id=institution_id, pk__in=list(claims)).values_list(
            "pk", "prepaid_account_id"
        )
    )
    if not claims or len(prepaid) != len(claims):
        raise ledger_error(LedgerError.BAD_CLAIMS)
    available = Account.objects.values_list("balance_fen", flat=True).get(pk=ledger.risk_margin_id)
    total = min(available, sum(claims.values()))
    if total <= 0:
        replay = posting.first_outcome(key, digest)
        if replay is not None:
            return replay
        raise ledger_error(LedgerError.INSUFFICIENT_BALANCE)
    shares = rules.largest_remainder(total, claims)
    legs = [(ledger.risk_margin_id, -total)]
    legs += [(prepaid[purchase_id], share) for purchase_id, share in sorted(shares.items()) if share > 0]
    return posting.post(
        posting.Command(
            key=key,
            digest=digest,
            kind=TransferKind.MARGIN_DRAW,
            now=timezone.now(),
            legs=tuple(legs),
            actor_id=actor.pk,
        )
    )


def transfer_reverse(*, actor: Any, transfer_id: int, idempotency_key: str, reason: str) -> posting.Outcome:
    """Correct a mistaken risk-margin deposit with a reversing transfer (postings are never changed). Lesson and
    refund flows are corrected by their own steps (void, refund), which keep the lesson counters right."""
    key = checked_key(idempotency_key)
    original = Transfer.objects.filter(pk=transfer_id).prefetch_related("postings__account").first()
    if original is None:
        raise NotFound("transfer")
    postings = list(original.postings.all())
    owners = {p.account.institution_id for p in postings if p.account.institution_id is not None}
    for institution_id in owners:
        institution_ledger_for(actor, SUPERVISE, institution_id)
    if original.kind != TransferKind.MARGIN_DEPOSIT:
        raise ledger_error(LedgerError.NOT_REVERSIBLE)
    return posting.post(
        posting.Command(
            key=key,
            digest=rules.request_digest("reverse", transfer=transfer_id),
            kind=TransferKind.REVERSAL,
            now=timezone.now(),
            legs=tuple((p.account_id, -p.amount_fen) for p in postings),
            actor_id=actor.pk,
            reverses_id=original.pk,
            memo=reason.strip()[:200],
        )
    )
