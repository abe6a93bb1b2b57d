"""A family buys a course package (the payment lands in the institution's supervised account, as the purchase's
prepaid balance) and gets unconsumed lessons refunded. Each request carries an idempotency key."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Guardian, Role, Student
from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError, ledger_error
from shuangjian.ledger.models import Account, AccountKind, InstitutionLedger, Purchase, Transfer, TransferKind
from shuangjian.ledger.selectors import purchase_for
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.common import checked_key, clearing_account_id, raise_unless
from shuangjian.policy.selectors import effective_profile
from shuangjian.training.models import InstitutionKind, LicenceStatus

PURCHASE = access.register_action("ledger.purchase", [Role.GUARDIAN])
REFUND = access.register_action("ledger.refund", [Role.GUARDIAN, Role.INSTITUTION_OPERATOR, Role.BUREAU])


@dataclass(frozen=True, slots=True)
class CourseTerms:
    """The course's terms as the contract states them; copied onto the purchase (the training registry's course
    catalogue is not linked: a purchase keeps what the family agreed to even if the course changes)."""

    title: str
    lessons: int
    price_per_lesson_fen: int
    months: int


class _Replayed(Exception):
    def __init__(self, transfer_id: int) -> None:
        self.transfer_id = transfer_id


def _purchase_of(transfer_id: int) -> Purchase:
    return Purchase.objects.get(pk=Transfer.objects.values_list("purchase_id", flat=True).get(pk=transfer_id))


def purchase_create(
    *, actor: Any, institution_id: int, student_id: int, terms: CourseTerms, idempotency_key: str
) -> Purchase:
    """A guardian buys `terms` from a supervised institution for their own child. Checked against the profile's
    limits (F4, F5) in force in the institution's county today; the whole price moves from the bank's clearing
    account to the purchase's prepaid account."""
    key = checked_key(idempotency_key)
    digest = rules.request_digest(
        "purchase", institution=institution_id, student=student_id, title=terms.title, lessons=terms.lessons,
        price=terms.price_per_lesson_fen, months=terms.months,
    )  # fmt: skip
    if not access.can(actor, PURCHASE, Student(pk=student_id)):
        raise NotFound("student")
    guardian = Guardian.objects.filter(user=actor, links__student_id=student_id).first()
    if guardian is None:
        raise NotFound("student")
    replay = posting.first_outcome(key, digest)
    if replay is not None:
        return _purchase_of(replay.transfer_id)
    title = terms.title.strip() if isinstance(terms.title, str) else ""
    if not title or len(title) > rules.TITLE_MAX:
        raise ledger_error(LedgerError.BAD_TERMS, max=rules.TITLE_MAX)
    ledger = (
        InstitutionLedger.objects.filter(pk=institution_id)
        .select_related("institution__county__parent__parent")
        .first()
    )
    if ledger is None:
        raise ledger_error(LedgerError.NOT_SUPERVISED)
    institution = ledger.institution
    if institution.licence_status != LicenceStatus.APPROVED:
        raise ledger_error(LedgerError.LICENCE_NOT_APPROVED)
    if ledger.frozen_at is not None:
        raise ledger_error(LedgerError.INSTITUTION_FROZEN)
    now = timezone.now()
    profile = effective_profile(institution.county, timezone.localdate(now))
    raise_unless(
        rules.purchase_allowed(
            profile,
            academic=institution.kind == InstitutionKind.ACADEMIC,
            months=terms.months,
            lessons=terms.lessons,
            price_per_lesson_fen=terms.price_per_lesson_fen,
        )
    )
    try:
        return _purchase_write(actor, ledger, student_id, guardian, terms, title, key, digest, now)
    except _Replayed as replayed:  # the same request committed first, concurrently: return its purchase
        return _purchase_of(replayed.transfer_id)


@transaction.atomic(durable=True)
def _purchase_write(
    actor: Any,
    ledger: InstitutionLedger,
    student_id: int,
    guardian: Guardian,
    terms: CourseTerms,
    title: str,
    key: str,
    digest: str,
    now: Any,
) -> Purchase:
    # Serialises purchases against the institution's closure (docs/adr/0007).
    opened = InstitutionLedger.objects.filter(pk=ledger.pk, frozen_at__isnull=True).update(
        purchase_count=F("purchase_count") + 1
    )
    if not opened:
        raise ledger_error(LedgerError.INSTITUTION_FROZEN)
    clearing = clearing_account_id()
    prepaid, held, released = Account.objects.bulk_create(
        Account(kind=kind, institution_id=ledger.pk)
        for kind in (AccountKind.PREPAID, AccountKind.HELD, AccountKind.RELEASED)
    )
    paid = terms.lessons * terms.price_per_lesson_fen
    purchase = Purchase.objects.create(
        institution_id=ledger.pk, student_id=student_id, guardian=guardian, course_title=title,
        lessons=terms.lessons, price_per_lesson_fen=terms.price_per_lesson_fen, months=terms.months, paid_fen=paid,
        prepaid_account=prepaid, held_account=held, released_account=released, created_at=now, created_by=actor,
    )  # fmt: skip
    outcome = posting.post(
        posting.Command(
            key=key,
            digest=digest,
            kind=TransferKind.PURCHASE,
            now=now,
            legs=((clearing, -paid), (prepaid.pk, paid)),
            actor_id=actor.pk,
            purchase_id=purchase.pk,
            memo=title,
        )
    )
    if outcome.replayed:
        raise _Replayed(outcome.transfer_id)
    return purchase


def purchase_refund(
    *, actor: Any, purchase_id: int, idempotency_key: str, lessons: int | None = None
) -> posting.Outcome:
    """Refund `lessons` unconsumed lessons at the purchase's price per lesson, or, with `lessons=None`, everything
    refundable: every lesson neither consumed, awaiting confirmation nor refunded, plus any risk-margin
    compensation the purchase received. The money leaves through the bank's clearing account to the family."""
    key = checked_key(idempotency_key)
    digest = rules.request_digest("refund", purchase=purchase_id, lessons=lessons)
    purchase = purchase_for(actor, REFUND, purchase_id)
    remaining = purchase.lessons - purchase.lessons_held - purchase.lessons_consumed - purchase.lessons_refunded
    if lessons is None:
        count = remaining
        amount = Account.objects.values_list("balance_fen", flat=True).get(pk=purchase.prepaid_account_id)
    else:
        raise_unless(rules.fen(lessons, "lessons"))
        count, amount = lessons, lessons * purchase.price_per_lesson_fen
    if amount <= 0:
        replay = posting.first_outcome(key, digest)
        if replay is not None:
            return replay
        raise ledger_error(LedgerError.NOTHING_TO_REFUND)
    return posting.post(
        posting.Command(
            key=key,
            digest=digest,
            kind=TransferKind.REFUND,
            now=timezone.now(),
            legs=((purchase.prepaid_account_id, -amount), (clearing_account_id(), amount)),
            actor_id=actor.pk,
            purchase_id=purchase.pk,
            refunded=count,
            details={"lessons": purchase.lessons},
        )
    )
