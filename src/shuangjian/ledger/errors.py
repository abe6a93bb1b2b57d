"""Ledger error codes and their messages (a parent, an institution or a bureau clerk must understand each one).
On every refusal nothing has moved."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core.errors import DomainError


class LedgerError(StrEnum):
    AMOUNT_NOT_INTEGER = "ledger.amount_not_integer"
    AMOUNT_NOT_POSITIVE = "ledger.amount_not_positive"
    BAD_TERMS = "ledger.bad_terms"
    OVER_MONTHS = "ledger.over_months"
    OVER_CLASS_HOURS = "ledger.over_class_hours"
    OVER_AMOUNT = "ledger.over_amount"
    BEYOND_LESSONS = "ledger.beyond_lessons"
    INSUFFICIENT_BALANCE = "ledger.insufficient_balance"
    NOTHING_TO_REFUND = "ledger.nothing_to_refund"
    NOT_PURCHASE_GUARDIAN = "ledger.not_purchase_guardian"
    BAD_IDEMPOTENCY_KEY = "ledger.bad_idempotency_key"
    IDEMPOTENCY_CONFLICT = "ledger.idempotency_conflict"
    NOT_SUPERVISED = "ledger.not_supervised"
    LICENCE_NOT_APPROVED = "ledger.licence_not_approved"
    INSTITUTION_FROZEN = "ledger.institution_frozen"
    NOT_FROZEN = "ledger.not_frozen"
    HOLD_SETTLED = "ledger.hold_settled"
    BAD_CLAIMS = "ledger.bad_claims"
    NOT_REVERSIBLE = "ledger.not_reversible"
    ALREADY_REVERSED = "ledger.already_reversed"
    UNBALANCED = "ledger.unbalanced"


class NotPurchaseGuardian(DomainError):
    status = 403

    def __init__(self) -> None:
        super().__init__(LedgerError.NOT_PURCHASE_GUARDIAN, MESSAGES[LedgerError.NOT_PURCHASE_GUARDIAN])


class IdempotencyConflict(DomainError):
    status = 409

    def __init__(self, key: str) -> None:
        super().__init__(LedgerError.IDEMPOTENCY_CONFLICT, MESSAGES[LedgerError.IDEMPOTENCY_CONFLICT], {"key": key})


MESSAGES: dict[str, Promise] = {
    LedgerError.AMOUNT_NOT_INTEGER: _("%(field)s必须是以“分”为单位的整数，收到的是“%(value)s”。"),
    LedgerError.AMOUNT_NOT_POSITIVE: _("%(field)s必须大于零，收到的是 %(value)s。"),
    LedgerError.BAD_TERMS: _("课程名称不能为空，且不超过 %(max)s 个字。"),
    LedgerError.OVER_MONTHS: _("单次预收费不得超过 %(limit)s 个月，本次为 %(value)s 个月。"),
    LedgerError.OVER_CLASS_HOURS: _("单次预收费不得超过 %(limit)s 课时，本次为 %(value)s 课时。"),
    LedgerError.OVER_AMOUNT: _("单次预收费不得超过 %(limit)s 分，本次为 %(value)s 分。"),
    LedgerError.BEYOND_LESSONS: _(
        "超出了购买的课时：共购买 %(lessons)s 课时，已消课、待确认和已退费的课时不能超过该数。"
    ),
    LedgerError.INSUFFICIENT_BALANCE: _("监管账户余额不足，不能支出这笔款项。"),
    LedgerError.NOTHING_TO_REFUND: _("这笔购课已没有可退的余额。"),
    LedgerError.NOT_PURCHASE_GUARDIAN: _("只有购课孩子的监护人才能确认或提出异议。"),
    LedgerError.BAD_IDEMPOTENCY_KEY: _("每笔资金操作须带一个 8 到 80 个字符的幂等键（字母、数字、“-”或“_”）。"),
    LedgerError.IDEMPOTENCY_CONFLICT: _("幂等键“%(key)s”已用于另一笔不同的操作，请换一个新的键。"),
    LedgerError.NOT_SUPERVISED: _("该机构尚未纳入预收费资金监管。"),
    LedgerError.LICENCE_NOT_APPROVED: _("该机构没有有效的办学许可，不能预收费用。"),
    LedgerError.INSTITUTION_FROZEN: _("该机构的监管资金已冻结，不能再购课或划拨资金。"),
    LedgerError.NOT_FROZEN: _("只有机构停业、监管资金冻结后，才能动用风险保证金。"),
    LedgerError.HOLD_SETTLED: _("这节课的课消已经处理过（已划拨或已撤销）。"),
    LedgerError.BAD_CLAIMS: _("赔付申请不正确：须列出该机构的购课记录，每项金额为正整数（分）。"),
    LedgerError.NOT_REVERSIBLE: _("只有风险保证金的缴存可以冲正；课消和退费请用撤销或退费办理。"),
    LedgerError.ALREADY_REVERSED: _("这笔转账已经冲正过。"),
    LedgerError.UNBALANCED: _("转账的借贷不平衡或分录不正确。"),
}


# The amounts and counts rules.fen names, as the message shows them.
FIELD_LABELS: dict[str, Promise] = {
    "lessons": _("课时数"),
    "price_per_lesson_fen": _("课时单价（分）"),
    "months": _("覆盖月数"),
    "amount_fen": _("金额（分）"),
    "claim": _("赔付金额（分）"),
}


def ledger_error(code: str, /, **details: object) -> DomainError:
    if isinstance(details.get("field"), str) and details["field"] in FIELD_LABELS:
        details["field"] = FIELD_LABELS[str(details["field"])]
    return DomainError(code, MESSAGES[code], {k: str(v) for k, v in details.items()})
