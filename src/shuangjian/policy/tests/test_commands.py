"""`shuangjian policy_show`: the effective profile on the command line."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shuangjian.core.tests import factories as f
from shuangjian.policy import datafiles
from shuangjian.policy.tests.factories import publish

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("policy_show", *args, stdout=out)
    return out.getvalue().splitlines()


def test_shows_each_value_with_its_source() -> None:
    # given
    _province, city, _liangyuan, _minquan = f.regions()
    publish(city, {"homework.written_daily_max_minutes.g3_6": 50}, date(2025, 9, 1))
    # when
    lines = run("--region", "411402", "--on", "2025-09-01")
    # then
    assert lines[0] == "411402 在 2025-09-01 的有效政策参数（来源：全国 v1 (2021-07-24), 411400 v1 (2025-09-01)）"
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows["homework.written_daily_max_minutes.g3_6"] == ["50", "411400", "v1"]
    assert rows["homework.written_daily_max_minutes.g7_9"] == ["90", "全国", "v1"]
    assert rows["training.offline_latest_end"] == ['"20:30"', "全国", "v1"]


def test_national_without_region() -> None:
    lines = run("--on", "2025-09-01")
    assert lines[0].startswith("全国 在 2025-09-01 的有效政策参数")
    assert len(lines) == 1 + len(datafiles.read_national()[-1].values)


def test_unknown_region_and_bad_date_fail_cleanly() -> None:
    with pytest.raises(CommandError, match="没有找到该记录"):
        run("--region", "999999")
    with pytest.raises(CommandError):
        run("--on", "2025-02-30")
