"""Builders for a small, valid school world. Tests build what they need and assert exact outcomes."""

import itertools
from datetime import date

from shuangjian.core import protect
from shuangjian.core.identity import make_resident_id
from shuangjian.core.models import (
    Gender,
    Guardian,
    GuardianLink,
    Ownership,
    Region,
    RegionLevel,
    Relation,
    Role,
    RoleAssignment,
    School,
    SchoolClass,
    Staff,
    Stage,
    Student,
    TeachingAssignment,
    User,
)

_sequence = itertools.count(1)
# School codes are the county's 6 digits and 4 more, so they wrap: a test's database starts empty, and one test
# never makes 10,000 schools. (Sharing `_sequence` overflowed to 11 digits once a worker had run enough tests.)
_school_numbers = itertools.count(1)


def regions() -> tuple[Region, Region, Region, Region]:
    """Henan province, Shangqiu city, and two of its counties (real GB/T 2260 codes)."""
    province, _ = Region.objects.get_or_create(
        code="410000", defaults={"name": "河南省", "level": RegionLevel.PROVINCE}
    )
    city, _ = Region.objects.get_or_create(
        code="411400", defaults={"name": "商丘市", "level": RegionLevel.CITY, "parent": province}
    )
    liangyuan, _ = Region.objects.get_or_create(
        code="411402", defaults={"name": "梁园区", "level": RegionLevel.COUNTY, "parent": city}
    )
    minquan, _ = Region.objects.get_or_create(
        code="411421", defaults={"name": "民权县", "level": RegionLevel.COUNTY, "parent": city}
    )
    return province, city, liangyuan, minquan


def school(county: Region, name: str = "实验小学", stage: Stage = Stage.PRIMARY) -> School:
    city = county.parent
    assert city is not None and city.parent is not None
    return School.objects.create(
        code=f"{county.code}{next(_school_numbers) % 10_000:04d}",
        name=name,
        stage=stage,
        ownership=Ownership.PUBLIC,
        county=county,
        city=city,
        province=city.parent,
    )


def school_class(school: School, grade: int = 4, number: int = 1) -> SchoolClass:
    return SchoolClass.objects.create(
        school=school, grade=grade, number=number, name=f"{grade}年级{number}班", entry_year=2026 - grade
    )


def student(school_class: SchoolClass, name: str = "王小明") -> Student:
    birth = date(2026 - school_class.grade - 6, 3, 1)
    resident_id = make_resident_id(school_class.school.county_id, birth, next(_sequence) % 1000)
    protected = protect.protect_resident_id(resident_id)
    return Student.objects.create(
        school=school_class.school,
        school_class=school_class,
        student_number="G" + resident_id,
        name=name,
        gender=Gender.MALE if int(resident_id[16]) % 2 else Gender.FEMALE,
        birth_date=birth,
        resident_id_digest=protected.digest,
        resident_id_masked=protected.masked,
        resident_id_cipher=protected.cipher,
    )


def user(username: str | None = None) -> User:
    return User.objects.create_user(username=username or f"user{next(_sequence)}", password="pw-123456!")


def assign(user: User, role: Role, **scope: object) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, **scope)


def guardian_of(student: Student, account: User | None = None, phone: str = "13800138000") -> Guardian:
    protected = protect.protect_phone(phone)
    guardian = Guardian.objects.create(
        user=account,
        name="王大明",
        phone_digest=protected.digest,
        phone_masked=protected.masked,
        phone_cipher=protected.cipher,
    )
    GuardianLink.objects.create(guardian=guardian, student=student, relation=Relation.FATHER, is_primary=True)
    if account is not None:
        assign(account, Role.GUARDIAN)
    return guardian


def named_user(display_name: str, username: str | None = None) -> User:
    """A user with a display name (what the top bar and the home page greet them with)."""
    return User.objects.create_user(
        username=username or f"user{next(_sequence)}", password="pw-123456!", display_name=display_name
    )


def staff_member(school: School, name: str = "李老师", account: User | None = None) -> Staff:
    return Staff.objects.create(
        user=account, school=school, name=name, gender=Gender.FEMALE, start_date=date(2020, 9, 1)
    )


def teaches(staff: Staff, school_class: SchoolClass, subject: str = "语文") -> TeachingAssignment:
    """任课: `staff` teaches `subject` in `school_class`."""
    return TeachingAssignment.objects.create(
        staff=staff, school=school_class.school, school_class=school_class, subject=subject
    )
