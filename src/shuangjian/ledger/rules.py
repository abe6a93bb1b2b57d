"""Pure ledger rules (no Django): amounts in integer fen, the purchase limits of the policy profile, idempotency
keys and request digests, the posting hash chain, and the pro-rata split of a risk-margin draw.

The codes returned are LedgerError values (ledger/errors.py); they are spelled out here because this module may
not import Django.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping

from shuangjian.policy import rules as policy_rules
from shuangjian.policy.errors import PolicyError
from shuangjian.policy.rules import Decision, PolicySnapshot

OK = Decision(True)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,80}$")
TITLE_MAX = 100  # Purchase.course_title
GENESIS_HASH = ""  # the "previous hash" of an account's first posting

_POLICY_TO_LEDGER = {
    PolicyError.PREPAID_MONTHS_EXCEEDED: "ledger.over_months",
    PolicyError.PREPAID_CLASS_HOURS_EXCEEDED: "ledger.over_class_hours",
    PolicyError.PREPAID_AMOUNT_EXCEEDED: "ledger.over_amount",
}


def fen(value: object, field: str) -> Decision:
    """An amount or count must be a positive integer: no floats, Decimals, strings or booleans."""
    if isinstance(value, bool) or not isinstance(value, int):
        return Decision(False, "ledger.amount_not_integer", {"field": field, "value": value})
    if value <= 0:
        return Decision(False, "ledger.amount_not_positive", {"field": field, "value": value})
    return OK


def first_refusal(*decisions: Decision) -> Decision:
    return next((decision for decision in decisions if not decision.ok), OK)


def purchase_allowed(
    profile: PolicySnapshot, *, academic: bool, months: int, lessons: int, price_per_lesson_fen: int
) -> Decision:
    """F4/F5: one collection covers at most the profile's months and class hours (one lesson = one class hour)
    and, where the profile sets one, at most its amount."""
    decision = first_refusal(
        fen(lessons, "lessons"), fen(price_per_lesson_fen, "price_per_lesson_fen"), fen(months, "months")
    )
    if not decision.ok:
        return decision
    verdict = policy_rules.prepaid_collection_allowed(
        profile, academic=academic, months=months, class_hours=lessons, amount_fen=lessons * price_per_lesson_fen
    )
    if verdict.ok:
        return OK
    return Decision(False, _POLICY_TO_LEDGER[PolicyError(verdict.code)], verdict.params)


def key_valid(key: object) -> bool:
    return isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None


def request_digest(operation: str, **params: object) -> str:
    """SHA-256 of the canonical request: the same key with the same request replays, with another conflicts."""
    text = json.dumps([operation, params], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def posting_hash(previous: str, account_id: int, seq: int, transfer_id: int, kind: str, amount_fen: int) -> str:
    """The hash of an account's posting number `seq`, covering the hash of its posting `seq - 1`. The PL/pgSQL
    function ledger_post (migration 0002) computes the same text:
    encode(sha256(convert_to(concat_ws('|', previous, account, seq, transfer, kind, amount), 'UTF8')), 'hex')."""
    text = "|".join((previous, str(account_id), str(seq), str(transfer_id), kind, str(amount_fen)))
    return hashlib.sha256(text.encode()).hexdigest()


def legs_balanced(legs: Iterable[tuple[int, int]]) -> bool:
    """At least two legs, on distinct accounts, none zero, summing to zero."""
    pairs = list(legs)
    accounts = [account for account, _amount in pairs]
    return (
        len(pairs) >= 2
        and len(set(accounts)) == len(accounts)
        and all(isinstance(amount, int) and not isinstance(amount, bool) and amount != 0 for _a, amount in pairs)
        and sum(amount for _a, amount in pairs) == 0
    )


def largest_remainder(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """Split `total` fen over `weights` pro rata so that the shares sum to exactly `total` (docs/adr/0005).

    Each key first gets floor(total * weight / sum); the fen left over go one each to the keys with the largest
    remainders, ties to the smaller key. Requires 0 <= total <= sum of the weights, every weight positive.
    """
    whole = sum(weights.values())
    if whole <= 0 or any(weight <= 0 for weight in weights.values()) or not 0 <= total <= whole:
        raise ValueError("largest_remainder needs positive weights and 0 <= total <= their sum")
    shares = {key: total * weight // whole for key, weight in weights.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(weights, key=lambda key: (-(total * weights[key] % whole), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares
