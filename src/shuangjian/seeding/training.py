"""Seeded training institutions (the bulk seed path: rows written directly, with their registry events).

- demo: a handful in 梁园区 and 民权县, including the demo operator's (accounts.DEMO_CREDIT_CODE, an approved
  offline academic institution with a site, a qualified teacher, a legal Wednesday course, a Saturday course the
  inspectors' violations page flags, and a supervised account), every licence status, one sanction, and the
  guidance prices of Shangqiu with one of 梁园区's own;
- county: about 50 in 梁园区; city: Shangqiu's 217 licensed institutions under watch and 152 cancelled academic ones
  (the seeds' figures), spread over the counties by the plan's school counts.
Everything is decided by the preset, the seed and the scale: the same arguments give the same rows.
"""

import random
from collections import Counter
from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from stdnum.cn import uscc

from shuangjian.core.models import Region, User
from shuangjian.seeding.accounts import DEMO_CREDIT_CODE
from shuangjian.seeding.presets import DEMO_COUNTY, Plan, Preset, largest_remainder
from shuangjian.training.models import (
    Course,
    EventKind,
    GuidancePrice,
    GuidancePriceChange,
    Institution,
    InstitutionEvent,
    InstitutionNameGram,
    InstitutionStaff,
    Sanction,
    Site,
    TimetableEntry,
)

CITY_LICENSED: Final = 217
CITY_CANCELLED_ACADEMIC: Final = 152
COUNTY_LICENSED: Final = 30
COUNTY_CANCELLED: Final = 20
_CODE_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SEEDED_AT: Final = datetime(2026, 8, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
_NAME_WORDS: Final = ("启明", "博雅", "新苗", "育才", "晨光", "智远", "卓越", "青禾", "远航", "星辰", "明德", "致知")
_KINDS: Final = (
    ("academic", "", "培训学校"),
    ("non_academic", "sports", "体育俱乐部"),
    ("non_academic", "arts", "艺术培训中心"),
    ("non_academic", "science", "科技创新中心"),
)


def _credit_code(rng: random.Random, county: str, taken: set[str]) -> str:
    while True:
        body = "52" + county + "".join(rng.choice(_CODE_ALPHABET) for _ in range(9))
        code = body + uscc.calc_check_digit(body)
        if code not in taken:
            taken.add(code)
            return code


def _registrar() -> User:
    """The demo bureau account records the seeded registry; scale presets without it get a user who cannot sign in."""
    found = User.objects.filter(username="bureau").first()
    if found is not None:
        return found
    user, _created = User.objects.get_or_create(
        username="registry-seed", defaults={"display_name": "登记数据导入", "password": make_password(None)}
    )
    return user


def _institution(rng: random.Random, county: Region, code: str, kind_index: int, status: str, n: int) -> Institution:
    kind, category, suffix = _KINDS[kind_index]
    city = county.parent
    province = city.parent if city is not None else None
    if city is None or province is None:
        raise ValueError(f"region {county.code} is not a county of a city")
    name = f"{county.name}{rng.choice(_NAME_WORDS)}{rng.choice(_NAME_WORDS)}{suffix}"
    return Institution(
        credit_code=code,
        name=name,
        kind=kind,
        category=category,
        mode="online" if n % 9 == 0 else "offline",
        county=county,
        city=city,
        province=province,
        legal_representative=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("明", "芳", "强", "丽", "伟", "静")),
        licence_number=f"教民{county.code}{n:05d}号" if status != "applied" else "",
        licence_status=status,
        address=f"{county.name}{rng.choice(('建设路', '凯旋路', '神火大道', '归德路'))}{rng.randint(1, 300)}号",
    )


def _events(institution: Institution, actor: User) -> list[InstitutionEvent]:
    events = [InstitutionEvent(institution=institution, kind=EventKind.REGISTERED, to_status="applied", actor=actor,
                               at=_SEEDED_AT)]  # fmt: skip
    if institution.licence_status in ("approved", "suspended", "cancelled") and institution.licence_number:
        events.append(InstitutionEvent(institution=institution, kind=EventKind.APPROVED, from_status="applied",
                                       to_status="approved", actor=actor, at=_SEEDED_AT))  # fmt: skip
    if institution.licence_status in ("suspended", "cancelled"):
        kind = EventKind.SUSPENDED if institution.licence_status == "suspended" else EventKind.CANCELLED
        events.append(InstitutionEvent(institution=institution, kind=kind, from_status="approved",
                                       to_status=institution.licence_status, actor=actor, at=_SEEDED_AT,
                                       reason="专项治理"))  # fmt: skip
    return events


def _demo_operator_data(institution: Institution, actor: User) -> None:
    """The demo operator's site, teacher, supervised account, a legal course and one the inspectors flag."""
    institution.escrow_bank = "中国银行商丘分行"
    institution.escrow_opened_on = date(2026, 3, 2)
    institution.save(update_fields=["escrow_bank", "escrow_opened_on"])
    site = Site.objects.create(institution=institution, address="梁园区凯旋路 88 号三楼", area_square_metres=150)
    InstitutionStaff.objects.create(institution=institution, name="刘老师", qualification_number="20204114200123")
    common = {
        "institution": institution, "site": site, "subject": "数学", "grade_min": 7, "grade_max": 9,
        "lesson_minutes": 90, "class_size": 30, "price_fen_per_lesson": 6000, "charge_lessons": 12,
        "charge_months": 3, "start_date": date(2026, 9, 9), "end_date": date(2026, 12, 30), "created_by": actor,
    }  # fmt: skip
    wednesday = Course.objects.create(title="初中数学思维提升", lesson_count=16, **common)
    saturday = Course.objects.create(title="周末数学强化", lesson_count=16, **common)
    TimetableEntry.objects.create(course=wednesday, weekday=3, start_time=time(18, 30), end_time=time(20, 0))
    TimetableEntry.objects.create(course=saturday, weekday=6, start_time=time(9, 0), end_time=time(10, 30))
    InstitutionEvent.objects.bulk_create(
        [
            InstitutionEvent(institution=institution, kind=EventKind.SITE_ADDED, actor=actor, at=_SEEDED_AT,
                             detail={"site_id": site.pk}),
            InstitutionEvent(institution=institution, kind=EventKind.SUPERVISION_RECORDED, actor=actor, at=_SEEDED_AT,
                             detail={"bank": institution.escrow_bank, "opened_on": "2026-03-02"}),
        ]
    )  # fmt: skip


# (region, subject, mode, base price in fen per standard lesson): the city's, and one county that set its own.
_DEMO_GUIDANCE_PRICES: Final = (
    ("411400", "语文", "offline", 5000), ("411400", "数学", "offline", 5000), ("411400", "英语", "offline", 5000),
    ("411400", "语文", "online", 3000), ("411400", "数学", "online", 3000), ("411400", "英语", "online", 3000),
    ("411402", "数学", "offline", 4500),
)  # fmt: skip


def _demo_guidance_prices(actor: User) -> None:
    """Set as the bureau sets them (services.courses.guidance_price_set): the price and its first change."""
    for region, subject, mode, base in _DEMO_GUIDANCE_PRICES:
        GuidancePrice.objects.create(region_id=region, subject=subject, mode=mode, base_fen=base, set_by=actor)
        GuidancePriceChange.objects.create(region_id=region, subject=subject, mode=mode, base_fen=base,
                                           previous_fen=None, set_by=actor, set_at=_SEEDED_AT)  # fmt: skip


def _counts(plan: Plan, scale: float) -> list[tuple[str, int, int]]:
    """(county, licensed, cancelled academic) per county of the plan."""
    if plan.preset is Preset.DEMO:
        return [(DEMO_COUNTY, 5, 1), ("411421", 2, 0)]
    schools = Counter(s.county_code for s in plan.schools)
    if plan.preset is Preset.COUNTY:
        return [(DEMO_COUNTY, max(1, round(COUNTY_LICENSED * scale)), round(COUNTY_CANCELLED * scale))]
    counties = sorted(schools)
    weights = [float(schools[county]) for county in counties]
    licensed = largest_remainder(max(1, round(CITY_LICENSED * scale)), weights)
    cancelled = largest_remainder(round(CITY_CANCELLED_ACADEMIC * scale), weights)
    return list(zip(counties, licensed, cancelled, strict=True))


def seed_institutions(plan: Plan, scale: float = 1.0) -> int:
    """Write the preset's institutions and their events; returns how many institutions."""
    rng = random.Random(f"shuangjian-training:{plan.preset}:{plan.seed}")
    actor = _registrar()
    regions = {r.code: r for r in Region.objects.select_related("parent__parent").filter(level="county")}
    taken: set[str] = {DEMO_CREDIT_CODE}
    rows: list[Institution] = []
    for county_code, licensed, cancelled in _counts(plan, scale):
        county = regions[county_code]
        for n in range(1, licensed + 1):
            status = "approved"
            if plan.preset is Preset.DEMO and n == licensed:
                status = "suspended"
            code = DEMO_CREDIT_CODE if plan.preset is Preset.DEMO and county_code == DEMO_COUNTY and n == 1 else None
            institution = _institution(
                rng, county, code or _credit_code(rng, county_code, taken), 0 if code else n % 4, status, n
            )
            if code:
                institution.name, institution.mode = "梁园区启明培训学校", "offline"
            rows.append(institution)
        for n in range(licensed + 1, licensed + cancelled + 1):
            rows.append(_institution(rng, county, _credit_code(rng, county_code, taken), 0, "cancelled", n))
    if plan.preset is Preset.DEMO:
        rows.append(_institution(rng, regions[DEMO_COUNTY], _credit_code(rng, DEMO_COUNTY, taken), 2, "applied", 99))
    Institution.objects.bulk_create(rows)
    saved = list(Institution.objects.filter(credit_code__in=[r.credit_code for r in rows]).order_by("pk"))
    InstitutionNameGram.reindex(saved)
    InstitutionEvent.objects.bulk_create([event for institution in saved for event in _events(institution, actor)])
    if plan.preset is Preset.DEMO:
        _demo_operator_data(next(i for i in saved if i.credit_code == DEMO_CREDIT_CODE), actor)
        _demo_guidance_prices(actor)
        sanctioned = next(i for i in saved if i.licence_status == "suspended")
        Sanction.objects.create(
            institution=sanctioned, kind="ordered_stop", reason="超范围开展学科类培训", authority="梁园区教育体育局",
            starts_on=date(2026, 9, 1), decided_by=actor,
        )  # fmt: skip
    return len(saved)
