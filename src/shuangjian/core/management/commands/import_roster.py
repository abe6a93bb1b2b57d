"""`shuangjian import_roster FILE --school CODE --actor USERNAME [--dry-run] [--create-classes] [--quiet]`.

Imports a school's roster (.xlsx or .csv) through core.services.roster. On any row error it prints one line
per error (resident IDs and phones masked) and exits with status 1; nothing is written. On success it prints
the counts. Progress bars (rows validated, rows written) show on a terminal unless --quiet is given.
"""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from shuangjian.core import selectors
from shuangjian.core.errors import DomainError
from shuangjian.core.services import roster as roster_service


class _Bars:
    """One tqdm bar per stage ("validate", "write"), fed by the service's progress callback."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, tqdm[Any]] = {}
        self.labels = {"validate": _("校验"), "write": _("写入")}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            bar = tqdm(total=total, desc=self.labels.get(stage, stage), unit=_("行"), file=sys.stderr, leave=True)
            self.bars[stage] = bar
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = "Import a school's student roster (.xlsx or .csv, one row per student with guardian columns)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the roster file: .xlsx, or .csv in UTF-8 (with or without BOM) or GB18030")
        parser.add_argument("--school", required=True, help="the school code (学校标识码, ten digits)")
        parser.add_argument("--actor", required=True, help="username of the school leader doing the import")
        parser.add_argument("--dry-run", action="store_true", help="validate the file and count, write nothing")
        parser.add_argument("--create-classes", action="store_true", help="create classes the school does not have")
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(file)s：%(reason)s") % {"file": path, "reason": exc.strerror}) from exc
        bars = _Bars(enabled=not options["quiet"] and sys.stderr.isatty())
        try:
            actor = selectors.user_get_by_username(username=options["actor"])
            result = roster_service.roster_import(
                actor=actor,
                school_code=options["school"],
                filename=path.name,
                content=content,
                create_classes=options["create_classes"],
                dry_run=options["dry_run"],
                progress=bars,
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}", returncode=1) from exc
        finally:
            bars.close()
        if not result.ok:
            for error in result.errors:
                line = _("第 %(row)s 行 %(column)s [%(code)s] %(value)s：%(message)s") % {
                    "row": error.row,
                    "column": error.column or "-",
                    "code": error.code,
                    "value": error.value or _("（空）"),
                    "message": error.message,
                }
                self.stderr.write(line)
            raise CommandError(
                _("发现 %(count)s 处问题，没有导入任何数据。") % {"count": len(result.errors)}, returncode=1
            )
        summary = _(
            "%(school)s：%(rows)s 行，新增学生 %(created)s，更新 %(updated)s，无变化 %(unchanged)s，"
            "新增监护人 %(guardians)s，新增监护关系 %(links)s，新建班级 %(classes)s。"
        ) % {
            "school": result.school_name,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "guardians": result.guardians_created,
            "links": result.links_created,
            "classes": len(result.classes_created),
        }
        if result.dry_run:
            summary = _("试运行（未写入）：") + summary
        self.stdout.write(summary)
