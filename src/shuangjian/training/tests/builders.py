"""Builders for training tests: state is made through the services, as a bureau and an operator would make it."""

from dataclasses import replace
from datetime import date, time
from typing import Any

from stdnum.cn import uscc

from shuangjian.core.models import Region, User
from shuangjian.training.models import Institution, Site
from shuangjian.training.services import courses, premises, registry


def credit_code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


QIMING = credit_code("52411402MJY100001")
BOYA = credit_code("52411421MJY200002")
NAMES = {QIMING: "梁园区启明培训学校", BOYA: "民权县博雅培训学校"}


def draft(code: str, county: Region, **changes: Any) -> registry.InstitutionDraft:
    base = registry.InstitutionDraft(
        credit_code=code,
        name=NAMES.get(code, "测试培训学校"),
        kind="academic",
        mode="offline",
        county_code=county.code,
        legal_representative="张明",
        address="商丘市某路 1 号",
    )
    return replace(base, **changes)


def registered(bureau: User, code: str, county: Region, **changes: Any) -> Institution:
    return registry.institution_register(actor=bureau, draft=draft(code, county, **changes))


def approved(bureau: User, code: str, county: Region, **changes: Any) -> Institution:
    institution = registered(bureau, code, county, **changes)
    return registry.licence_change(
        actor=bureau, institution_id=institution.pk, action="approve", licence_number=f"教民{code[-6:]}号"
    )


def site(actor: User, institution: Institution, area: int = 120) -> Site:
    return premises.site_add(
        actor=actor, institution_id=institution.pk, address="某路 1 号二楼", area_square_metres=area
    )


def weekly(weekday: int, start: str, end: str) -> courses.SittingDraft:
    return courses.SittingDraft(time.fromisoformat(start), time.fromisoformat(end), weekday=weekday)


def on(day: date, start: str, end: str) -> courses.SittingDraft:
    return courses.SittingDraft(time.fromisoformat(start), time.fromisoformat(end), day=day)


def course_draft(site_id: int | None, **changes: Any) -> courses.CourseDraft:
    """Grade 7-9 maths, Wednesdays 18:00-19:30 from 2026-09-09 for four weeks, 60 yuan a lesson, charged at once."""
    base = courses.CourseDraft(
        title="初中数学提高班",
        subject="数学",
        grade_min=7,
        grade_max=9,
        lesson_minutes=90,
        lesson_count=4,
        class_size=20,
        price_fen_per_lesson=6000,
        charge_lessons=4,
        charge_months=1,
        start_date=date(2026, 9, 9),
        end_date=date(2026, 9, 30),
        sittings=(weekly(3, "18:00", "19:30"),),
        site_id=site_id,
    )
    return replace(base, **changes)
