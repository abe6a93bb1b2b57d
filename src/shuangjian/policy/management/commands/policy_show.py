"""`shuangjian policy_show --region CODE [--on YYYY-MM-DD]`: print the effective policy profile."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.core.errors import DomainError
from shuangjian.policy import selectors


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from exc


class Command(BaseCommand):
    help = "Print the effective policy profile of a region on a day, with the layer each value comes from."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="GB/T 2260 code of the region; omit for the national default")
        parser.add_argument("--on", type=_date, help="the day (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        on: date = options["on"] or timezone.localdate()
        try:
            profile = selectors.effective_profile_out(region_code=options["region"], on=on)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        layers = ", ".join(
            f"{layer.region or _('全国')} v{layer.version} ({layer.effective_from})" for layer in profile.layers
        )
        self.stdout.write(
            _("%(region)s 在 %(on)s 的有效政策参数（来源：%(layers)s）")
            % {"region": profile.region or _("全国"), "on": on.isoformat(), "layers": layers or "-"}
        )
        width = max((len(item.key) for item in profile.values), default=0)
        for item in profile.values:
            source = f"{item.source.region or _('全国')} v{item.source.version}"
            self.stdout.write(f"{item.key.ljust(width)}  {json.dumps(item.value, ensure_ascii=False):<12}  {source}")
