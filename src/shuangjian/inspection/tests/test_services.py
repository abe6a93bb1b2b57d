"""The services: who may do what, what is refused with which code, and that a refusal saves nothing."""

from datetime import date
from typing import Any

import pytest

from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.inspection import selectors
from shuangjian.inspection.models import (
    Campaign,
    ChecklistItem,
    Finding,
    Inspection,
    OrderEvent,
    RectificationOrder,
    UnlicensedCase,
)
from shuangjian.inspection.services import cases, inspections, orders, planning
from shuangjian.inspection.tests.builders import TODAY, inspect, ordered, results
from shuangjian.inspection.tests.conftest import InspectionWorld
from shuangjian.training.models import Site

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (ChecklistItem, Campaign, Inspection, Finding, RectificationOrder, OrderEvent, UnlicensedCase)
    return tuple(model.objects.count() for model in models)


def _refused(code: str, call: object) -> None:
    before = _counts()
    with pytest.raises(DomainError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code
    assert _counts() == before


# The checklist


def test_a_county_inherits_its_city_checklist(inspection: InspectionWorld) -> None:
    # when
    liangyuan = selectors.county_checklist(inspection.base.liangyuan)
    minquan = selectors.county_checklist(inspection.base.minquan)
    # then
    assert [i.code for i in liangyuan] == ["T5", "T7", "LY1"]
    assert [i.code for i in minquan] == ["T5", "T7"]


def test_checklist_refusals(inspection: InspectionWorld) -> None:
    base = inspection.base
    draft = planning.ItemDraft(base.city.code, "T5", "重复", "依据", "minor")
    _refused("inspection.duplicate_code", lambda: planning.checklist_item_add(actor=base.city_bureau, draft=draft))
    other = planning.ItemDraft(base.liangyuan.code, "X1", "事项", "依据", "minor")
    with pytest.raises(AccessDenied):
        planning.checklist_item_add(actor=base.other_county_bureau, draft=other)
    with pytest.raises(AccessDenied):
        planning.checklist_item_add(actor=base.inspector, draft=other)
    bad = planning.ItemDraft(base.liangyuan.code, "X1", "事项", "依据", "fatal")
    _refused("inspection.invalid_choice", lambda: planning.checklist_item_add(actor=base.county_bureau, draft=bad))


def test_a_retired_item_leaves_the_checklist(inspection: InspectionWorld) -> None:
    # when
    planning.checklist_item_set_active(actor=inspection.base.city_bureau, item_id=inspection.hours.pk, active=False)
    # then
    assert [i.code for i in selectors.county_checklist(inspection.base.liangyuan)] == ["T5", "LY1"]
    with pytest.raises(AccessDenied):  # a county cannot retire its city's item
        planning.checklist_item_set_active(
            actor=inspection.base.county_bureau, item_id=inspection.weekend.pk, active=False
        )


def test_campaign_refused_for_a_bad_period(inspection: InspectionWorld) -> None:
    draft = planning.CampaignDraft(
        "整治", inspection.base.city.code, date(2026, 9, 30), date(2026, 9, 1), ("academic",), 3
    )
    _refused("inspection.bad_period", lambda: planning.campaign_create(actor=inspection.base.city_bureau, draft=draft))


def _changes(**overrides: Any) -> planning.CampaignChanges:
    values: dict[str, Any] = {
        "name": "秋季专项整治（延长）", "starts_on": date(2026, 9, 1), "ends_on": date(2026, 10, 15),
        "target_kinds": ("academic", "unlicensed"), "target_inspections": 4,
    }  # fmt: skip
    return planning.CampaignChanges(**{**values, **overrides})


def test_a_running_campaign_is_corrected(inspection: InspectionWorld) -> None:
    # when
    planning.campaign_update(
        actor=inspection.base.city_bureau, campaign_id=inspection.campaign.pk, changes=_changes(), today=TODAY
    )
    # then
    stored = Campaign.objects.get(pk=inspection.campaign.pk)
    assert (stored.name, stored.ends_on, stored.target_kinds, stored.target_inspections) == (
        "秋季专项整治（延长）", date(2026, 10, 15), ["academic", "unlicensed"], 4,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "today", "code"),
    [
        ({"starts_on": date(2026, 9, 2)}, TODAY, "inspection.campaign_started"),
        ({"ends_on": date(2026, 9, 6)}, TODAY, "inspection.date_in_past"),
        ({}, date(2026, 10, 1), "inspection.campaign_ended"),
        ({"target_inspections": 0}, TODAY, "inspection.bad_target"),
        ({"target_kinds": ("tutoring",)}, TODAY, "inspection.invalid_choice"),
    ],
)
def test_campaign_corrections_refused(
    inspection: InspectionWorld, changes: dict[str, Any], today: date, code: str
) -> None:
    before = Campaign.objects.values().get(pk=inspection.campaign.pk)
    _refused(
        code,
        lambda: planning.campaign_update(
            actor=inspection.base.city_bureau, campaign_id=inspection.campaign.pk, changes=_changes(**changes),
            today=today,
        ),
    )  # fmt: skip
    assert Campaign.objects.values().get(pk=inspection.campaign.pk) == before


def test_only_the_organising_bureau_corrects_or_ends_a_campaign(inspection: InspectionWorld) -> None:
    base, pk = inspection.base, inspection.campaign.pk
    for outsider in (base.county_bureau, base.inspector):  # they see the city's campaign, but it is not theirs
        with pytest.raises(AccessDenied):
            planning.campaign_update(actor=outsider, campaign_id=pk, changes=_changes(), today=TODAY)
        with pytest.raises(AccessDenied):
            planning.campaign_close(actor=outsider, campaign_id=pk, today=TODAY)
    with pytest.raises(NotFound):
        planning.campaign_close(actor=base.operator, campaign_id=pk, today=TODAY)


def test_a_running_campaign_ends_today_and_a_planned_one_is_not_ended(inspection: InspectionWorld) -> None:
    base = inspection.base
    # when
    planning.campaign_close(actor=base.city_bureau, campaign_id=inspection.campaign.pk, today=TODAY)
    # then
    assert Campaign.objects.get(pk=inspection.campaign.pk).ends_on == TODAY
    _refused(
        "inspection.campaign_ended",
        lambda: planning.campaign_close(
            actor=base.city_bureau, campaign_id=inspection.campaign.pk, today=date(2026, 9, 8)
        ),
    )
    _refused(
        "inspection.campaign_not_started",
        lambda: planning.campaign_close(
            actor=base.city_bureau, campaign_id=inspection.campaign.pk, today=date(2026, 8, 31)
        ),
    )


# Inspections


def test_record_an_inspection_with_its_findings(inspection: InspectionWorld) -> None:
    # when
    recorded = inspect(inspection, inspection.weekend, campaign_id=inspection.campaign.pk)
    # then
    found = selectors.inspection_get(actor=inspection.base.inspector, inspection_id=recorded.pk)
    assert {(f.item.code, f.result) for f in found.findings.all()} == {("T5", "fail"), ("T7", "pass"), ("LY1", "pass")}
    assert list(found.co_inspectors.all()) == [inspection.colleague]
    assert (found.county_id, found.campaign_id, found.address) == (
        inspection.base.liangyuan.code,
        inspection.campaign.pk,
        "商丘市某路 1 号",
    )


def test_an_inspection_names_the_institution_s_site_it_visited(inspection: InspectionWorld) -> None:
    # given: 启明 has two registered sites; 博雅 one
    institution = inspection.base.institution
    first = Site.objects.create(institution=institution, address="商丘市某路 1 号", area_square_metres=120)
    second = Site.objects.create(institution=institution, address="商丘市某街 8 号", area_square_metres=80)
    other = inspection.base.other_institution
    foreign = Site.objects.create(institution=other, address="民权县某路", area_square_metres=60)
    # when: one inspection names its site, one gives a site's address, one an address that is no site
    by_id = inspect(inspection, site_id=second.pk, address="")
    by_address = inspect(inspection, address="商丘市某路 1 号")
    elsewhere = inspect(inspection, address="商丘市某巷 3 号（未登记的教学点）")
    # then
    assert (by_id.site, by_id.address) == (second, "商丘市某街 8 号")
    assert (by_address.site, elsewhere.site) == (first, None)
    # and: another institution's site is refused, and so is a site for an address inspection; nothing is saved
    _refused("inspection.unknown_site", lambda: inspect(inspection, site_id=foreign.pk))
    _refused(
        "inspection.unknown_site",
        lambda: inspect(
            inspection, institution_id=None, county_code=inspection.base.liangyuan.code, address="某小区",
            site_id=first.pk,
        ),
    )  # fmt: skip


def test_the_operator_sees_its_inspection(inspection: InspectionWorld) -> None:
    recorded = inspect(inspection)
    assert selectors.inspection_get(actor=inspection.base.operator, inspection_id=recorded.pk).pk == recorded.pk
    with pytest.raises(NotFound):
        selectors.inspection_get(actor=inspection.base.other_operator, inspection_id=recorded.pk)


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("a missing item", "drop", "inspection.checklist_incomplete"),
        ("in the future", {"inspected_on": date(2026, 9, 8)}, "inspection.future_date"),
        ("outside the campaign", "campaign_late", "inspection.campaign_not_running"),
        ("nothing inspected", {"institution_id": None}, "inspection.subject_required"),
        ("a stranger as colleague", "stranger", "inspection.unknown_inspector"),
    ],
)
def test_inspection_refusals(inspection: InspectionWorld, _case: str, changes: object, code: str) -> None:
    fields: dict[str, Any] = changes if isinstance(changes, dict) else {}
    if changes == "drop":
        fields = {"results": results(inspection.items[:2])}
    if changes == "campaign_late":
        fields = {"campaign_id": inspection.campaign.pk, "inspected_on": date(2026, 8, 31)}
    if changes == "stranger":
        fields = {"co_inspector_ids": (inspection.base.operator.pk,)}
    _refused(code, lambda: inspect(inspection, **fields))


def test_two_inspectors_where_the_region_requires_it(strict: InspectionWorld) -> None:
    _refused("inspection.too_few_inspectors", lambda: inspect(strict, co_inspector_ids=()))
    assert inspect(strict).pk  # with the colleague


def test_an_institution_outside_the_region_is_refused(inspection: InspectionWorld) -> None:
    with pytest.raises(AccessDenied):
        inspect(inspection, institution_id=inspection.base.other_institution.pk)
    assert Inspection.objects.count() == 0


# Orders


def test_order_lifecycle_confirmed(strict: InspectionWorld) -> None:
    # given: an order with the region's 15 days
    inspection = inspect(strict, strict.weekend)
    order = inspections.order_issue(actor=strict.base.inspector, inspection_id=inspection.pk, requirements="停止")
    assert (order.status, order.deadline) == ("issued", date(2026, 9, 22))
    # when
    orders.order_report(actor=strict.base.operator, order_id=order.pk, report="已停课并退费")
    closed = orders.order_follow_up(
        actor=strict.base.inspector, order_id=order.pk, confirmed=True, note="", co_inspector_ids=(strict.colleague.pk,)
    )
    # then
    assert (closed.status, closed.closed_on, closed.recommended_sanction) == ("confirmed", TODAY, "")
    follow_up = selectors.inspection_get(actor=strict.base.inspector, inspection_id=closed.follow_up_id or 0)
    assert [(f.item.code, f.result) for f in follow_up.findings.all()] == [("T5", "pass")]
    assert list(OrderEvent.objects.filter(order=order).order_by("pk").values_list("to_status", flat=True)) == [
        "issued",
        "reported",
        "confirmed",
    ]


def test_order_escalated_with_a_sanction_recommendation(inspection: InspectionWorld) -> None:
    order = ordered(inspection)
    _refused(
        "inspection.sanction_required",
        lambda: orders.order_follow_up(
            actor=inspection.base.inspector, order_id=order.pk, confirmed=False, note="未整改"
        ),
    )
    escalated = orders.order_follow_up(
        actor=inspection.base.inspector, order_id=order.pk, confirmed=False, note="未整改", recommended_sanction="fine"
    )
    assert (escalated.status, escalated.recommended_sanction) == ("escalated", "fine")


def test_order_refusals(inspection: InspectionWorld) -> None:
    base = inspection.base
    clean = inspect(inspection)
    _refused(
        "inspection.no_failed_items",
        lambda: inspections.order_issue(
            actor=base.inspector, inspection_id=clean.pk, requirements="无", deadline=TODAY
        ),
    )
    order = ordered(inspection)
    _refused(
        "inspection.order_exists",
        lambda: inspections.order_issue(
            actor=base.inspector, inspection_id=order.inspection_id, requirements="再来", deadline=TODAY
        ),
    )
    _refused(
        "inspection.transition_not_allowed",
        lambda: orders.order_follow_up(actor=base.inspector, order_id=order.pk, confirmed=True, note=""),
    )
    with pytest.raises(AccessDenied):  # only the operator reports
        orders.order_report(actor=base.inspector, order_id=order.pk, report="已整改")
    with pytest.raises(NotFound):  # another institution's operator does not see it
        orders.order_report(actor=base.other_operator, order_id=order.pk, report="已整改")
    assert RectificationOrder.objects.get(pk=order.pk).status == "issued"


def test_deadline_required_without_a_local_rule(inspection: InspectionWorld) -> None:
    failed = inspect(inspection, inspection.weekend)
    _refused(
        "inspection.deadline_required",
        lambda: inspections.order_issue(actor=inspection.base.inspector, inspection_id=failed.pk, requirements="停止"),
    )


def test_overdue_orders(inspection: InspectionWorld) -> None:
    order = ordered(inspection)  # deadline 2026-09-14
    actor = inspection.base.inspector
    assert list(selectors.order_list(actor=actor, overdue_on=date(2026, 9, 14))) == []
    assert list(selectors.order_list(actor=actor, overdue_on=date(2026, 9, 15))) == [order]


def test_campaign_progress(inspection: InspectionWorld) -> None:
    # given
    ordered_inspection = ordered(inspection).inspection_id
    Inspection.objects.filter(pk=ordered_inspection).update(campaign=inspection.campaign)
    inspect(inspection, campaign_id=inspection.campaign.pk)
    # when
    _campaign, rows = selectors.campaign_progress(actor=inspection.base.city_bureau, campaign_id=inspection.campaign.pk)
    # then
    assert [(r.county_name, r.inspections, r.failed_findings, r.orders_open, r.percent) for r in rows] == [
        ("梁园区", 2, 1, 1, 100),
        ("民权县", 0, 0, 0, 0),
    ]
    _c, county_rows = selectors.campaign_progress(actor=inspection.base.inspector, campaign_id=inspection.campaign.pk)
    assert [r.county_name for r in county_rows] == ["梁园区"]


# Unlicensed training


def test_case_lifecycle(inspection: InspectionWorld) -> None:
    actor = inspection.base.inspector
    case = cases.case_report(
        actor=actor, draft=cases.CaseDraft(inspection.base.liangyuan.code, "阳光补习班", "某小区 3 栋", "tip")
    )
    for action in ("verify", "order_closure", "close"):
        case = cases.case_advance(actor=actor, case_id=case.pk, action=action)
    assert (case.status, case.closed_on) == ("closed", TODAY)
    case = cases.case_advance(actor=actor, case_id=case.pk, action="recheck_reopened", note="又开班了")
    assert (case.status, case.closed_on, case.recheck_count) == ("verified", None, 1)
    assert "又开班了" in case.description
    _refused(
        "inspection.transition_not_allowed", lambda: cases.case_advance(actor=actor, case_id=case.pk, action="dismiss")
    )
    with pytest.raises(NotFound):
        cases.case_advance(actor=inspection.base.other_county_bureau, case_id=case.pk, action="close")
    assert [(c.county_name, c.total, c.by_status["verified"]) for c in selectors.case_counts(actor=actor)] == [
        ("梁园区", 1, 1)
    ]
