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
    STATEMENT_MALFORMED = "ledger.statement_malformed"
    STATEMENT_REGION = "ledger.statement_region"
    DIFFERENCE_RESOLVED = "ledger.difference_resolved"
    BAD_NOTE = "ledger.bad_note"
    BAD_CORRECTING_TRANSFER = "ledger.bad_correcting_transfer"


class StatementProblem(StrEnum):
    """What is wrong with one cell of a bank statement (the details of ledger.statement_malformed)."""

    EMPTY = "ledger.statement_empty"
    ENCODING = "ledger.statement_encoding"
    UNKNOWN_COLUMN = "ledger.statement_unknown_column"
    MISSING_COLUMN = "ledger.statement_missing_column"
    DUPLICATE_COLUMN = "ledger.statement_duplicate_column"
    AMOUNT_COLUMN = "ledger.statement_amount_column"
    BAD_ROW = "ledger.statement_bad_row"
    BAD_REFERENCE = "ledger.statement_bad_reference"
    BAD_DATE = "ledger.statement_bad_date"
    BAD_DIRECTION = "ledger.statement_bad_direction"
    BAD_AMOUNT = "ledger.statement_bad_amount"
    TOO_LONG = "ledger.statement_too_long"
    BAD_OUR_REFERENCE = "ledger.statement_bad_our_reference"
    REPEATED_REFERENCE = "ledger.statement_repeated_reference"
    TOO_MANY_LINES = "ledger.statement_too_many_lines"


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
    LedgerError.STATEMENT_MALFORMED: _(
        "对账单格式有误，整份未导入（共 %(count)s 处）。第一处：第 %(row)s 行“%(column)s”列：%(problem)s"
    ),
    LedgerError.STATEMENT_REGION: _("对账单须由所在市的教育局导入，请选择一个市。"),
    LedgerError.DIFFERENCE_RESOLVED: _("这条对账差异已经处理过，处理记录不能修改。"),
    LedgerError.BAD_NOTE: _("请填写处理说明（不超过 %(max)s 个字）。"),
    LedgerError.BAD_CORRECTING_TRANSFER: _("更正转账须是经过托管银行清算账户的一笔已有转账（业务编号 SJ 开头）。"),
}

PROBLEMS: dict[str, Promise] = {
    StatementProblem.EMPTY: _("文件是空的，或只有表头"),
    StatementProblem.ENCODING: _("文件不是 UTF-8 编码的 CSV"),
    StatementProblem.UNKNOWN_COLUMN: _("不认识的列名"),
    StatementProblem.MISSING_COLUMN: _("缺少这一列"),
    StatementProblem.DUPLICATE_COLUMN: _("列名重复"),
    StatementProblem.AMOUNT_COLUMN: _("金额列须有且只有一列：amount_fen（分）或 amount_yuan（元，两位小数）"),
    StatementProblem.BAD_ROW: _("这一行的列数与表头不一致"),
    StatementProblem.BAD_REFERENCE: _("银行流水号须为 1 到 64 个字符"),
    StatementProblem.BAD_DATE: _("日期须写成 YYYY-MM-DD，且是真实的日期"),
    StatementProblem.BAD_DIRECTION: _("方向须为 C（贷，入账）或 D（借，出账）"),
    StatementProblem.BAD_AMOUNT: _("金额须为正数：分为整数，元须恰好两位小数，不带符号和千分位"),
    StatementProblem.TOO_LONG: _("内容太长"),
    StatementProblem.BAD_OUR_REFERENCE: _("平台业务编号须为 SJ 加数字，或留空"),
    StatementProblem.REPEATED_REFERENCE: _("银行流水号在文件中重复"),
    StatementProblem.TOO_MANY_LINES: _("流水笔数超过上限"),
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
