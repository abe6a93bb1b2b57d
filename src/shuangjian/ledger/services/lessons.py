"""Lesson by lesson (一课一消): the institution records a delivered lesson, which holds that lesson's price; the
guardian confirms it (released to the institution) or disputes it (it stays held); the institution withdraws a
claim or the bureau overturns a disputed one (voided: the money is refundable again). The money-moving steps
carry an idempotency key and are one call of posting.post each."""

from typing import Any

from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied
from shuangjian.core.models import Role
from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError, NotPurchaseGuardian, ledger_error
from shuangjian.ledger.models import Hold, HoldStatus, TransferKind
from shuangjian.ledger.selectors import hold_for, purchase_for
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.common import checked_key

DELIVER = access.register_action("ledger.lesson_deliver", [Role.INSTITUTION_OPERATOR])
CONFIRM = access.register_action("ledger.lesson_confirm", [Role.GUARDIAN])
VOID = access.register_action("ledger.hold_void", [Role.INSTITUTION_OPERATOR, Role.BUREAU])

_OPEN = (HoldStatus.PENDING, HoldStatus.DISPUTED)


def lesson_deliver(*, actor: Any, purchase_id: int, idempotency_key: str) -> posting.Outcome:
    """The institution records one delivered lesson: its price moves from prepaid to held, pending confirmation.
    Refused beyond the lessons bought and once the institution is frozen."""
    key = checked_key(idempotency_key)
    purchase = purchase_for(actor, DELIVER, purchase_id)
    price = purchase.price_per_lesson_fen
    return posting.post(
        posting.Command(
            key=key,
            digest=rules.request_digest("deliver", purchase=purchase_id),
            kind=TransferKind.HOLD,
            now=timezone.now(),
            legs=((purchase.prepaid_account_id, -price), (purchase.held_account_id, price)),
            actor_id=actor.pk,
            purchase_id=purchase.pk,
            held=1,
            require_open=True,
            new_hold_fen=price,
            details={"lessons": purchase.lessons},
        )
    )


def _guardians_hold(actor: Any, hold_id: int) -> Hold:
    hold = hold_for(actor, CONFIRM, hold_id)
    if hold is None:  # the institution or the bureau sees it, but only the child's guardian confirms
        raise NotPurchaseGuardian()
    return hold


def lesson_confirm(*, actor: Any, hold_id: int, idempotency_key: str) -> posting.Outcome:
    """The guardian confirms a delivered lesson (also after disputing it): its price is released to the
    institution. Refused once the institution is frozen."""
    key = checked_key(idempotency_key)
    hold = _guardians_hold(actor, hold_id)
    return posting.post(release_command(hold, key, rules.request_digest("confirm", hold=hold_id), actor.pk, _OPEN))


def release_command(
    hold: Hold, key: str, digest: str, actor_id: int | None, settle_from: tuple[str, ...], memo: str = ""
) -> posting.Command:
    """The release of a held lesson to the institution (by the guardian, or automatically: services.auto_confirm)."""
    purchase = hold.purchase
    return posting.Command(
        key=key,
        digest=digest,
        kind=TransferKind.RELEASE,
        now=timezone.now(),
        legs=((purchase.held_account_id, -hold.amount_fen), (purchase.released_account_id, hold.amount_fen)),
        actor_id=actor_id,
        purchase_id=purchase.pk,
        held=-1,
        consumed=1,
        require_open=True,
        hold_id=hold.pk,
        hold_from=settle_from,
        hold_to=HoldStatus.RELEASED,
        memo=memo,
        details={"lessons": purchase.lessons},
    )


def lesson_dispute(*, actor: Any, hold_id: int) -> Hold:
    """The guardian disputes a delivered lesson: nothing moves, the money stays held (never released
    automatically) until the guardian confirms or the claim is voided. Disputing twice is harmless."""
    hold = _guardians_hold(actor, hold_id)
    Hold.objects.filter(pk=hold.pk, status=HoldStatus.PENDING).update(
        status=HoldStatus.DISPUTED, disputed_at=timezone.now()
    )
    hold.refresh_from_db(fields=["status", "disputed_at"])
    if hold.status != HoldStatus.DISPUTED:
        raise ledger_error(LedgerError.HOLD_SETTLED)
    return hold


def hold_void(*, actor: Any, hold_id: int, idempotency_key: str) -> posting.Outcome:
    """The institution withdraws a lesson claim, or the bureau overturns a disputed one: the held price returns to
    the purchase's prepaid balance (refundable) and the lesson counts as not delivered. Allowed after a freeze."""
    key = checked_key(idempotency_key)
    hold = hold_for(actor, VOID, hold_id)
    if hold is None:
        raise AccessDenied(VOID)
    purchase = hold.purchase
    return posting.post(
        posting.Command(
            key=key,
            digest=rules.request_digest("void", hold=hold_id),
            kind=TransferKind.VOID,
            now=timezone.now(),
            legs=((purchase.held_account_id, -hold.amount_fen), (purchase.prepaid_account_id, hold.amount_fen)),
            actor_id=actor.pk,
            purchase_id=purchase.pk,
            held=-1,
            hold_id=hold.pk,
            hold_from=_OPEN,
            hold_to=HoldStatus.VOIDED,
            details={"lessons": purchase.lessons},
        )
    )
