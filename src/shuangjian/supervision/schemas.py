"""API schemas of the early warning and the reports: `<Entity><Action>In` / `<Entity><Action>Out`. Reasons are
given as data (signal, value, threshold, points) and in words."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


def _level_label(obj: Any) -> str:
    return str(obj.get_level_display())


class ReasonOut(Schema):
    signal: str
    value: int
    threshold: int
    points: int


class ScoreOut(Schema):
    id: int
    institution_id: int
    institution_name: str = Field(alias="institution.name")
    on: date
    score: int
    level: int
    level_label: str
    reasons: list[ReasonOut]

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return _level_label(obj)


class ScoreFilterIn(Schema):
    on: date | None = None
    min_level: int = Field(0, ge=0, le=3)


class WarningEventOut(Schema):
    kind: str
    text: str
    at: datetime


class WarningOut(Schema):
    id: int
    institution_id: int
    institution_name: str = Field(alias="institution.name")
    level: int
    level_label: str
    score: int
    reasons: list[ReasonOut]
    issued_on: date
    appeal_deadline: date | None
    status: str
    status_label: str
    appeal_text: str
    decision_reason: str

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return _level_label(obj)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class WarningDetailOut(WarningOut):
    events: list[WarningEventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class WarningFilterIn(Schema):
    status: str | None = Field(None, examples=["issued", "appealed", "upheld", "withdrawn"])


class WarningAppealIn(Schema):
    text: str = Field(max_length=2000)


class WarningDecisionIn(Schema):
    decision: str = Field(examples=["uphold", "withdraw"])
    reason: str = Field(max_length=2000)


class ReportIn(Schema):
    kind: str = Field(examples=["monitoring", "half_monthly", "monthly_list", "weekly_closed"])
    region: str = Field(max_length=6, examples=["411400"])
    start: date
    end: date


class ReportOut(Schema):
    kind: str
    title: str
    region: str
    start: date
    end: date
    columns: list[str]
    headers: list[str]
    rows: list[list[Any]]
    total: list[Any] | None
