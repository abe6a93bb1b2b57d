"""API schemas of complaint handling. Supervisors see the complainant's masked phone; an operator's schema
(`InstitutionComplaintOut`) carries no complainant identity and no internal notes. Choice fields are plain strings
checked by the services (`training.invalid_choice`)."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class HotlineIntakeIn(Schema):
    channel: str = Field(examples=["hotline_12345", "hotline_12315"])
    hotline_reference: str = Field(max_length=32, examples=["SQ20260907001"])
    received_at: datetime
    county_code: str = Field(max_length=6, examples=["411402"])
    institution_name: str = Field("", max_length=128)
    credit_code: str = Field("", max_length=32, description="a registered institution's credit code, if known")
    institution_address: str = Field("", max_length=200, description="for an unregistered institution")
    content: str = Field(max_length=2000)
    wants_reply: bool = False
    contact_name: str = Field("", max_length=64)
    phone: str = Field("", max_length=20, description="stored protected, shown masked")


class ComplaintFilterIn(Schema):
    view: str = Field("all", examples=["all", "mine", "unassigned", "overdue"])
    status: str = Field("", examples=["", "received", "investigating"])


def _label(obj: Any, field: str) -> str:
    return str(getattr(obj, f"get_{field}_display")()) if getattr(obj, field) else ""


class ComplaintOut(Schema):
    id: int
    reference: str
    channel: str
    hotline_reference: str
    county_code: str = Field(alias="county_id")
    institution_id: int | None
    institution_name: str
    institution_address: str
    content: str
    wants_reply: bool
    contact_name: str
    phone_masked: str
    status: str
    status_label: str
    received_at: datetime
    triage_due_on: date | None
    resolve_due_on: date | None
    category: str
    priority: str
    rejection_reason: str
    assignee_id: int | None
    assignee: str
    outcome: str
    outcome_label: str
    reply: str
    resolved_at: datetime | None
    operator_response: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return _label(obj, "status")

    @staticmethod
    def resolve_outcome_label(obj: Any) -> str:
        return _label(obj, "outcome")

    @staticmethod
    def resolve_assignee(obj: Any) -> str:
        return str(obj.assignee.username) if obj.assignee_id else ""


class ComplaintEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    from_status: str
    to_status: str
    note: str
    reminder_for: str
    actor: str
    at: datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return _label(obj, "kind")

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor.username) if obj.actor_id else ""


class ComplaintTriageIn(Schema):
    category: str = Field(examples=["fees", "academic_violation"])
    priority: str = Field("normal", examples=["normal", "urgent"])
    note: str = Field("", max_length=2000)


class ComplaintRejectIn(Schema):
    reason: str = Field(max_length=2000)


class ComplaintAssignIn(Schema):
    assignee_id: int
    note: str = Field("", max_length=2000)


class ComplaintNoteIn(Schema):
    note: str = Field("", max_length=2000)


class ComplaintResolveIn(Schema):
    outcome: str = Field(examples=["substantiated", "not_substantiated", "mediated"])
    reply: str = Field(max_length=2000)


class ComplaintReopenIn(Schema):
    reason: str = Field(max_length=2000)


class JointSanctionIn(Schema):
    reason: str = Field(max_length=2000)
    authority: str = Field(max_length=128, examples=["梁园区教育体育局"])
    starts_on: date
    ends_on: date | None = None
    partners: list[str] = Field(examples=[["market_regulation", "tax"]])
    measures: str = Field(max_length=2000)


class InstitutionComplaintOut(Schema):
    """A complaint about the operator's own institution: its category, status and the reply (never its text,
    which may name the complainant)."""

    id: int
    reference: str
    institution_id: int
    category_label: str
    status: str
    status_label: str
    received_at: datetime
    reply: str
    operator_response: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return _label(obj, "status")

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return _label(obj, "category")

    @staticmethod
    def resolve_reply(obj: Any) -> str:
        return str(obj.reply) if obj.status in ("resolved", "closed") else ""


class ComplaintResponseIn(Schema):
    response: str = Field(max_length=2000)


class CountOut(Schema):
    key: str
    label: str
    count: int


class ComplaintOverviewOut(Schema):
    months: list[str]
    complaints_by_status: list[CountOut]
    complaints_by_month: list[int]
    institutions_by_status: list[CountOut]
    cancellations_by_month: list[int]

    @staticmethod
    def resolve_complaints_by_status(obj: Any) -> list[dict[str, Any]]:
        return [{"key": k, "label": label, "count": n} for k, label, n in obj.complaints_by_status]

    @staticmethod
    def resolve_institutions_by_status(obj: Any) -> list[dict[str, Any]]:
        return [{"key": k, "label": label, "count": n} for k, label, n in obj.institutions_by_status]
