"""Pure homework rules: no database."""

from datetime import UTC, date, datetime, timedelta

import pytest

from shuangjian.homework import rules
from shuangjian.homework.rules import LoadLine

W, ORAL = "written", "oral"
BASIC, ADV, EXT = "basic", "advanced", "extension"


@pytest.mark.parametrize(
    ("_case", "total", "days", "expected"),
    [
        ("one day takes all", 40, 1, [40]),
        ("even split", 60, 3, [20, 20, 20]),
        ("remainder goes first", 61, 3, [21, 20, 20]),
        ("fewer minutes than days", 2, 3, [1, 1, 0]),
    ],
)
def test_spread_minutes(_case: str, total: int, days: int, expected: list[int]) -> None:
    dates = [date(2026, 11, 23 + i) for i in range(days)]
    assert list(rules.spread_minutes(total, dates).values()) == expected


def test_spread_over_no_day_is_empty() -> None:
    assert rules.spread_minutes(30, []) == {}


def test_day_load_counts_written_required_layers_only() -> None:
    load = rules.day_load(
        [
            LoadLine("语文", W, BASIC, 20),
            LoadLine("数学", W, ADV, 25),
            LoadLine("数学", W, EXT, 30),  # optional: not capped
            LoadLine("英语", ORAL, BASIC, 15),  # oral: not capped
        ]
    )
    assert load.capped_minutes == 45
    assert load.by_subject == {"数学": 25, "语文": 20}
    assert load.total_minutes == 90


def test_day_load_takes_the_heaviest_group() -> None:
    load = rules.day_load(
        [
            LoadLine("语文", W, BASIC, 20),
            LoadLine("数学", W, BASIC, 10, group_id=1),
            LoadLine("数学", W, ADV, 25, group_id=2),
        ]
    )
    assert load.capped_minutes == 45
    assert load.by_subject == {"数学": 25, "语文": 20}


@pytest.mark.parametrize(
    ("_case", "load", "cap", "ok", "code"),
    [
        ("under the cap", 59, 60, True, ""),
        ("at the cap", 60, 60, True, ""),
        ("one over", 61, 60, False, "homework.cap_exceeded"),
        ("junior at 90", 90, 90, True, ""),
        ("junior one over", 91, 90, False, "homework.cap_exceeded"),
        ("grade 1-2: any written is refused", 1, 0, False, "homework.no_written_homework"),
        ("grade 1-2: nothing written is fine", 0, 0, True, ""),
        ("no cap configured", 500, None, True, ""),
    ],
)
def test_check_cap(_case: str, load: int, cap: int | None, ok: bool, code: str) -> None:
    decision = rules.check_cap(rules.DayLoad(load, {}, load), cap)
    assert (decision.ok, decision.code) == (ok, code)


@pytest.mark.parametrize(("minutes", "ok"), [(-1, False), (0, False), (1, True), (600, True), (601, False)])
def test_item_minutes_bounds(minutes: int, ok: bool) -> None:
    assert rules.check_minutes(minutes).ok is ok


@pytest.mark.parametrize(("minutes", "ok"), [(-1, False), (0, True), (600, True), (601, False)])
def test_reported_minutes_bounds(minutes: int, ok: bool) -> None:
    assert rules.check_reported_minutes(minutes).ok is ok


@pytest.mark.parametrize(
    ("_case", "text", "flags", "code"),
    [
        ("plain homework", "完成练习册第12页", {}, ""),
        ("parent grading phrase", "完成后请家长批改并签字", {}, "homework.parent_grading_forbidden"),
        ("parent signature", "家长签字", {}, "homework.parent_grading_forbidden"),
        ("teacher ticks the flag", "口算练习", {"asks_parent_to_grade": True}, "homework.parent_grading_forbidden"),
        ("self grading", "做完后自批自改", {}, "homework.self_grading_forbidden"),
        ("punitive copying", "错字罚抄二十遍", {}, "homework.punitive_forbidden"),
        ("punitive flag", "生字抄写", {"punitive": True}, "homework.punitive_forbidden"),
    ],
)
def test_banned_practices(_case: str, text: str, flags: dict[str, bool], code: str) -> None:
    decision = rules.banned_practices(text, **flags)
    assert decision.code == code
    assert decision.ok is (code == "")


def test_histogram_percentiles() -> None:
    histogram = [0] * rules.BUCKET_COUNT
    for minutes in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]:
        histogram[rules.bucket_of(minutes)] += 1
    assert rules.histogram_percentile(histogram, 0.5) == 54
    assert rules.histogram_percentile(histogram, 0.9) == 94
    assert rules.histogram_percentile([0] * rules.BUCKET_COUNT, 0.5) is None


def test_bucket_of_caps_at_the_last_bucket() -> None:
    assert rules.bucket_of(0) == 0
    assert rules.bucket_of(4) == 0
    assert rules.bucket_of(5) == 1
    assert rules.bucket_of(600) == rules.BUCKET_COUNT - 1


def test_merge_histograms() -> None:
    a = [1] + [0] * (rules.BUCKET_COUNT - 1)
    b = [2] + [0] * (rules.BUCKET_COUNT - 2) + [3]
    merged = rules.merge_histograms([a, b])
    assert merged[0] == 3 and merged[-1] == 3 and sum(merged) == 6


@pytest.mark.parametrize(
    ("_case", "requested", "configured", "expected"),
    [("the caller's number wins", 2, 5, 2), ("else the policy's", None, 5, 5), ("else any day over", None, None, 1)],
)
def test_repeat_threshold(_case: str, requested: int | None, configured: int | None, expected: int) -> None:
    assert rules.repeat_threshold(requested, configured) == expected


# Complaints


@pytest.mark.parametrize(
    ("typed", "stored"), [("abcd-efgh-jkmn", "ABCDEFGHJKMN"), (" AB CD EF GH JK MN ", "ABCDEFGHJKMN")]
)
def test_normalise_reference(typed: str, stored: str) -> None:
    assert rules.normalise_reference(typed) == stored


@pytest.mark.parametrize(
    ("_case", "text", "ok"),
    [
        ("text", "作业太多", True),
        ("blank", " \n", False),
        ("at the limit", "多" * 2000, True),
        ("over", "多" * 2001, False),
    ],
)
def test_check_text(_case: str, text: str, ok: bool) -> None:
    decision = rules.check_text(text, "homework.complaint_text_invalid")
    assert decision.ok is ok
    assert decision.code == ("" if ok else "homework.complaint_text_invalid")


TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("_case", "start", "end", "code"),
    [
        ("no period", None, None, ""),
        ("a week up to today", date(2026, 11, 16), TODAY, ""),
        ("one day", TODAY, TODAY, ""),
        ("backwards", TODAY, date(2026, 11, 22), "homework.complaint_bad_period"),
        ("ends tomorrow", None, date(2026, 11, 24), "homework.complaint_period_in_future"),
        ("starts tomorrow", date(2026, 11, 24), None, "homework.complaint_period_in_future"),
    ],
)
def test_check_complaint_period(_case: str, start: date | None, end: date | None, code: str) -> None:
    assert rules.check_complaint_period(start, end, TODAY).code == code


def test_response_deadline() -> None:
    filed = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    assert rules.response_deadline(filed, 3) == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert rules.response_deadline(filed, None) is None


@pytest.mark.parametrize(("status", "ok"), [("open", True), ("escalated", True), ("answered", True), ("closed", False)])
def test_check_respond(status: str, ok: bool) -> None:
    assert rules.check_respond(status).ok is ok


def test_respond_status() -> None:
    assert (rules.respond_status(close=False), rules.respond_status(close=True)) == ("answered", "closed")


DEADLINE = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("_case", "status", "respond_by", "now", "overdue"),
    [
        ("at the deadline", "open", DEADLINE, DEADLINE, False),
        ("a second past", "open", DEADLINE, DEADLINE + timedelta(seconds=1), True),
        ("answered in time", "answered", DEADLINE, DEADLINE + timedelta(days=9), False),
        ("already escalated", "escalated", DEADLINE, DEADLINE + timedelta(days=9), False),
        ("no deadline configured", "open", None, DEADLINE + timedelta(days=999), False),
    ],
)
def test_is_overdue(_case: str, status: str, respond_by: datetime | None, now: datetime, overdue: bool) -> None:
    assert rules.is_overdue(status, respond_by, now) is overdue
