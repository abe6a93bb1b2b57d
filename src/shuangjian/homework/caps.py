"""The cap that applies to a class on a day: the calendar's kind of day and the region's policy profile."""

from dataclasses import dataclass
from datetime import date

from shuangjian.core import calendar
from shuangjian.core.models import SchoolClass
from shuangjian.core.rules import DayKind
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.selectors import effective_profile


@dataclass(frozen=True, slots=True)
class DayCap:
    day: date
    day_kind: DayKind
    cap: int | None  # None: no cap configured for this kind of day

    @property
    def written_allowed(self) -> bool:
        """School days always allow written homework (up to the cap, which may be 0); other days only when the
        region has set a cap for them (POLICY.md H4 has no national number for weekends and holidays)."""
        return self.day_kind is DayKind.SCHOOL_DAY or self.cap is not None


def day_caps(school_class: SchoolClass, start: date, end: date) -> list[DayCap]:
    kinds = calendar.day_kinds(school_class.school, start, end)
    profile = effective_profile(school_class.school.county, start)
    return [
        DayCap(day, kind, policy_rules.homework_cap_minutes(profile, school_class.grade, kind))
        for day, kind in sorted(kinds.items())
    ]
