"""API schemas of training supervision: `<Entity><Action>In` / `<Entity><Action>Out`.

Choice fields (kind, mode, category, licence action, sanction kind) are plain strings: the services check them and
answer with `training.invalid_choice`. Weekdays are ISO numbers (1 = Monday); money is integer fen. Public schemas
carry no personal data: no staff, no user who recorded anything.
"""

from datetime import date, datetime, time
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

# The registry


class InstitutionCreateIn(Schema):
    credit_code: str = Field(max_length=32, examples=["91411400MA4000000F"])
    name: str = Field(max_length=128)
    kind: str = Field(examples=["academic", "non_academic"])
    category: str = Field("", examples=["", "sports", "arts", "science", "other"])
    mode: str = Field(examples=["offline", "online"])
    county_code: str = Field(max_length=6, examples=["411402"])
    legal_representative: str = Field(max_length=64)
    address: str = Field("", max_length=200)


class InstitutionUpdateIn(Schema):
    name: str | None = None
    legal_representative: str | None = None
    address: str | None = None
    mode: str | None = None
    category: str | None = None
    reason: str = ""


class InstitutionOut(Schema):
    id: int
    credit_code: str
    name: str
    kind: str
    kind_label: str
    category: str
    mode: str
    county_code: str
    county_name: str = Field(alias="county.name")
    legal_representative: str
    address: str
    licence_number: str
    licence_status: str
    licence_status_label: str
    fees_supervised: bool
    escrow_bank: str
    escrow_opened_on: date | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_county_code(obj: Any) -> str:
        return str(obj.county_id)

    @staticmethod
    def resolve_licence_status_label(obj: Any) -> str:
        return str(obj.get_licence_status_display())


class InstitutionFilterIn(Schema):
    status: str | None = Field(None, examples=["approved"])
    q: str = Field("", max_length=64, description="a name fragment or an exact credit code")


class LicenceChangeIn(Schema):
    action: str = Field(examples=["approve", "suspend", "reinstate", "cancel"])
    reason: str = ""
    licence_number: str = ""


class SupervisionIn(Schema):
    bank: str = Field(max_length=128)
    opened_on: date


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    from_status: str
    to_status: str
    reason: str
    detail: dict[str, Any]
    actor: str
    at: datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor)


class SanctionCreateIn(Schema):
    kind: str = Field(examples=["warning", "fine", "ordered_stop", "licence_revoked", "joint_sanction"])
    reason: str
    authority: str = Field(max_length=128, examples=["梁园区教育体育局"])
    starts_on: date
    ends_on: date | None = None
    partners: list[str] = Field(
        default_factory=list, description="joint sanction: partner departments", examples=[["market_regulation"]]
    )
    measures: str = Field("", max_length=2000)


class SanctionOut(Schema):
    id: int
    institution_id: int
    kind: str
    kind_label: str
    reason: str
    authority: str
    starts_on: date
    ends_on: date | None
    partners: list[str]
    partner_labels: list[str]
    measures: str
    complaint_id: int | None

    @staticmethod
    def resolve_partner_labels(obj: Any) -> list[str]:
        return list(obj.partner_labels)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


# Sites and staff


class SiteCreateIn(Schema):
    address: str = Field(max_length=200)
    area_square_metres: int


class SiteOut(Schema):
    id: int
    address: str
    area_square_metres: int


class StaffCreateIn(Schema):
    name: str = Field(max_length=64)
    teaches: bool = True
    qualification_number: str = Field("", max_length=32)


class StaffOut(Schema):
    id: int
    name: str
    teaches: bool
    qualification_number: str


# Courses and prices


class SittingIn(Schema):
    weekday: int | None = Field(None, description="ISO weekday (1 = Monday) of a weekly sitting")
    day: date | None = Field(None, description="the date of a one-off sitting")
    start: time
    end: time


class SittingOut(Schema):
    weekday: int | None
    day: date | None = Field(alias="date")
    start: time = Field(alias="start_time")
    end: time = Field(alias="end_time")


class CourseCreateIn(Schema):
    title: str = Field(max_length=64)
    subject: str = Field(max_length=16, examples=["数学", "篮球"])
    grade_min: int
    grade_max: int
    lesson_minutes: int
    lesson_count: int
    class_size: int
    price_fen_per_lesson: int = Field(ge=0)
    charge_lessons: int = Field(description="lessons one charge covers")
    charge_months: int = Field(ge=0, description="months one charge spans")
    start_date: date
    end_date: date
    site_id: int | None = None
    sittings: list[SittingIn]


class CourseOut(Schema):
    id: int
    institution_id: int
    site_id: int | None
    title: str
    subject: str
    grade_min: int
    grade_max: int
    lesson_minutes: int
    lesson_count: int
    class_size: int
    price_fen_per_lesson: int
    charge_lessons: int
    charge_months: int
    start_date: date
    end_date: date
    status: str
    sittings: list[SittingOut]

    @staticmethod
    def resolve_sittings(obj: Any) -> list[Any]:
        return list(obj.entries.all())


class GuidancePriceIn(Schema):
    region_code: str = Field(max_length=6)
    subject: str = Field(examples=["数学"])
    mode: str = Field(examples=["offline", "online"])
    base_fen: int = Field(description="fen per student per standard lesson (P2)")


class GuidancePriceOut(Schema):
    region_code: str = Field(alias="region_id")
    subject: str
    mode: str
    base_fen: int


class GuidancePriceFilterIn(Schema):
    region_code: str = Field(max_length=6, examples=["411402"])


class GuidancePriceHistoryFilterIn(GuidancePriceFilterIn):
    subject: str = Field("", max_length=16, examples=["数学"])
    mode: str = Field("", max_length=16, examples=["offline"])


class GuidancePriceChangeOut(GuidancePriceOut):
    previous_fen: int | None
    set_at: datetime


class ViolationOut(Schema):
    institution_id: int
    institution_name: str
    credit_code: str
    county: str
    course_id: int
    course_title: str
    code: str
    message: str


# The public lookup


class PublicLookupIn(Schema):
    q: str = Field("", max_length=64, description="a name fragment or an exact unified social credit code")


class PublicInstitutionOut(Schema):
    credit_code: str
    name: str
    kind: str
    kind_label: str
    category: str
    mode: str
    county_name: str = Field(alias="county.name")
    licence_status: str
    licence_status_label: str
    fees_supervised: bool

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_licence_status_label(obj: Any) -> str:
        return str(obj.get_licence_status_display())


class PublicListingOut(BaseModel):
    """A plain pydantic model (not a ninja Schema): validated from the listing's attributes in pydantic-core,
    without ninja's per-attribute resolver lookup, which cost more than the search itself."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    kind: str
    kind_label: str
    category: str
    category_label: str
    mode: str
    mode_label: str
    county_name: str
    licence_status: str
    licence_status_label: str
    fees_supervised: bool


class PublicSearchOut(Schema):
    items: list[PublicListingOut]
    count: int = Field(description="how many items are returned (at most 50)")
    more: bool = Field(description="more institutions match: type more of the name")


class PublicCourseOut(Schema):
    title: str
    subject: str
    grade_min: int
    grade_max: int
    lesson_minutes: int
    lesson_count: int
    price_fen_per_lesson: int
    start_date: date
    end_date: date
    sittings: list[SittingOut]

    @staticmethod
    def resolve_sittings(obj: Any) -> list[Any]:
        return list(obj.entries.all())


class PublicSanctionOut(Schema):
    credit_code: str
    institution_name: str = Field(alias="institution.name")
    kind: str
    kind_label: str
    reason: str
    authority: str
    starts_on: date
    ends_on: date | None
    partner_labels: list[str]
    measures: str

    @staticmethod
    def resolve_partner_labels(obj: Any) -> list[str]:
        return list(obj.partner_labels)

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return str(obj.institution.credit_code)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class PublicInstitutionDetailOut(PublicInstitutionOut):
    legal_representative: str
    address: str
    licence_number: str
    escrow_bank: str
    escrow_opened_on: date | None
    sites: list[SiteOut]
    courses: list[PublicCourseOut]
    sanctions: list[PublicSanctionOut]

    @staticmethod
    def resolve_sites(obj: Any) -> list[Any]:
        return list(obj.sites.all())

    @staticmethod
    def resolve_courses(obj: Any) -> list[Any]:
        return list(obj.active_courses)

    @staticmethod
    def resolve_sanctions(obj: Any) -> list[Any]:
        return list(getattr(obj, "sanctions_in_force", []))


# Complaints (public)


class ComplaintCreateIn(Schema):
    county_code: str = Field(max_length=6, examples=["411402"], description="the county where the training happens")
    institution_name: str = Field("", max_length=128)
    credit_code: str = Field("", max_length=32, description="the institution's credit code, if known")
    content: str = Field(max_length=2000)
    wants_reply: bool = False
    contact_name: str = Field("", max_length=64)
    phone: str = Field("", max_length=20, description="needed when a reply is wanted; stored protected")


class ComplaintFollowIn(Schema):
    reference: str = Field(max_length=20)


class ComplaintFollowOut(Schema):
    """What the complainant sees: the status and, once resolved, the reply; never notes or other people's data."""

    reference: str
    institution_name: str
    status: str
    status_label: str
    received_at: datetime
    reply: str

    @staticmethod
    def resolve_reply(obj: Any) -> str:
        return str(obj.reply) if obj.status in ("resolved", "closed") else ""

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())
