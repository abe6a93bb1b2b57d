"""API schemas of the school system: `<Entity><Action>In` / `<Entity><Action>Out`, plus the one error body.

Personal data leaves only masked: resident IDs and guardians' phones always; the national student number
in full only where the selector marked it (`student_number_visible`, see selectors.STUDENT_NUMBER_ROLES).
"""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from shuangjian.core import protect
from shuangjian.core.models import APIToken, GuardianLink, Region, School, SchoolClass, Student


class ErrorOut(Schema):
    """Every failure of the API: a stable machine code, a translated message, and details."""

    code: str = Field(examples=["core.not_found"])
    message: str
    details: dict[str, Any]


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error statuses an operation declares, each with the ErrorOut body:
    `response={200: X, **error_responses(404)}`. 401 (authentication) and 422 (invalid input) come with every
    authenticated operation, so they are always in."""
    return dict.fromkeys(sorted({401, 422, *statuses}), ErrorOut)


class RoleAssignmentOut(Schema):
    role: str
    role_label: str
    scope_label: str


class MeGetOut(Schema):
    username: str
    display_name: str
    roles: list[RoleAssignmentOut]


class RegionListOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id


class SchoolListOut(Schema):
    code: str
    name: str
    stage: str
    ownership: str
    boarding: bool
    county_code: str
    county_name: str
    school_group: str | None

    @staticmethod
    def resolve_county_code(obj: School) -> str:
        return obj.county_id

    @staticmethod
    def resolve_county_name(obj: School) -> str:
        return obj.county.name

    @staticmethod
    def resolve_school_group(obj: School) -> str | None:
        return obj.school_group.name if obj.school_group is not None else None


class SchoolGetOut(SchoolListOut):
    stage_label: str
    ownership_label: str
    city_code: str
    city_name: str
    province_code: str
    province_name: str

    @staticmethod
    def resolve_stage_label(obj: School) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_ownership_label(obj: School) -> str:
        return str(obj.get_ownership_display())

    @staticmethod
    def resolve_city_code(obj: School) -> str:
        return obj.city_id

    @staticmethod
    def resolve_city_name(obj: School) -> str:
        return obj.city.name

    @staticmethod
    def resolve_province_code(obj: School) -> str:
        return obj.province_id

    @staticmethod
    def resolve_province_name(obj: School) -> str:
        return obj.province.name


class ClassListOut(Schema):
    id: int
    school_code: str
    grade: int
    number: int
    name: str
    entry_year: int

    @staticmethod
    def resolve_school_code(obj: SchoolClass) -> str:
        return obj.school.code


class StudentListOut(Schema):
    id: int
    name: str
    gender: str
    student_number: str
    status: str
    school_code: str
    class_id: int
    class_name: str

    @staticmethod
    def resolve_student_number(obj: Student) -> str:
        if getattr(obj, "student_number_visible", False):
            return obj.student_number
        return protect.mask_student_number(obj.student_number)

    @staticmethod
    def resolve_school_code(obj: Student) -> str:
        return obj.school.code

    @staticmethod
    def resolve_class_id(obj: Student) -> int:
        return obj.school_class_id

    @staticmethod
    def resolve_class_name(obj: Student) -> str:
        return obj.school_class.name


class StudentGetOut(StudentListOut):
    school_name: str
    gender_label: str
    status_label: str
    birth_date: date
    resident_id_masked: str

    @staticmethod
    def resolve_school_name(obj: Student) -> str:
        return obj.school.name

    @staticmethod
    def resolve_gender_label(obj: Student) -> str:
        return str(obj.get_gender_display())

    @staticmethod
    def resolve_status_label(obj: Student) -> str:
        return str(obj.get_status_display())


class GuardianListOut(Schema):
    """One guardian of a student. The phone is only ever the stored mask."""

    id: int
    name: str
    relation: str
    relation_label: str
    is_primary: bool
    phone_masked: str

    @staticmethod
    def resolve_id(obj: GuardianLink) -> int:
        return obj.guardian_id

    @staticmethod
    def resolve_name(obj: GuardianLink) -> str:
        return obj.guardian.name

    @staticmethod
    def resolve_relation_label(obj: GuardianLink) -> str:
        return str(obj.get_relation_display())

    @staticmethod
    def resolve_phone_masked(obj: GuardianLink) -> str:
        return obj.guardian.phone_masked


class ApiTokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=APIToken._meta.get_field("name").max_length)


class ApiTokenListOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class ApiTokenEventOut(Schema):
    token_id: int
    token_name: str
    kind: str = Field(description="created or revoked")
    at: datetime


class ApiTokenCreateOut(ApiTokenListOut):
    """The raw token appears here once; only its digest is stored."""

    token: str
