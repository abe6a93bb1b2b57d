"""The prepaid-fee escrow ledger (预收费资金监管): accounts, transfers, postings, holds and family purchases.

Money is integer fen. A transfer has at least two postings that sum to zero; postings are append-only (a
correction is a new reversing transfer). Each account keeps its balance, the number of its postings and the hash
of its newest posting, maintained in the same statement that writes the posting; the database refuses a balance
below zero on every account but the custodian bank's clearing account (docs/adr/0001-0004).

Accounts: the bank's clearing account (money entering and leaving supervision; its balance is minus what the
ledger holds); per purchase three sub-accounts of the institution's supervised account: `prepaid` (refundable),
`held` (delivered lessons awaiting the guardian's confirmation) and `released` (paid out to the institution);
per institution its risk margin. An institution's supervised funds are the sum of its purchases' prepaid and held
accounts, its released funds the sum of their released accounts: no per-institution row every purchase must
update (docs/adr/0006).
"""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Guardian, Region, Student, User
from shuangjian.core.scope import ScopePath
from shuangjian.training.models import Institution


class AccountKind(models.TextChoices):
    CLEARING = "clearing", _("托管银行清算账户")
    PREPAID = "prepaid", _("预收费余额")
    HELD = "held", _("待确认课消")
    RELEASED = "released", _("已划拨机构")
    RISK_MARGIN = "risk_margin", _("风险保证金")


class Account(models.Model):
    kind = models.CharField(_("账户类型"), max_length=16, choices=AccountKind.choices)
    institution = models.ForeignKey(
        Institution, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("培训机构")
    )
    balance_fen = models.BigIntegerField(_("余额（分）"), default=0)
    posting_count = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="clearing") | Q(balance_fen__gte=0), name="ledger_account_balance_floor"
            ),
            models.CheckConstraint(
                condition=Q(kind="clearing", institution__isnull=True)
                | (~Q(kind="clearing") & Q(institution__isnull=False)),
                name="ledger_account_owner",
            ),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="clearing"), name="ledger_one_clearing"),
            models.UniqueConstraint(
                fields=["institution"], condition=Q(kind="risk_margin"), name="ledger_one_margin_per_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class InstitutionLedger(models.Model):
    """An institution admitted to fund supervision. Its row serialises the institution's purchases against its
    closure: a purchase increments `purchase_count` only while the ledger is open (docs/adr/0007)."""

    institution = models.OneToOneField(
        Institution, models.PROTECT, primary_key=True, related_name="+", verbose_name=_("培训机构")
    )
    risk_margin = models.OneToOneField(Account, models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("纳入监管时间"))
    opened_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    purchase_count = models.PositiveIntegerField(default=0)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    frozen_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    frozen_reason = models.CharField(_("冻结原因"), max_length=200, blank=True)

    scope: ClassVar[ScopePath] = ScopePath(institution="institution__credit_code", region_prefix="institution__")

    class Meta:
        verbose_name = _("监管机构账簿")
        verbose_name_plural = _("监管机构账簿")

    def __str__(self) -> str:
        return str(self.institution_id)


class Purchase(models.Model):
    """A family's purchase of a course package. The course's terms are copied at purchase time (the contract the
    family signed); the lesson counters move in the same statement as the money and the database keeps
    held + consumed + refunded within the lessons bought."""

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="+", verbose_name=_("培训机构"))
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    guardian = models.ForeignKey(Guardian, models.PROTECT, related_name="+", verbose_name=_("监护人"))
    course_title = models.CharField(_("课程名称"), max_length=100)
    lessons = models.PositiveIntegerField(_("课时数"))
    price_per_lesson_fen = models.BigIntegerField(_("课时单价（分）"))
    months = models.PositiveSmallIntegerField(_("覆盖月数"))
    paid_fen = models.BigIntegerField(_("实付金额（分）"))
    prepaid_account = models.OneToOneField(Account, models.PROTECT, related_name="+")
    held_account = models.OneToOneField(Account, models.PROTECT, related_name="+")
    released_account = models.OneToOneField(Account, models.PROTECT, related_name="+")
    lessons_held = models.IntegerField(default=0)
    lessons_consumed = models.IntegerField(default=0)
    lessons_refunded = models.IntegerField(default=0)
    frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("购买时间"))
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    scope: ClassVar[ScopePath] = ScopePath(
        student="student", institution="institution__credit_code", region_prefix="institution__"
    )

    class Meta:
        verbose_name = _("课程购买")
        verbose_name_plural = _("课程购买")
        constraints = [
            models.CheckConstraint(
                condition=Q(lessons__gte=1, price_per_lesson_fen__gte=1, months__gte=1), name="ledger_purchase_terms"
            ),
            models.CheckConstraint(
                condition=Q(paid_fen=F("lessons") * F("price_per_lesson_fen")), name="ledger_purchase_paid"
            ),
            models.CheckConstraint(
                condition=Q(lessons_held__gte=0, lessons_consumed__gte=0, lessons_refunded__gte=0)
                & Q(lessons__gte=F("lessons_held") + F("lessons_consumed") + F("lessons_refunded")),
                name="ledger_purchase_lessons",
            ),
        ]
        indexes = [models.Index(fields=["institution", "frozen"], name="ledger_purchase_institution")]

    def __str__(self) -> str:
        return f"{self.course_title} #{self.pk}"


class TransferKind(models.TextChoices):
    PURCHASE = "purchase", _("购课入账")
    HOLD = "hold", _("课消待确认")
    RELEASE = "release", _("课消划拨")
    VOID = "void", _("课消撤销")
    REFUND = "refund", _("退费")
    MARGIN_DEPOSIT = "margin_deposit", _("缴存风险保证金")
    MARGIN_DRAW = "margin_draw", _("动用风险保证金")
    REVERSAL = "reversal", _("冲正")
    PAYOUT = "payout", _("划拨至机构账户")


class Transfer(models.Model):
    """One movement of money; immutable. The idempotency key and the digest of the request that made it are
    stored on the row itself, so the key is recorded in the same transaction as the postings."""

    kind = models.CharField(_("类型"), max_length=16, choices=TransferKind.choices)
    idempotency_key = models.CharField(max_length=80)  # unique: Meta (a constraint, without a LIKE index)
    request_digest = models.CharField(max_length=64)
    purchase = models.ForeignKey(
        Purchase, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )  # indexed by (purchase, kind)
    reverses = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )  # at most once: Meta (an index of the reversals only, not of every transfer)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("转账")
        verbose_name_plural = _("转账")
        indexes = [models.Index(fields=["purchase", "kind"], name="ledger_transfer_purchase")]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="ledger_transfer_idempotency_key"),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="ledger_transfer_reverses_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Posting(models.Model):
    """One leg of a transfer. `seq` numbers an account's postings from 1; `hash` covers the account's previous
    posting hash and this posting's fields (docs/adr/0004)."""

    transfer = models.ForeignKey(Transfer, models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, models.PROTECT, related_name="postings", db_index=False)  # (account, seq)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    seq = models.BigIntegerField()
    balance_after_fen = models.BigIntegerField(_("记账后余额（分）"))
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        constraints = [
            models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_posting_nonzero"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="ledger_posting_seq_positive"),
            models.UniqueConstraint(fields=["account", "seq"], name="ledger_posting_account_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_fen:+d}"


class HoldStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    DISPUTED = "disputed", _("有异议")
    RELEASED = "released", _("已划拨")
    VOIDED = "voided", _("已撤销")


class Hold(models.Model):
    """A delivered lesson's price, moved from the purchase's prepaid to its held account until the guardian
    confirms (released to the institution) or the claim is withdrawn or overturned (voided, back to prepaid)."""

    purchase = models.ForeignKey(Purchase, models.PROTECT, related_name="holds")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    status = models.CharField(_("状态"), max_length=16, choices=HoldStatus.choices, default=HoldStatus.PENDING)
    hold_transfer = models.OneToOneField(Transfer, models.PROTECT, related_name="+")
    settle_transfer = models.OneToOneField(Transfer, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("上课时间"))
    settled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    disputed_at = models.DateTimeField(_("提出异议时间"), null=True, blank=True)

    scope: ClassVar[ScopePath] = ScopePath(
        student="purchase__student",
        institution="purchase__institution__credit_code",
        region_prefix="purchase__institution__",
    )

    class Meta:
        verbose_name = _("课消待确认")
        verbose_name_plural = _("课消待确认")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=1), name="ledger_hold_amount"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "disputed"], settle_transfer__isnull=True)
                | Q(status__in=["released", "voided"], settle_transfer__isnull=False),
                name="ledger_hold_settled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purchase_id} {self.get_status_display()}"


class BankStatement(models.Model):
    """One custodian-bank daily statement of the clearing account, imported once per city (the file's digest) and
    never edited. What did not match is a Difference; a difference is settled by a DifferenceResolution (a note,
    and where money was missing, the correcting transfer made through the ledger services), never by editing.
    The statement belongs to the city whose bureau reconciles it (docs/BANK_STATEMENT.md)."""

    province = models.ForeignKey(Region, models.PROTECT, related_name="+")
    city = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("地区"))
    county = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")  # always empty
    statement_date = models.DateField(_("对账日期"))
    digest = models.CharField(max_length=64)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    line_count = models.PositiveIntegerField(_("流水笔数"))
    credit_fen = models.BigIntegerField(_("入账合计（分）"))
    debit_fen = models.BigIntegerField(_("出账合计（分）"))
    imported_at = models.DateTimeField(_("导入时间"))
    imported_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    scope: ClassVar[ScopePath] = ScopePath(region_prefix="")

    class Meta:
        verbose_name = _("银行对账单")
        verbose_name_plural = _("银行对账单")
        constraints = [
            models.CheckConstraint(condition=Q(credit_fen__gte=0, debit_fen__gte=0), name="ledger_statement_totals"),
            models.UniqueConstraint(fields=["city", "digest"], name="ledger_statement_once_per_city"),
        ]
        indexes = [models.Index(fields=["city", "statement_date"], name="ledger_statement_city_date")]

    def __str__(self) -> str:
        return f"{self.statement_date} #{self.pk}"


class BankDirection(models.TextChoices):
    CREDIT = "credit", _("入账")
    DEBIT = "debit", _("出账")


class MatchMethod(models.TextChoices):
    REFERENCE = "reference", _("按业务编号")
    AMOUNT_DATE = "amount_date", _("按金额和日期")
    NONE = "none", _("未匹配")


class StatementLine(models.Model):
    """One line of a bank statement as the bank sent it, and the ledger transfer it was matched to on import."""

    statement = models.ForeignKey(BankStatement, models.PROTECT, related_name="lines")
    row_number = models.PositiveIntegerField(_("行号"))
    bank_reference = models.CharField(_("银行流水号"), max_length=64)
    value_date = models.DateField(_("记账日期"))
    direction = models.CharField(_("方向"), max_length=8, choices=BankDirection.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    counterparty = models.CharField(_("对方户名"), max_length=100, blank=True)
    our_reference = models.CharField(_("平台业务编号"), max_length=40, blank=True)
    transfer = models.ForeignKey(Transfer, models.PROTECT, null=True, blank=True, related_name="+")
    match = models.CharField(_("匹配方式"), max_length=16, choices=MatchMethod.choices)

    scope: ClassVar[ScopePath] = ScopePath(region_prefix="statement__")

    class Meta:
        verbose_name = _("对账单流水")
        verbose_name_plural = _("对账单流水")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=1), name="ledger_line_amount"),
            models.UniqueConstraint(fields=["statement", "row_number"], name="ledger_line_row"),
        ]
        indexes = [models.Index(fields=["transfer"], name="ledger_line_transfer")]

    def __str__(self) -> str:
        return f"{self.bank_reference} {self.amount_fen}"

    @property
    def inflow_fen(self) -> int:
        """Money into supervision, in fen: a credit is positive, a debit negative."""
        return self.amount_fen if self.direction == BankDirection.CREDIT else -self.amount_fen


class DifferenceKind(models.TextChoices):
    MISSING_IN_LEDGER = "missing_in_ledger", _("平台账簿中没有")
    MISSING_AT_BANK = "missing_at_bank", _("银行流水中没有")
    AMOUNT_DIFFERS = "amount_differs", _("金额不一致")
    DUPLICATE = "duplicate", _("重复入账")
    DATE_OUTSIDE_WINDOW = "date_outside_window", _("日期超出对账窗口")


class Difference(models.Model):
    """A difference between the bank's statement and the ledger, found on import. Amounts are money into
    supervision (negative: out), in fen, as each side shows it."""

    statement = models.ForeignKey(BankStatement, models.PROTECT, related_name="differences")
    kind = models.CharField(_("差异类型"), max_length=24, choices=DifferenceKind.choices)
    line = models.ForeignKey(StatementLine, models.PROTECT, null=True, blank=True, related_name="+")
    transfer = models.ForeignKey(Transfer, models.PROTECT, null=True, blank=True, related_name="+")
    bank_fen = models.BigIntegerField(_("银行金额（分）"), null=True, blank=True)
    ledger_fen = models.BigIntegerField(_("账簿金额（分）"), null=True, blank=True)

    scope: ClassVar[ScopePath] = ScopePath(region_prefix="statement__")

    class Meta:
        verbose_name = _("对账差异")
        verbose_name_plural = _("对账差异")
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=False) | Q(transfer__isnull=False), name="ledger_difference_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DifferenceResolution(models.Model):
    """How a difference was settled: who, when, why, and the correcting transfer if money had to move. Once."""

    difference = models.OneToOneField(Difference, models.PROTECT, related_name="resolution")
    note = models.CharField(_("处理说明"), max_length=500)
    correcting_transfer = models.ForeignKey(Transfer, models.PROTECT, null=True, blank=True, related_name="+")
    resolved_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"))

    class Meta:
        verbose_name = _("差异处理")
        verbose_name_plural = _("差异处理")

    def __str__(self) -> str:
        return str(self.difference_id)
