"""Generate the periodic supervision reports of a region that are due (weekly, half-monthly, monthly)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.core.errors import DomainError
from shuangjian.supervision.models import ReportKind
from shuangjian.supervision.selectors import region_for
from shuangjian.supervision.services.reports import reports_generate_due


class Command(BaseCommand):
    help = _("生成一个地区到期的监管报表（周报、半月报、月报），保存为 Excel 文件。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help=_("行政区划代码"))
        parser.add_argument("--due", action="store_true", required=True, help=_("生成今天到期的报表"))
        parser.add_argument("--date", type=date.fromisoformat, help=_("按该日期判断到期（YYYY-MM-DD，默认今天）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只列出，不生成"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = reports_generate_due(
                region=region_for(options["region"]),
                today=options["date"] or timezone.localdate(),
                dry_run=options["dry_run"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not found:
            self.stdout.write(_("今天没有到期的报表。"))
        for due in found:
            if due.already:
                state = _("已生成过")
            elif due.file is None:
                state = _("待生成（试运行）")
            else:
                state = _("已生成 %(path)s") % {"path": due.file.path}
            self.stdout.write(f"{ReportKind(due.kind).label} {due.start.isoformat()} ~ {due.end.isoformat()}: {state}")
