"""Lesson by lesson (一课一消): the institution records a delivered lesson, which holds that lesson's price; the
guardian confirms it (released to the institution) or disputes it (it stays held); the institution withdraws a
claim or the bureau overturns a disputed one (voided: the money is refundable again). The money-moving steps
carry an idempotency key and are one call of posting.post each."""

from typing import Any, NamedTuple, NoReturn

from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, NotFound
from shuangjian.core.models import Role
from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError, NotPurchaseGuardian, ledger_error
from shuangjian.ledger.models import Hold, HoldStatus, Purchase, TransferKind
from shuangjian.ledger.selectors import hold_for, hold_visible, refuse_purchase
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.common import checked_key
from shuangjian.ledger.services.posting_checked import CheckedRow, post_checked

DELIVER = access.register_action("ledger.lesson_deliver", [Role.INSTITUTION_OPERATOR])
CONFIRM = access.register_action("ledger.lesson_confirm", [Role.GUARDIAN])
VOID = access.register_action("ledger.hold_void", [Role.INSTITUTION_OPERATOR, Role.BUREAU])

_OPEN = (HoldStatus.PENDING, HoldStatus.DISPUTED)


class DeliveredLesson(NamedTuple):
    """What a delivery posts from: the purchase's row (its fields as `_LESSON_FIELDS` reads them)."""

    purchase_id: int
    lessons: int
    price_fen: int
    prepaid_account_id: int
    held_account_id: int


class HeldLesson(NamedTuple):
    """What settling a hold posts from: the hold and its purchase's accounts (`_HOLD_FIELDS`)."""

    hold_id: int
    amount_fen: int
    purchase_id: int
    lessons: int
    prepaid_account_id: int
    held_account_id: int
    released_account_id: int

    @classmethod
    def of(cls, hold: Hold) -> "HeldLesson":
        p = hold.purchase
        return cls(hold.pk, hold.amount_fen, p.pk, p.lessons, p.prepaid_account_id, p.held_account_id,
                   p.released_account_id)  # fmt: skip


_LESSON_FIELDS = ("id", "lessons", "price_per_lesson_fen", "prepaid_account_id", "held_account_id")
_HOLD_FIELDS = (
    "id", "amount_fen", "purchase_id", "purchase__lessons", "purchase__prepaid_account_id",
    "purchase__held_account_id", "purchase__released_account_id",
)  # fmt: skip


def lesson_deliver(*, actor: Any, purchase_id: int, idempotency_key: str) -> posting.Outcome:
    """The institution records one delivered lesson: its price moves from prepaid to held, pending confirmation.
    Refused beyond the lessons bought and once the institution is frozen."""
    key = checked_key(idempotency_key)
    digest = rules.request_digest("deliver", purchase=purchase_id)

    def command(row: tuple[Any, ...]) -> posting.Command:
        lesson = DeliveredLesson(*row)
        price = lesson.price_fen
        return posting.Command(
            key=key,
            digest=digest,
            kind=TransferKind.HOLD,
            now=timezone.now(),
            legs=((lesson.prepaid_account_id, -price), (lesson.held_account_id, price)),
            actor_id=actor.pk,
            purchase_id=lesson.purchase_id,
            held=1,
            require_open=True,
            new_hold_fen=price,
            details={"lessons": lesson.lessons},
        )

    outcome = post_checked(CheckedRow(actor, DELIVER, Purchase, purchase_id, _LESSON_FIELDS), command)
    if outcome is None:
        refuse_purchase(actor, DELIVER, purchase_id)
    return outcome


def _refuse_hold(actor: Any, action: str, hold_id: int) -> NoReturn:
    if not hold_visible(actor, hold_id):
        raise NotFound("hold")
    if action == CONFIRM:  # the institution or the bureau sees it, but only the child's guardian confirms
        raise NotPurchaseGuardian()
    raise AccessDenied(action)


def lesson_confirm(*, actor: Any, hold_id: int, idempotency_key: str) -> posting.Outcome:
    """The guardian confirms a delivered lesson (also after disputing it): its price is released to the
    institution. Refused once the institution is frozen."""
    key = checked_key(idempotency_key)
    digest = rules.request_digest("confirm", hold=hold_id)

    def command(row: tuple[Any, ...]) -> posting.Command:
        return release_command(HeldLesson(*row), key, digest, actor.pk, _OPEN)

    outcome = post_checked(CheckedRow(actor, CONFIRM, Hold, hold_id, _HOLD_FIELDS), command)
    if outcome is None:
        _refuse_hold(actor, CONFIRM, hold_id)
    return outcome


def release_command(
    held: HeldLesson, key: str, digest: str, actor_id: int | None, settle_from: tuple[str, ...], memo: str = ""
) -> posting.Command:
    """The release of a held lesson to the institution (by the guardian, or automatically: services.auto_confirm)."""
    return posting.Command(
        key=key,
        digest=digest,
        kind=TransferKind.RELEASE,
        now=timezone.now(),
        legs=((held.held_account_id, -held.amount_fen), (held.released_account_id, held.amount_fen)),
        actor_id=actor_id,
        purchase_id=held.purchase_id,
        held=-1,
        consumed=1,
        require_open=True,
        hold_id=held.hold_id,
        hold_from=settle_from,
        hold_to=HoldStatus.RELEASED,
        memo=memo,
        details={"lessons": held.lessons},
    )


def lesson_dispute(*, actor: Any, hold_id: int) -> Hold:
    """The guardian disputes a delivered lesson: nothing moves, the money stays held (never released
    automatically) until the guardian confirms or the claim is voided. Disputing twice is harmless."""
    hold = hold_for(actor, CONFIRM, hold_id)
    if hold is None:
        _refuse_hold(actor, CONFIRM, hold_id)
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
    digest = rules.request_digest("void", hold=hold_id)

    def command(row: tuple[Any, ...]) -> posting.Command:
        held = HeldLesson(*row)
        return posting.Command(
            key=key,
            digest=digest,
            kind=TransferKind.VOID,
            now=timezone.now(),
            legs=((held.held_account_id, -held.amount_fen), (held.prepaid_account_id, held.amount_fen)),
            actor_id=actor.pk,
            purchase_id=held.purchase_id,
            held=-1,
            hold_id=held.hold_id,
            hold_from=_OPEN,
            hold_to=HoldStatus.VOIDED,
            details={"lessons": held.lessons},
        )

    outcome = post_checked(CheckedRow(actor, VOID, Hold, hold_id, _HOLD_FIELDS), command)
    if outcome is None:
        _refuse_hold(actor, VOID, hold_id)
    return outcome
