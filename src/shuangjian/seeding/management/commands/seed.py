"""`shuangjian seed --preset demo|county|city [--seed N] [--if-empty] [--scale F]`: demo and scale data."""

import sys
import unicodedata
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from shuangjian.core.errors import DomainError
from shuangjian.seeding.presets import Preset
from shuangjian.seeding.run import SeedResult, seed_database


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(cells)).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


class Command(BaseCommand):
    help = "生成演示数据（demo）或规模数据（county、city）；同一 --seed 生成相同的数据。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--preset", choices=[p.value for p in Preset], default=Preset.DEMO.value)
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (and print the demo logins) when schools exist"
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="county and city presets: fraction of the real size (0-1]"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 1:
            raise CommandError(_("--scale 必须在 0 和 1 之间（不含 0）。"))
        try:
            result = seed_database(
                preset=Preset(options["preset"]),
                seed=options["seed"],
                if_empty=options["if_empty"],
                scale=options["scale"],
                progress=sys.stderr.isatty(),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._report(result)

    def _report(self, result: SeedResult) -> None:
        counts = result.counts
        if result.created:
            self.stdout.write(
                _("已生成 %(preset)s 数据：%(schools)s 所学校，%(classes)s 个班级，%(students)s 名学生，")
                % {
                    "preset": result.preset,
                    "schools": counts["schools"],
                    "classes": counts["classes"],
                    "students": counts["students"],
                }
                + _("%(guardians)s 名监护人，%(staff)s 名教职工；用时 %(seconds).1f 秒（%(rate).0f 名学生/秒）。")
                % {
                    "guardians": counts["guardians"],
                    "staff": counts["staff"],
                    "seconds": result.seconds,
                    "rate": result.students_per_second,
                }
            )
        else:
            self.stdout.write(
                _("数据库中已有 %(schools)s 所学校，%(students)s 名学生：未重新生成。")
                % {"schools": counts["schools"], "students": counts["students"]}
            )
        if not result.logins:
            return
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码仅供演示，切勿用于生产环境）："))
        rows = [[login.username, login.password, login.role, login.scope] for login in result.logins]
        for line in _table([_("用户名"), _("密码"), _("角色"), _("范围")], rows):
            self.stdout.write(line)
