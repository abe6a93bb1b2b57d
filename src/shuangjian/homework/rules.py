"""Pure homework rules: spreading a project over days, a class's daily load, the cap check, banned practices.

No Django here. Policy numbers arrive as arguments (from policy.rules via the services); the only
literal bound is the sanity limit on a single entry, which is input validation, not policy.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# A single item or a day's report above this is a typing mistake, not homework (issue 5: "over 600").
MAX_PLAUSIBLE_MINUTES = 600

WRITTEN = "written"
EXTENSION = "extension"


@dataclass(frozen=True, slots=True)
class Decision:
    ok: bool
    code: str = ""
    params: dict[str, object] = field(default_factory=dict)


OK = Decision(True)


@dataclass(frozen=True, slots=True)
class LoadLine:
    """One item's minutes on one day, as the cap sees it."""

    subject: str
    kind: str
    layer: str
    minutes: int
    group_id: int | None = None

    @property
    def counts_toward_cap(self) -> bool:
        """Written homework in the required layers counts; extension (选做) and oral/practical work do not."""
        return self.kind == WRITTEN and self.layer != EXTENSION


@dataclass(frozen=True, slots=True)
class DayLoad:
    capped_minutes: int  # what the most-loaded student of the class carries in capped homework
    by_subject: dict[str, int]  # capped minutes by subject, whole class plus the heaviest group's share
    total_minutes: int  # every published minute, all kinds and layers (for the board)


def spread_minutes(total: int, days: Sequence[date]) -> dict[date, int]:
    """Spread `total` minutes evenly over `days`; the remainder goes to the first days."""
    if not days:
        return {}
    base, extra = divmod(total, len(days))
    return {day: base + (1 if index < extra else 0) for index, day in enumerate(days)}


def day_load(lines: Iterable[LoadLine]) -> DayLoad:
    """A student carries the whole-class items plus those of their group: the class's load is the heaviest."""
    whole: dict[str, int] = defaultdict(int)
    groups: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    for line in lines:
        total += line.minutes
        if not line.counts_toward_cap:
            continue
        target = whole if line.group_id is None else groups[line.group_id]
        target[line.subject] += line.minutes
    heaviest: dict[str, int] = max(groups.values(), key=lambda g: sum(g.values()), default={})
    by_subject = dict(whole)
    for subject, minutes in heaviest.items():
        by_subject[subject] = by_subject.get(subject, 0) + minutes
    return DayLoad(sum(by_subject.values()), dict(sorted(by_subject.items())), total)


def check_cap(load: DayLoad, cap: int | None) -> Decision:
    """Refuse a day whose capped load is above the cap. No cap configured for that day: allowed."""
    if cap is None or load.capped_minutes <= cap:
        return OK
    if cap == 0:
        return Decision(False, "homework.no_written_homework", {"cap": cap})
    return Decision(False, "homework.cap_exceeded", {"cap": cap, "load": load.capped_minutes})


def check_minutes(minutes: int) -> Decision:
    if minutes < 1 or minutes > MAX_PLAUSIBLE_MINUTES:
        return Decision(False, "homework.implausible_minutes", {"minutes": minutes, "max": MAX_PLAUSIBLE_MINUTES})
    return OK


def check_reported_minutes(minutes: int) -> Decision:
    if minutes < 0 or minutes > MAX_PLAUSIBLE_MINUTES:
        return Decision(False, "homework.implausible_minutes", {"minutes": minutes, "max": MAX_PLAUSIBLE_MINUTES})
    return OK


# Phrases that assign work to parents or make homework punitive (POLICY.md H6, H8, H9).
_PARENT_GRADING = ("家长批改", "家长检查", "家长签字", "家长签名", "家长评分", "家长打分", "家长订正", "家长批阅")
_SELF_GRADING = ("自批自改", "学生自己批改")
_PUNITIVE = ("罚抄", "罚写", "惩罚性", "抄写十遍", "抄写二十遍", "抄十遍", "抄二十遍", "抄五十遍", "抄一百遍")


def banned_practices(text: str, *, asks_parent_to_grade: bool = False, punitive: bool = False) -> Decision:
    """Refuse homework that asks parents to check or grade it, asks pupils to self-grade, or is punitive."""
    if asks_parent_to_grade or any(p in text for p in _PARENT_GRADING):
        return Decision(False, "homework.parent_grading_forbidden")
    if any(p in text for p in _SELF_GRADING):
        return Decision(False, "homework.self_grading_forbidden")
    if punitive or any(p in text for p in _PUNITIVE):
        return Decision(False, "homework.punitive_forbidden")
    return OK


def percentile(sorted_values: Sequence[int], fraction: float) -> float | None:
    """Nearest-rank percentile of already sorted values (None for no values)."""
    if not sorted_values:
        return None
    rank = max(1, -(-int(fraction * 1000) * len(sorted_values) // 1000))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


# Reports are binned in 5-minute buckets up to the plausible maximum, so medians and 90th percentiles can be
# merged across classes and days without reading every report again.
BUCKET_MINUTES = 5
BUCKET_COUNT = MAX_PLAUSIBLE_MINUTES // BUCKET_MINUTES + 1


def bucket_of(minutes: int) -> int:
    return min(minutes // BUCKET_MINUTES, BUCKET_COUNT - 1)


def merge_histograms(histograms: Iterable[Sequence[int]]) -> list[int]:
    merged = [0] * BUCKET_COUNT
    for histogram in histograms:
        for index, count in enumerate(histogram):
            merged[index] += count
    return merged


def histogram_percentile(histogram: Sequence[int], fraction: float) -> int | None:
    """The upper edge (minutes) of the bucket holding the nearest-rank percentile; None for no reports."""
    total = sum(histogram)
    if total == 0:
        return None
    rank = max(1, -(-int(fraction * 1000) * total // 1000))
    seen = 0
    for index, count in enumerate(histogram):
        seen += count
        if seen >= rank:
            return min((index + 1) * BUCKET_MINUTES - 1, MAX_PLAUSIBLE_MINUTES)
    return MAX_PLAUSIBLE_MINUTES


COUNTERS = (
    "class_count",
    "classes_over_cap",
    "estimated_minutes_sum",
    "feedback_count",
    "within_cap_count",
    "unfinished_count",
    "reported_minutes_sum",
)


@dataclass(slots=True)
class Tally:
    class_count: int = 0
    classes_over_cap: int = 0
    estimated_minutes_sum: int = 0
    feedback_count: int = 0
    within_cap_count: int = 0
    unfinished_count: int = 0
    reported_minutes_sum: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * BUCKET_COUNT)

    def add(self, other: "Tally") -> None:
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.histogram = merge_histograms([self.histogram, other.histogram])


def repeat_threshold(requested: int | None, configured: int | None) -> int:
    """Days over the cap that make a class or student "repeatedly over": the caller's number, else the policy's
    (homework.repeatedly_over_min_days); when neither says, every day over counts (as the monitoring pages do)."""
    if requested is not None:
        return requested
    return configured if configured is not None else 1


# Complaints about homework load (issue 5 item 6). Text limits are input validation, not policy.
COMPLAINT_TEXT_MAX = 2000
OPEN, ESCALATED, ANSWERED, CLOSED = "open", "escalated", "answered", "closed"
REFERENCE_LENGTH = 12  # symbols of core.references: 60 bits, so a reference cannot be guessed


def normalise_reference(raw: str) -> str:
    """What a guardian types (lower case, spaces or hyphens) as the stored reference."""
    return "".join(ch for ch in raw.upper() if ch not in " -")


def check_text(text: str, code: str, limit: int = COMPLAINT_TEXT_MAX) -> Decision:
    if not text.strip() or len(text) > limit:
        return Decision(False, code, {"max": limit})
    return OK


def check_complaint_period(start: date | None, end: date | None, today: date) -> Decision:
    if start is not None and end is not None and start > end:
        return Decision(False, "homework.complaint_bad_period")
    for day in (start, end):
        if day is not None and day > today:
            return Decision(False, "homework.complaint_period_in_future", {"date": day})
    return OK


def response_deadline(filed_at: datetime, days: int | None) -> datetime | None:
    """When the school must have answered: `days` after filing; None when the policy sets no time."""
    return None if days is None else filed_at + timedelta(days=days)


def check_respond(status: str) -> Decision:
    """A school or bureau answers or closes a complaint that is not closed yet (a later answer adds to it)."""
    if status == CLOSED:
        return Decision(False, "homework.complaint_closed")
    return OK


def respond_status(close: bool) -> str:
    return CLOSED if close else ANSWERED


def is_overdue(status: str, respond_by: datetime | None, now: datetime) -> bool:
    """An open complaint whose answer time has passed goes to the bureau."""
    return status == OPEN and respond_by is not None and respond_by < now
