"""The nightly risk scoring of a region's training institutions (issue 4, item 6)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.core.errors import DomainError
from shuangjian.supervision.models import RiskLevel
from shuangjian.supervision.selectors import region_for
from shuangjian.supervision.services.scoring import risk_score_region


class Command(BaseCommand):
    help = _("对一个地区的校外培训机构进行风险评分，风险等级升至黄色或红色时下发预警。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help=_("行政区划代码"))
        parser.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help=_("只计算，不保存"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = risk_score_region(
                region=region_for(options["region"]),
                on=options["date"] or timezone.localdate(),
                dry_run=options["dry_run"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        levels = "，".join(f"{RiskLevel(level).label} {n}" for level, n in sorted(result.levels.items()))
        self.stdout.write(
            _("%(on)s 评分机构 %(scored)s 家（%(levels)s），新下发预警 %(notices)s 份%(dry)s。")
            % {
                "on": result.on,
                "scored": result.scored,
                "levels": levels or "-",
                "notices": len(result.notices),
                "dry": _("（试运行，未保存）") if result.dry_run else "",
            }
        )
