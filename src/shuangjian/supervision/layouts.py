"""The column layouts of the periodic reports, as data: the bureau's default layout of each report, and a region's
own (a JSON file `data/layouts/<region code>.json`, the nearest of the region and its ancestors wins), so a city
files in the column order its province asks for without a code change.

A layout file: {"<report kind>": {"title": "...", "columns": [{"key": "...", "header": "...", "width": 12}]}}.
Keys name the fields a report's rows carry (selectors.reports); money columns end in `_yuan`.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.supervision.rules import Cadence

LAYOUTS_DIR = Path(__file__).parent / "data" / "layouts"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str | Promise
    width: int = 12


@dataclass(frozen=True, slots=True)
class Layout:
    title: str | Promise
    columns: tuple[Column, ...]


CADENCE: Mapping[str, Cadence] = {
    "monitoring": Cadence.WEEKLY,
    "half_monthly": Cadence.HALF_MONTHLY,
    "monthly_list": Cadence.MONTHLY,
    "weekly_closed": Cadence.WEEKLY,
}


def _c(key: str, header: str | Promise, width: int = 12) -> Column:
    return Column(key, header, width)


_COUNTY = _c("county", _("县（市、区）"), 14)
DEFAULT_LAYOUTS: Mapping[str, Layout] = {
    "monitoring": Layout(
        _("校外培训监测数据"),
        (
            _COUNTY,
            _c("approved", _("持证机构数")),
            _c("academic", _("其中学科类")),
            _c("non_academic", _("其中非学科类")),
            _c("suspended", _("暂停办学")),
            _c("cancelled", _("已注销")),
            _c("complaints", _("投诉件数")),
            _c("refunds", _("退费笔数")),
            _c("outstanding_yuan", _("未消课预收费（元）"), 18),
            _c("shortfall_yuan", _("监管资金缺口（元）"), 18),
            _c("watch", _("关注")),
            _c("yellow", _("黄色预警")),
            _c("red", _("红色预警")),
        ),
    ),
    "half_monthly": Layout(
        _("校外培训监管工作半月报"),
        (
            _COUNTY,
            _c("approved", _("持证机构数")),
            _c("registered", _("新登记")),
            _c("suspended_in_period", _("暂停办学")),
            _c("cancelled_in_period", _("注销")),
            _c("sanctioned", _("列入惩戒")),
            _c("complaints", _("受理投诉")),
            _c("complaints_resolved", _("办结投诉")),
            _c("warnings_issued", _("下发预警")),
            _c("warnings_appealed", _("机构申诉")),
            _c("warnings_upheld", _("维持预警")),
            _c("warnings_withdrawn", _("撤销预警")),
        ),
    ),
    "monthly_list": Layout(
        _("校外培训机构月度名单"),
        (
            _c("index", _("序号"), 6),
            _c("name", _("机构名称"), 28),
            _c("credit_code", _("统一社会信用代码"), 22),
            _COUNTY,
            _c("kind", _("类型"), 10),
            _c("category", _("类别"), 10),
            _c("mode", _("培训形式"), 10),
            _c("licence_status", _("许可状态"), 10),
            _c("licence_number", _("办学许可证号"), 18),
            _c("fees_supervised", _("资金监管"), 10),
            _c("risk_level", _("风险等级"), 10),
            _c("address", _("地址"), 30),
        ),
    ),
    "weekly_closed": Layout(
        _("问题及停办校外培训机构周报"),
        (
            _c("index", _("序号"), 6),
            _c("name", _("机构名称"), 28),
            _c("credit_code", _("统一社会信用代码"), 22),
            _COUNTY,
            _c("what", _("情形"), 14),
            _c("date", _("日期"), 12),
            _c("reason", _("原因"), 30),
            _c("outstanding_yuan", _("未消课预收费（元）"), 18),
            _c("shortfall_yuan", _("监管资金缺口（元）"), 18),
        ),
    ),
}


def _parse(raw: Mapping[str, object], kind: str) -> Layout:
    spec = raw[kind]
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), list):
        raise ValueError(f"layout {kind!r}: expected a title and a list of columns")
    columns = tuple(Column(str(c["key"]), str(c["header"]), int(c.get("width", 12))) for c in spec["columns"])
    return Layout(str(spec.get("title", str(DEFAULT_LAYOUTS[kind].title))), columns)


@cache
def _region_file(code: str) -> Mapping[str, object]:
    path = LAYOUTS_DIR / f"{code}.json"
    loaded: Mapping[str, object] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return loaded


def layout_for(kind: str, region_codes: Iterable[str]) -> Layout:
    """The layout of report `kind` for a region, given the region's code and its ancestors' (nearest first)."""
    for code in region_codes:
        raw = _region_file(code)
        if kind in raw:
            return _parse(raw, kind)
    return DEFAULT_LAYOUTS[kind]
