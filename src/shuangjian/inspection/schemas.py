"""API schemas of inspections and campaigns: `<Entity><Action>In` / `<Entity><Action>Out`.

Choice fields (severity, target kinds, results, case source and actions, sanction kinds) are plain strings: the
services check them and answer with `inspection.invalid_choice`."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class ChecklistItemIn(Schema):
    region_code: str = Field(max_length=6, examples=["411400"])
    code: str = Field(max_length=16, examples=["JC01"])
    text: str = Field(max_length=200)
    legal_basis: str = Field(max_length=200)
    severity: str = Field(examples=["minor", "serious", "grave"])


class ChecklistItemActiveIn(Schema):
    active: bool


class ChecklistItemOut(Schema):
    id: int
    region_code: str = Field(alias="region_id")
    code: str
    text: str
    legal_basis: str
    severity: str
    active: bool


class CampaignCreateIn(Schema):
    name: str = Field(max_length=128)
    region_code: str = Field(max_length=6, examples=["411400"])
    starts_on: date
    ends_on: date
    target_kinds: list[str] = Field(examples=[["academic", "unlicensed"]])
    target_inspections: int = Field(ge=1, examples=[30])


class CampaignUpdateIn(Schema):
    name: str = Field(max_length=128)
    starts_on: date
    ends_on: date
    target_kinds: list[str] = Field(examples=[["academic", "unlicensed"]])
    target_inspections: int = Field(ge=1, examples=[30])


class CampaignOut(Schema):
    id: int
    name: str
    region_code: str = Field(alias="region_id")
    starts_on: date
    ends_on: date
    target_kinds: list[str]
    target_inspections: int


class CountyProgressOut(Schema):
    county_code: str
    county_name: str
    target: int
    inspections: int
    failed_findings: int
    orders_open: int
    orders_closed: int


class CampaignProgressOut(Schema):
    campaign: CampaignOut
    phase: str
    counties: list[CountyProgressOut]


class FindingIn(Schema):
    item_id: int
    result: str = Field(examples=["pass", "fail", "not_applicable"])
    note: str = Field("", max_length=500)


class InspectionCreateIn(Schema):
    inspected_on: date
    findings: list[FindingIn]
    institution_id: int | None = None
    site_id: int | None = Field(None, description="which of the institution's training sites was inspected")
    county_code: str = Field("", max_length=6)
    address: str = Field("", max_length=200)
    campaign_id: int | None = None
    case_id: int | None = None
    co_inspector_ids: list[int] = []
    note: str = Field("", max_length=2000)


class InspectionFilterIn(Schema):
    campaign_id: int | None = None


class FindingOut(Schema):
    item_id: int
    item_code: str = Field(alias="item.code")
    item_text: str
    result: str
    note: str

    @staticmethod
    def resolve_item_text(obj: Any) -> str:
        return str(obj.item.text)


class InspectionOut(Schema):
    id: int
    kind: str
    campaign_id: int | None
    institution_id: int | None
    site_id: int | None
    case_id: int | None
    address: str
    county_code: str = Field(alias="county_id")
    inspected_on: date
    note: str


class InspectionDetailOut(InspectionOut):
    findings: list[FindingOut]
    inspector_count: int

    @staticmethod
    def resolve_findings(obj: Any) -> list[Any]:
        return list(obj.findings.all())

    @staticmethod
    def resolve_inspector_count(obj: Any) -> int:
        return 1 + len(obj.co_inspectors.all())


class OrderIssueIn(Schema):
    requirements: str = Field(max_length=2000)
    deadline: date | None = None


class OrderReportIn(Schema):
    report: str = Field(max_length=2000)


class OrderFollowUpIn(Schema):
    confirmed: bool
    note: str = Field("", max_length=2000)
    co_inspector_ids: list[int] = []
    recommended_sanction: str = Field("", examples=["", "warning", "fine", "ordered_stop"])


class OrderFilterIn(Schema):
    overdue: bool = False
    status: str = ""


class OrderOut(Schema):
    id: int
    inspection_id: int
    institution_id: int
    institution_name: str = Field(alias="institution.name")
    requirements: str
    issued_on: date
    deadline: date
    status: str
    report: str
    reported_at: datetime | None
    follow_up_id: int | None
    closed_on: date | None
    recommended_sanction: str


class CaseCreateIn(Schema):
    county_code: str = Field(max_length=6, examples=["411402"])
    name: str = Field(max_length=128)
    address: str = Field(max_length=200)
    source: str = Field(examples=["inspection", "complaint", "tip"])
    complaint_reference: str = Field("", max_length=20)
    description: str = Field("", max_length=2000)


class CaseAdvanceIn(Schema):
    action: str = Field(examples=["verify", "dismiss", "order_closure", "close", "recheck_closed", "recheck_reopened"])
    on: date | None = None
    note: str = Field("", max_length=500)


class CaseFilterIn(Schema):
    status: str = ""


class CaseOut(Schema):
    id: int
    name: str
    address: str
    county_code: str = Field(alias="county_id")
    source: str
    complaint_reference: str
    description: str
    status: str
    verified_on: date | None
    closure_ordered_on: date | None
    closed_on: date | None
    rechecked_on: date | None
    recheck_count: int
    reported_at: datetime
