"""A small escrow world: 前进体育 (a non-academic institution in 梁园区, approved, under supervision) and 民权书法
(in 民权县, under supervision), their operators, the two county bureaus, and two families of one class: 王爸爸
with 王小明 and 李妈妈 with 李小红. Time is frozen on Monday 2026-09-07 at 09:00 in Shanghai. The national profile
caps a non-academic collection at 3 months, 60 class hours and 500,000 fen."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from shuangjian.core.models import Region, Role, Student, User
from shuangjian.core.tests import factories as f
from shuangjian.ledger.models import InstitutionLedger
from shuangjian.ledger.services import posting, supervision
from shuangjian.training.models import Institution, InstitutionKind, LicenceStatus, TrainingMode

NOW = datetime(2026, 9, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# The posting paths the invariants are held to: the PL/pgSQL function exists only on PostgreSQL.
ENGINES = ["function", "python_twin"] if connection.vendor == "postgresql" else ["python_twin"]


@dataclass
class LedgerWorld:
    institution: Institution
    other_institution: Institution
    operator: User
    other_operator: User
    county_bureau: User
    other_county_bureau: User
    parent: User
    other_parent: User
    child: Student
    classmate: Student


def institution(county: Region, name: str, credit_code: str, **changes: object) -> Institution:
    city = county.parent
    assert city is not None and city.parent is not None
    fields: dict[str, object] = {
        "credit_code": credit_code, "name": name, "kind": InstitutionKind.NON_ACADEMIC, "category": "sports",
        "mode": TrainingMode.OFFLINE, "county": county, "city": city, "province": city.parent,
        "legal_representative": "张三", "licence_status": LicenceStatus.APPROVED,
    }  # fmt: skip
    fields.update(changes)
    return Institution.objects.create(**fields)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once per posting path (on SQLite only the Python twin exists)."""
    if request.param == "python_twin":
        with posting.python_twin():
            yield request.param
    else:
        yield request.param


def build_world() -> LedgerWorld:
    _province, _city, liangyuan, minquan = f.regions()
    school = f.school(liangyuan, "梁园区前进小学")
    school_class = f.school_class(school, 4, 1)
    child, classmate = f.student(school_class, "王小明"), f.student(school_class, "李小红")
    parent, other_parent = f.named_user("王爸爸"), f.named_user("李妈妈")
    f.guardian_of(child, parent, phone="13800000001")
    f.guardian_of(classmate, other_parent, phone="13800000003")
    sports = institution(liangyuan, "前进体育", "91411402MA00000011")
    calligraphy = institution(minquan, "民权书法", "91411421MA00000022", category="arts")

    def account(name: str, role: Role, **scope: object) -> User:
        user = f.named_user(name)
        f.assign(user, role, **scope)
        return user

    world = LedgerWorld(
        institution=sports,
        other_institution=calligraphy,
        operator=account("前进体育", Role.INSTITUTION_OPERATOR, institution_credit_code=sports.credit_code),
        other_operator=account("民权书法", Role.INSTITUTION_OPERATOR, institution_credit_code=calligraphy.credit_code),
        county_bureau=account("梁园区教体局", Role.BUREAU, region=liangyuan),
        other_county_bureau=account("民权县教体局", Role.BUREAU, region=minquan),
        parent=parent,
        other_parent=other_parent,
        child=child,
        classmate=classmate,
    )
    supervision.institution_ledger_open(actor=world.county_bureau, institution_id=sports.pk)
    supervision.institution_ledger_open(actor=world.other_county_bureau, institution_id=calligraphy.pk)
    return world


@pytest.fixture
def world(db: None, clock: time_machine.Traveller) -> LedgerWorld:
    return build_world()


def opened(institution_id: int) -> InstitutionLedger:
    return InstitutionLedger.objects.get(pk=institution_id)


@pytest.fixture
def city_bureau(world: LedgerWorld) -> User:
    """The bureau of the city (商丘市): it reconciles the custodian bank's statements."""
    bureau = f.named_user("商丘市教体局")
    f.assign(bureau, Role.BUREAU, region=world.institution.city)
    return bureau
