"""`shuangjian ledger_auto_confirm [--region CODE] [--dry-run]`: release the lessons guardians neither confirmed
nor disputed within the days their county sets (escrow.auto_confirm_days). Safe to rerun: each hold is released
at most once (its idempotency key is derived from the hold)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuangjian.core.errors import DomainError
from shuangjian.ledger.services.auto_confirm import holds_auto_confirm


class Command(BaseCommand):
    help = _("自动确认家长逾期未确认、也未提出异议的课消，将课时费划拨给机构。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help=_("地区代码（县、市或省）；不填则处理所有地区"))
        parser.add_argument("--dry-run", action="store_true", help=_("只统计到期的课消，不划拨"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = holds_auto_confirm(region_code=options["region"], dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        if options["dry_run"]:
            self.stdout.write(_("试运行：到期 %(due)s 节，未划拨。") % {"due": result.due})
        else:
            self.stdout.write(
                _("到期 %(due)s 节：本次划拨 %(released)s 节，此前已划拨 %(replayed)s 节，未能划拨 %(refused)s 节。")
                % {
                    "due": result.due,
                    "released": result.released,
                    "replayed": result.replayed,
                    "refused": sum(result.refused.values()),
                }
            )
        for code, count in sorted(result.refused.items()):
            self.stdout.write(f"  {code}: {count}")
        if result.counties_without_days:
            self.stdout.write(
                _("以下县区未设置自动确认天数，未自动确认：%(codes)s")
                % {"codes": "、".join(result.counties_without_days)}
            )
