"""A small training world: Henan / Shangqiu with 梁园区 and 民权县, the term 2026-09-01 to 2027-01-22, the city's and
both counties' bureaus, an inspector of 梁园区, and two institutions registered and approved by 梁园区's bureau and
民权县's: 启明 (offline academic, run by `operator`) and 博雅 (offline academic in 民权县, run by `other_operator`).
Time is frozen on Monday 2026-09-07 at 09:00 in Shanghai."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shuangjian.core.models import Region, Role, SchoolYear, Term, User
from shuangjian.core.tests import factories as f
from shuangjian.training.models import Institution
from shuangjian.training.tests import builders

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 7, 9, 0, tzinfo=SHANGHAI)
TERM_START, TERM_END = date(2026, 9, 1), date(2027, 1, 22)


@dataclass
class TrainingWorld:
    city: Region
    liangyuan: Region
    minquan: Region
    city_bureau: User
    county_bureau: User
    other_county_bureau: User
    inspector: User
    operator: User
    other_operator: User
    institution: Institution
    other_institution: Institution


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db: None, clock: time_machine.Traveller) -> TrainingWorld:
    year = SchoolYear.objects.create(start_year=2026)
    Term.objects.create(school_year=year, number=1, start_date=TERM_START, end_date=TERM_END)
    _province, city, liangyuan, minquan = f.regions()

    def account(name: str, role: Role, **scope: object) -> User:
        user = f.named_user(name)
        f.assign(user, role, **scope)
        return user

    county_bureau = account("梁园区教体局", Role.BUREAU, region=liangyuan)
    other_county_bureau = account("民权县教体局", Role.BUREAU, region=minquan)
    institution = builders.approved(county_bureau, builders.QIMING, liangyuan)
    other = builders.approved(other_county_bureau, builders.BOYA, minquan)
    return TrainingWorld(
        city=city,
        liangyuan=liangyuan,
        minquan=minquan,
        city_bureau=account("商丘市教育局", Role.BUREAU, region=city),
        county_bureau=county_bureau,
        other_county_bureau=other_county_bureau,
        inspector=account("梁园区督查员", Role.INSPECTOR, region=liangyuan),
        operator=account("启明校长", Role.INSTITUTION_OPERATOR, institution_credit_code=institution.credit_code),
        other_operator=account("博雅校长", Role.INSTITUTION_OPERATOR, institution_credit_code=other.credit_code),
        institution=institution,
        other_institution=other,
    )
