"""Refresh the region rollups of homework monitoring for a span of days (default: yesterday and today)."""

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.homework.services.rollups import days_with_activity, rollups_refresh


class Command(BaseCommand):
    help = _("刷新作业监测的区域汇总（默认昨天和今天）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--end", type=date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        start = options["start"] or today - timedelta(days=1)
        end = options["end"] or today
        written = rollups_refresh(days_with_activity(start, end))
        self.stdout.write(
            _("已刷新 %(start)s 至 %(end)s，写入 %(rows)s 行。") % {"start": start, "end": end, "rows": written}
        )
