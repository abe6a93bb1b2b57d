from django.utils import translation

from shuangjian.core.weekdays import SCHOOL_WEEKDAYS, WEEKDAY_LABELS, weekday_label


def test_weekdays_are_iso_numbers_named_as_a_school_names_them() -> None:
    assert [weekday_label(n) for n in range(1, 8)] == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    assert [WEEKDAY_LABELS[n] for n in SCHOOL_WEEKDAYS] == [WEEKDAY_LABELS[n] for n in range(1, 6)]
    assert weekday_label(9) == "9"


def test_weekday_names_follow_the_language() -> None:
    with translation.override("en"):
        assert weekday_label(1) == "Mon"
