"""A family buys a course package (the payment lands in the institution's supervised account, as the purchase's
prepaid balance) and gets unconsumed lessons refunded. Each request carries an idempotency key."""

from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F
from django.utils import timezone

from shuangjian.core import access
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.core.models import Role
from shuangjian.ledger import rules
from shuangjian.ledger.errors import LedgerError, ledger_error
from shuangjian.ledger.models import Account, AccountKind, InstitutionLedger, Purchase, Transfer, TransferKind
from shuangjian.ledger.selectors import purchase_refundable_for
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.common import checked_key, clearing_account_id, fetch_one, raise_unless
from shuangjian.policy.selectors import effective_profile_in
from shuangjian.training.models import Institution, InstitutionKind, LicenceStatus

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


@dataclass(frozen=True, slots=True)
class _Order:
    """A purchase that passed its checks, as both writers take it (the function call and its Python twin)."""

    actor: Any
    institution_id: int
    student_id: int
    guardian_id: int
    terms: CourseTerms
    title: str
    key: str
    digest: str
    now: Any


class _Replayed(Exception):
    def __init__(self, transfer_id: int) -> None:
        self.transfer_id = transfer_id


def _purchase_of(transfer_id: int) -> Purchase:
    return Purchase.objects.get(pk=Transfer.objects.values_list("purchase_id", flat=True).get(pk=transfer_id))


def _first_purchase(key: str, digest: str) -> Purchase:
    replay = posting.first_outcome(key, digest)
    if replay is None:  # pragma: no cover - a raced twin always committed its transfer first
        raise RuntimeError("a concurrent purchase under the key was not found")
    return _purchase_of(replay.transfer_id)


def purchase_create(
    *, actor: Any, institution_id: int, student_id: int, terms: CourseTerms, idempotency_key: str
) -> Purchase:
    """A guardian buys `terms` from a supervised institution for their own child. Checked against the profile's
    limits (F4, F5) in force in the institution's county today; the whole price moves from the bank's clearing
    account to the purchase's prepaid account. On PostgreSQL the writes are one call of `ledger_purchase`
    (docs/adr/0011); a repeated key returns the first purchase, even if the request would be refused now."""
    key = checked_key(idempotency_key)
    digest = rules.request_digest(
        "purchase", institution=institution_id, student=student_id, title=terms.title, lessons=terms.lessons,
        price=terms.price_per_lesson_fen, months=terms.months,
    )  # fmt: skip
    student = access.family_student(actor, PURCHASE, student_id)
    if student is None or student.guardian_id is None:
        raise NotFound("student")
    try:
        title, now = _purchase_checks(institution_id, terms)
        order = _Order(actor, institution_id, student_id, student.guardian_id, terms, title, key, digest, now)
        return _purchase_function(order) if posting.uses_function() else _purchase_write(order)
    except (_Replayed, posting.PurchaseRaced):  # the same request committed first, concurrently
        return _first_purchase(key, digest)
    except DomainError:
        replay = posting.first_outcome(key, digest)  # a repeat gets the first answer; another request conflicts
        if replay is not None:
            return _purchase_of(replay.transfer_id)
        raise


def _institution_sql() -> str:
    ledger, institution = InstitutionLedger._meta.db_table, Institution._meta.db_table
    return (
        f"SELECT l.frozen_at IS NOT NULL, i.licence_status, i.kind, i.province_id, i.city_id, i.county_id"  # noqa: S608
        f" FROM {ledger} l JOIN {institution} i ON i.id = l.institution_id WHERE l.institution_id = %s"
    )


# Read with a plain statement: every purchase asks, and building the ORM query cost more than the read.
_INSTITUTION_SQL = _institution_sql()


def _purchase_checks(institution_id: int, terms: CourseTerms) -> tuple[str, Any]:
    """The terms' title and the time of purchase, if the institution is supervised, approved and open and the terms
    are within the limits of its county's profile; a refusal otherwise."""
    title = terms.title.strip() if isinstance(terms.title, str) else ""
    if not title or len(title) > rules.TITLE_MAX:
        raise ledger_error(LedgerError.BAD_TERMS, max=rules.TITLE_MAX)
    row = fetch_one(_INSTITUTION_SQL, [institution_id])
    if row is None:
        raise ledger_error(LedgerError.NOT_SUPERVISED)
    frozen, licence_status, kind, province, city, county = row
    if licence_status != LicenceStatus.APPROVED:
        raise ledger_error(LedgerError.LICENCE_NOT_APPROVED)
    if frozen:
        raise ledger_error(LedgerError.INSTITUTION_FROZEN)
    now = timezone.now()
    profile = effective_profile_in(province, city, county, timezone.localdate(now))
    raise_unless(
        rules.purchase_allowed(
            profile,
            academic=kind == InstitutionKind.ACADEMIC,
            months=terms.months,
            lessons=terms.lessons,
            price_per_lesson_fen=terms.price_per_lesson_fen,
        )
    )
    return title, now


def _purchase_row(o: _Order, prepaid_id: int, held_id: int, released_id: int, pk: int | None = None) -> Purchase:
    """The purchase row both writers store (the function in the database, the twin through the ORM)."""
    return Purchase(
        pk=pk, institution_id=o.institution_id, student_id=o.student_id, guardian_id=o.guardian_id,
        course_title=o.title, lessons=o.terms.lessons, price_per_lesson_fen=o.terms.price_per_lesson_fen,
        months=o.terms.months, paid_fen=o.terms.lessons * o.terms.price_per_lesson_fen, prepaid_account_id=prepaid_id,
        held_account_id=held_id, released_account_id=released_id, created_at=o.now, created_by_id=o.actor.pk,
    )  # fmt: skip


def _purchase_function(o: _Order) -> Purchase:
    outcome = posting.purchase(
        posting.PurchaseCommand(
            key=o.key, digest=o.digest, now=o.now, actor_id=o.actor.pk, institution_id=o.institution_id,
            student_id=o.student_id, guardian_id=o.guardian_id, title=o.title, lessons=o.terms.lessons,
            price_per_lesson_fen=o.terms.price_per_lesson_fen, months=o.terms.months,
        )
    )  # fmt: skip
    if outcome.account_ids is None:  # a repeat: the first request's purchase
        return Purchase.objects.get(pk=outcome.purchase_id)
    purchase = _purchase_row(o, *outcome.account_ids, pk=outcome.purchase_id)
    purchase._state.adding = False  # written by the function: a saved row
    purchase._state.db = DEFAULT_DB_ALIAS
    return purchase


@transaction.atomic(durable=True)
def _purchase_write(o: _Order) -> Purchase:
    """The Python twin of ledger_purchase (SQLite, and `posting.python_twin()`): the same steps in one transaction."""
    # Serialises purchases against the institution's closure (docs/adr/0007).
    opened = InstitutionLedger.objects.filter(pk=o.institution_id, frozen_at__isnull=True).update(
        purchase_count=F("purchase_count") + 1
    )
    if not opened:
        raise ledger_error(LedgerError.INSTITUTION_FROZEN)
    clearing = clearing_account_id()
    prepaid, held, released = Account.objects.bulk_create(
        Account(kind=kind, institution_id=o.institution_id)
        for kind in (AccountKind.PREPAID, AccountKind.HELD, AccountKind.RELEASED)
    )
    purchase = _purchase_row(o, prepaid.pk, held.pk, released.pk)
    purchase.save(force_insert=True)
    outcome = posting.post(
        posting.Command(
            key=o.key,
            digest=o.digest,
            kind=TransferKind.PURCHASE,
            now=o.now,
            legs=((clearing, -purchase.paid_fen), (prepaid.pk, purchase.paid_fen)),
            actor_id=o.actor.pk,
            purchase_id=purchase.pk,
            memo=o.title,
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
    purchase, refundable = purchase_refundable_for(actor, REFUND, purchase_id)
    remaining = purchase.lessons - purchase.lessons_held - purchase.lessons_consumed - purchase.lessons_refunded
    if lessons is None:
        count, amount = remaining, refundable
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
