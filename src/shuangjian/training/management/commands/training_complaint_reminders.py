"""Record the complaint deadline reminders of a region and list them.

Run it once a day (cron, a systemd timer): `training_complaint_reminders --region 411402`. Each complaint gets one
reminder per deadline (triage, resolve) when it falls due within a working day or is overdue; `--dry-run` lists them
and records nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuangjian.core.errors import NotFound
from shuangjian.training.tasks import complaint_reminders


class Command(BaseCommand):
    help = _("记录投诉办理期限提醒（即将到期或已超期），并列出。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help=_("行政区划代码（县区、市或省）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只列出提醒，不做记录"))

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        try:
            found = complaint_reminders.call(region_code=options["region"], dry_run=dry_run)
        except NotFound as exc:
            raise CommandError(exc.message) from exc
        for item in found:
            state = _("已超期") if item["overdue"] else _("即将到期")
            line = f"{item['reference']} {item['deadline']} {item['due_on']} {state} {item['assignee']}"
            self.stdout.write(line.rstrip())
        message = _("共 %(count)s 条提醒（试运行，未记录）。") if dry_run else _("已记录 %(count)s 条提醒。")
        self.stdout.write(message % {"count": len(found)})
