"""The demo's campaigns and field inspections (issue 4, item 5), made through the inspection services:

- the city's checklist of banned practices (POLICY.md T5-T10, F4-F5, H12, S16) and one item 梁园区 adds;
- a city-wide autumn campaign going on and a winter one planned;
- two sign-in-less colleagues (one inspector per county), since a field inspection needs two inspectors where the
  demo profile (seeding.profiles) says so;
- in 梁园区: the demo operator's institution inspected with weekend academic training found and ordered to rectify
  (the demo operator reports, the demo inspector follows up); a clean inspection; an order rectified and confirmed;
  an order long overdue (its dates are moved back directly: the service issues orders today);
- in 民权县: one inspection escalated to a sanction recommendation;
- unlicensed training cases at every step.
Runs after the bulk transaction (each service is a durable use case)."""

from datetime import timedelta
from typing import Final

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from shuangjian.core.models import Region, Role, RoleAssignment, User
from shuangjian.inspection import selectors
from shuangjian.inspection.models import RectificationOrder
from shuangjian.inspection.services import cases, inspections, orders, planning
from shuangjian.seeding.accounts import DEMO_CREDIT_CODE
from shuangjian.seeding.presets import CITY_CODE, DEMO_COUNTY
from shuangjian.training.models import Institution, LicenceStatus

OTHER_COUNTY: Final = "411421"  # 民权县
CHECKLIST: Final = (
    ("T5", "法定节假日、休息日或寒暑假开展学科类培训", "双减意见第14条（POLICY T5）", "grave"),
    ("T6", "线上培训每课时超过30分钟、课间不足10分钟或晚于21:00结束", "双减意见第15条（T6）", "serious"),
    ("T7", "线下培训晚于20:30结束或与中小学教学时间冲突", "国办发〔2018〕80号（T7）", "serious"),
    ("T9", "学科类培训授课人员无教师资格或未公示资格", "双减意见第14条（T9）", "serious"),
    ("T9B", "聘用中小学在职教师", "国办发〔2018〕80号（T9）", "grave"),
    ("T10", "线下培训场所生均面积不足3平方米或超班额", "国办发〔2018〕80号（T10）", "minor"),
    ("F4", "一次性收费超过3个月或60课时，或变相跨期收费", "教监管函〔2021〕2号（F4）", "grave"),
    ("F2", "预收费未进入监管账户", "教监管函〔2021〕2号（F2）", "grave"),
    ("AD", "虚假宣传、夸大培训效果或超前超标培训", "双减意见第13条", "serious"),
    ("H12", "布置作业", "国办发〔2018〕80号（H12）", "minor"),
    ("LIC", "无证无照开展培训", "校外培训行政处罚暂行办法（S16）", "grave"),
)


def _colleague(username: str, name: str, county: Region) -> User:
    user = User.objects.create(username=username, password=make_password(None), display_name=name)
    RoleAssignment.objects.create(user=user, role=Role.INSPECTOR, region=county)
    return user


def _inspect(actor: User, colleague: User, institution: Institution, failed: dict[str, str], **extra: object) -> int:
    items = {item.code: item.pk for item in selectors.county_checklist(institution.county)}
    results = {pk: ("fail", failed[code]) if code in failed else ("pass", "") for code, pk in items.items()}
    results[items["LIC"]] = ("not_applicable", "")
    draft = inspections.InspectionDraft(
        inspected_on=timezone.localdate(),
        results=results,
        institution_id=institution.pk,
        co_inspector_ids=(colleague.pk,),
        **extra,  # type: ignore[arg-type]
    )
    return inspections.inspection_record(actor=actor, draft=draft).pk


def _operator(institution: Institution) -> User:
    user = User.objects.create(
        username=f"inspection-operator-{institution.pk}", password=make_password(None), display_name=institution.name
    )
    RoleAssignment.objects.create(
        user=user, role=Role.INSTITUTION_OPERATOR, institution_credit_code=institution.credit_code
    )
    return user


def seed_inspection_demo() -> None:
    bureau, inspector = (User.objects.get(username=name) for name in ("bureau", "inspector"))
    city, liangyuan, minquan = (Region.objects.get(code=code) for code in (CITY_CODE, DEMO_COUNTY, OTHER_COUNTY))
    for code, text, basis, severity in CHECKLIST:
        planning.checklist_item_add(actor=bureau, draft=planning.ItemDraft(city.code, code, text, basis, severity))
    planning.checklist_item_add(
        actor=bureau,
        draft=planning.ItemDraft(
            liangyuan.code, "LY1", "未在场所显著位置公示收费项目和标准", "梁园区实施细则", "minor"
        ),
    )
    today = timezone.localdate()
    autumn = planning.campaign_create(
        actor=bureau,
        draft=planning.CampaignDraft(
            "商丘市校外培训秋季专项整治",
            city.code,
            today - timedelta(days=20),
            today + timedelta(days=60),
            ("academic", "non_academic", "unlicensed"),
            8,
        ),
    )
    planning.campaign_create(
        actor=bureau,
        draft=planning.CampaignDraft(
            "寒假学科类培训专项检查",
            city.code,
            today + timedelta(days=70),
            today + timedelta(days=110),
            ("academic", "unlicensed"),
            5,
        ),
    )
    colleague = _colleague("inspector-liangyuan-2", "王建国（梁园区督查员）", liangyuan)
    other = _colleague("inspector-minquan-1", "赵丽（民权县督查员）", minquan)
    approved = Institution.objects.filter(licence_status=LicenceStatus.APPROVED).order_by("pk")
    own = approved.get(credit_code=DEMO_CREDIT_CODE)
    others = list(approved.filter(county=liangyuan).exclude(pk=own.pk)[:3])
    deadline = today + timedelta(days=7)
    # The demo operator's institution: a Saturday maths class found; the order waits for the operator's report.
    first = _inspect(inspector, colleague, own, {"T5": "周六上午开设“周末数学强化”"}, campaign_id=autumn.pk)
    inspections.order_issue(
        actor=inspector, inspection_id=first, requirements="停止休息日学科类培训，退还相关费用。", deadline=deadline
    )
    if len(others) >= 3:
        _inspect(inspector, colleague, others[0], {}, campaign_id=autumn.pk)
        done = _inspect(inspector, colleague, others[1], {"T10": "教室面积40㎡，班额20人"}, campaign_id=autumn.pk)
        order = inspections.order_issue(
            actor=inspector, inspection_id=done, requirements="调整班额。", deadline=deadline
        )
        orders.order_report(actor=_operator(others[1]), order_id=order.pk, report="已拆分为两个10人班。")
        orders.order_follow_up(
            actor=inspector,
            order_id=order.pk,
            confirmed=True,
            note="复查班额符合要求。",
            co_inspector_ids=(colleague.pk,),
        )
        late = _inspect(inspector, colleague, others[2], {"H12": "给学员布置书面作业"}, campaign_id=autumn.pk)
        overdue = inspections.order_issue(
            actor=inspector, inspection_id=late, requirements="停止布置作业。", deadline=deadline
        )
        RectificationOrder.objects.filter(pk=overdue.pk).update(
            issued_on=today - timedelta(days=25), deadline=today - timedelta(days=10)
        )
    far = approved.filter(county=minquan).first()
    if far is not None:
        escalated = _inspect(bureau, other, far, {"F4": "一次性收取一年学费"}, campaign_id=autumn.pk)
        order = inspections.order_issue(
            actor=bureau, inspection_id=escalated, requirements="退还超期预收费。", deadline=deadline
        )
        orders.order_follow_up(
            actor=bureau,
            order_id=order.pk,
            confirmed=False,
            note="拒不整改。",
            co_inspector_ids=(other.pk,),
            recommended_sanction="fine",
        )
    _cases(inspector, liangyuan, minquan)


def _cases(inspector: User, liangyuan: Region, minquan: Region) -> None:
    reported = cases.CaseDraft(
        liangyuan.code,
        "阳光小课桌",
        "梁园区凯旋路某小区 5 号楼 2 单元 301",
        "complaint",
        "TS20260915ABCDEF",
        "家长反映周末在居民楼内上数学课。",
    )
    cases.case_report(actor=inspector, draft=reported)
    ordered = cases.case_report(
        actor=inspector,
        draft=cases.CaseDraft(
            liangyuan.code,
            "启航辅导班",
            "梁园区神火大道 120 号商铺二楼",
            "inspection",
            "",
            "检查中发现无证开展英语培训。",
        ),
    )
    for action in ("verify", "order_closure"):
        cases.case_advance(actor=inspector, case_id=ordered.pk, action=action)
    closed = cases.case_report(
        actor=inspector,
        draft=cases.CaseDraft(
            liangyuan.code, "状元托管", "梁园区归德路 33 号", "tip", "", "群众反映托管班内开展学科类培训。"
        ),
    )
    for action in ("verify", "close", "recheck_closed"):
        cases.case_advance(actor=inspector, case_id=closed.pk, action=action, note="已张贴关停告知。")
    cases.case_report(
        actor=User.objects.get(username="bureau"),
        draft=cases.CaseDraft(minquan.code, "小博士家教点", "民权县人民路 8 号", "tip"),
    )
