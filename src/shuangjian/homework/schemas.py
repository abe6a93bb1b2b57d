"""API schemas of homework: `<Entity><Action>In` / `<Entity><Action>Out`.

Choice fields (subject, kind, layer, scope) are plain strings here: the services check them and answer with
`homework.invalid_choice`, so a teacher gets the same message from the API as from the pages. Output schemas
read model instances through their attributes and `get_<field>_display()` (schemas import no models).
"""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class ItemAssignIn(Schema):
    class_id: int
    subject: str
    kind: str
    layer: str
    title: str = Field(min_length=1, max_length=100)
    instructions: str = ""
    estimated_minutes: int
    due_date: date
    start_date: date | None = None
    group_id: int | None = None
    asks_parent_to_grade: bool = False
    punitive: bool = False


class ItemUpdateIn(Schema):
    estimated_minutes: int
    due_date: date
    start_date: date | None = None


class ItemOut(Schema):
    id: int
    class_id: int
    subject: str
    kind: str
    layer: str
    title: str
    instructions: str
    estimated_minutes: int
    start_date: date
    due_date: date
    status: str
    group_id: int | None


class BoardEntryOut(Schema):
    item: ItemOut
    minutes_today: int


class DayBoardOut(Schema):
    class_id: int
    class_name: str
    date: date
    day_kind: str
    cap_minutes: int | None
    capped_minutes: int
    remaining_minutes: int | None
    total_minutes: int
    by_subject: dict[str, int]
    entries: list[BoardEntryOut]


class DayBoardIn(Schema):
    date: date


class WeekBoardOut(Schema):
    class_id: int
    class_name: str
    start: date
    end: date
    days: list[DayBoardOut]


class RebalanceIn(Schema):
    date: date
    minutes_by_item: dict[int, int]


class FeedbackIn(Schema):
    student_id: int
    date: date
    reported_minutes: int
    unfinished_at_bedtime: bool = False
    item_minutes: dict[str, int] | None = None


class FeedbackOut(Schema):
    student_id: int
    date: date
    reported_minutes: int
    unfinished_at_bedtime: bool
    source: str


class FeedbackEntryIn(Schema):
    student_id: int
    reported_minutes: int
    unfinished_at_bedtime: bool = False


class FeedbackBatchIn(Schema):
    date: date
    entries: list[FeedbackEntryIn] = Field(min_length=1, max_length=80)


class FeedbackBatchOut(Schema):
    saved: int


class MonitoringPeriodIn(Schema):
    start: date
    end: date
    grade: int | None = None


class ComplianceOut(Schema):
    start: date
    end: date
    feedback_count: int
    within_cap_share: float | None
    unfinished_share: float | None
    average_reported_minutes: float | None
    median_minutes: int | None
    p90_minutes: int | None
    class_days: int
    class_days_over_cap: int
    average_estimated_minutes: float | None


class RepeatedlyOverIn(Schema):
    start: date
    end: date
    min_days: int | None = Field(None, ge=1, description="days over the cap; default: the local policy's")


class RepeatedlyOverOut(Schema):
    key: int
    label: str
    days_over: int


# The showcase (优质作业)


class ShowcaseShareIn(Schema):
    item_id: int
    scope: str = Field(examples=["school", "county", "city"])


class ShowcaseFilterIn(Schema):
    grade: int | None = None
    subject: str | None = None
    layer: str | None = None
    kind: str | None = None
    scope: str | None = None


class ShowcaseReuseIn(Schema):
    class_id: int
    due_date: date
    start_date: date | None = None
    estimated_minutes: int | None = None
    layer: str | None = None
    group_id: int | None = None


class SharedHomeworkOut(Schema):
    id: int
    scope: str
    scope_label: str
    school_name: str = Field(alias="school.name")
    shared_by_name: str
    subject: str
    kind: str
    layer: str
    grade: int
    title: str
    instructions: str
    estimated_minutes: int
    created_at: datetime
    reuse_count: int

    @staticmethod
    def resolve_scope_label(obj: Any) -> str:
        return str(obj.get_scope_display())

    @staticmethod
    def resolve_shared_by_name(obj: Any) -> str:
        return str(obj.shared_by)


# Complaints about homework load


class ComplaintFileIn(Schema):
    student_id: int
    text: str
    period_start: date | None = None
    period_end: date | None = None


class ComplaintListIn(Schema):
    status: str | None = Field(None, examples=["open", "escalated", "answered", "closed"])


class ComplaintRespondIn(Schema):
    response: str
    close: bool = False


class ComplaintEventOut(Schema):
    at: datetime
    party: str
    party_label: str
    from_status: str
    to_status: str
    note: str

    @staticmethod
    def resolve_party_label(obj: Any) -> str:
        return str(obj.get_party_display())


class ComplaintListOut(Schema):
    reference: str
    status: str
    status_label: str
    student_name: str = Field(alias="student.name")
    class_name: str = Field(alias="school_class.name")
    school_name: str = Field(alias="school.name")
    text: str
    period_start: date | None
    period_end: date | None
    filed_at: datetime
    respond_by: datetime | None
    escalated_at: datetime | None
    response: str
    responded_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class ComplaintGetOut(ComplaintListOut):
    """One complaint with its history: every status change, oldest first."""

    events: list[ComplaintEventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return sorted(obj.events.all(), key=lambda event: (event.at, event.pk))
