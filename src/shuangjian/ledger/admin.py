"""Django admin for the ledger: read-only. Money moves only through the services (posting.post), which keep the
balances, hash chains and idempotency keys; a correction is a reversing transfer, never an edit."""

from typing import Any

from django.contrib import admin

from shuangjian.core.admin import ReadOnlyAdmin
from shuangjian.ledger import models


@admin.register(models.Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "institution", "balance_fen", "posting_count")
    list_filter = ("kind",)
    raw_id_fields = ("institution",)


@admin.register(models.InstitutionLedger)
class InstitutionLedgerAdmin(ReadOnlyAdmin):
    list_display = ("institution", "opened_at", "purchase_count", "frozen_at")
    raw_id_fields = ("institution", "risk_margin", "opened_by", "frozen_by")


@admin.register(models.Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = (
        "pk", "course_title", "institution", "lessons", "price_per_lesson_fen", "lessons_consumed", "lessons_held",
        "lessons_refunded", "frozen",
    )  # fmt: skip
    list_filter = ("frozen",)
    raw_id_fields = (
        "institution", "student", "guardian", "prepaid_account", "held_account", "released_account", "created_by",
    )  # fmt: skip


class PostingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.Posting
    fields = ("account", "amount_fen", "seq", "balance_after_fen", "hash")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "created_at", "purchase", "idempotency_key")
    list_filter = ("kind",)
    search_fields = ("idempotency_key",)
    raw_id_fields = ("purchase", "reverses", "actor")
    inlines = (PostingInline,)


@admin.register(models.Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "transfer", "account", "amount_fen", "seq", "balance_after_fen")
    raw_id_fields = ("transfer", "account")


@admin.register(models.Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ("pk", "purchase", "amount_fen", "status", "created_at", "settled_at")
    list_filter = ("status",)
    raw_id_fields = ("purchase", "hold_transfer", "settle_transfer")


@admin.register(models.BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ("pk", "city", "statement_date", "line_count", "credit_fen", "debit_fen", "imported_at")
    raw_id_fields = ("province", "city", "county", "imported_by")


@admin.register(models.StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ("pk", "statement", "row_number", "bank_reference", "direction", "amount_fen", "match")
    list_filter = ("match",)
    raw_id_fields = ("statement", "transfer")


@admin.register(models.Difference)
class DifferenceAdmin(ReadOnlyAdmin):
    list_display = ("pk", "statement", "kind", "bank_fen", "ledger_fen")
    list_filter = ("kind",)
    raw_id_fields = ("statement", "line", "transfer")


@admin.register(models.DifferenceResolution)
class DifferenceResolutionAdmin(ReadOnlyAdmin):
    list_display = ("difference", "resolved_by", "resolved_at")
    raw_id_fields = ("difference", "correcting_transfer", "resolved_by")
