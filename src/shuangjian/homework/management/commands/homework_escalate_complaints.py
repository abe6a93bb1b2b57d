"""Send the complaints about homework load that the school left unanswered past the policy's days to the bureau.

Run it every hour or so (cron, a systemd timer). `--region CODE` limits it to one county or city;
`--dry-run` lists what would be escalated and changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.homework.services.complaints import escalate_overdue_complaints


class Command(BaseCommand):
    help = _("把学校超过答复时限仍未答复的作业负担投诉转交教育局。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help=_("只处理该行政区划（县区或市）的学校"))
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将要转交的投诉，不做修改"))

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        escalated = escalate_overdue_complaints(now=timezone.now(), region_code=options["region"], dry_run=dry_run)
        for complaint in escalated:
            self.stdout.write(f"{complaint.reference} {complaint.school.code} {complaint.school.name}")
        message = _("将转交 %(count)s 件投诉（试运行，未修改）。") if dry_run else _("已转交 %(count)s 件投诉。")
        self.stdout.write(message % {"count": len(escalated)})
