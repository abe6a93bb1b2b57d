"""`shuangjian ledger_payout [--region CODE] [--dry-run]`: pay the money released for confirmed lessons out to the
institutions' own accounts (F8, escrow.settlement_max_days). Safe to rerun: an institution is paid at most once a
day (the idempotency key is derived from the institution and the day)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuangjian.core.errors import DomainError
from shuangjian.core.money import yuan
from shuangjian.ledger.services.payouts import payouts_run


class Command(BaseCommand):
    help = _("将家长已确认课消的课时费从监管账户划拨至机构自有账户（每家机构每天一次）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help=_("地区代码（县、市或省）；不填则处理所有地区"))
        parser.add_argument("--dry-run", action="store_true", help=_("只统计待划拨的金额，不划拨"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = payouts_run(region_code=options["region"], dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        amounts = {"count": result.paid, "yuan": yuan(result.paid_fen, grouped=True)}
        if options["dry_run"]:
            self.stdout.write(_("试运行：%(count)s 家机构待划拨，共 %(yuan)s 元，未划拨。") % amounts)
        else:
            self.stdout.write(
                _("本次划拨 %(count)s 家机构，共 %(yuan)s 元；今日已划拨过 %(replayed)s 家，未能划拨 %(refused)s 家。")
                % {**amounts, "replayed": result.replayed, "refused": sum(result.refused.values())}
            )
        for code, count in sorted(result.refused.items()):
            self.stdout.write(f"  {code}: {count}")
