"""The matrix world's inspection objects, built through the services as a bureau would, on top of training's
institutions (one per county, training.tests.matrix_seeds):
- per county: one checklist item of the county (extras["checklist_item"]) and one campaign (extras["campaign"]);
- per anchor: an inspection of its county's institution with a failed item and an issued order
  (extras["inspection"], extras["order"]), a second failed inspection without an order (extras["open_inspection"]),
  and a reported unlicensed case (extras["case"]). Each anchor has its own, so a state-changing call on one anchor
  does not change what the next anchor's call finds.
Dates are relative to today."""

from datetime import timedelta

from django.utils import timezone

from shuangjian.core.models import Role, User
from shuangjian.core.testing.matrix import World
from shuangjian.core.tests import factories as f
from shuangjian.inspection.models import ChecklistItem, Inspection
from shuangjian.inspection.services import cases, inspections, planning
from shuangjian.training.tests.matrix_seeds import institution_of, seed_institutions


def bureau(world: World) -> User:
    if "inspection_bureau" not in world.extras:
        user = f.user("matrix_inspection_bureau")
        f.assign(user, Role.BUREAU, region=world.regions["city"])
        world.extras["inspection_bureau"] = user
    account: User = world.extras["inspection_bureau"]
    return account


def _inspect(world: World, item: ChecklistItem, anchor_name: str) -> Inspection:
    anchor = world.anchors[anchor_name]
    draft = inspections.InspectionDraft(
        inspected_on=timezone.localdate(),
        results={item.pk: ("fail", "周六上午开展数学培训")},
        institution_id=institution_of(anchor).pk,
    )
    return inspections.inspection_record(actor=bureau(world), draft=draft)


def seed_checklist(world: World) -> None:
    seed_institutions(world)
    if "inspection_checklist" in world.extras:
        return
    actor = bureau(world)
    today = timezone.localdate()
    per_county = {}
    for key in ("liangyuan", "minquan"):
        county = world.regions[key]
        item = planning.checklist_item_add(
            actor=actor,
            draft=planning.ItemDraft(county.code, "X01", "休息日开展学科类培训", "双减意见第14条", "serious"),
        )
        campaign = planning.campaign_create(
            actor=actor,
            draft=planning.CampaignDraft(
                f"{county.name}暑期专项整治", county.code, today - timedelta(days=10), today + timedelta(days=20),
                ("academic",), 5,
            ),
        )  # fmt: skip
        per_county[county.code] = (item, campaign)
    world.extras["inspection_checklist"] = True
    for anchor in world.anchors.values():
        item, campaign = per_county[institution_of(anchor).county_id]
        anchor.extras["checklist_item"], anchor.extras["campaign"] = item, campaign


def seed_inspections(world: World) -> None:
    seed_checklist(world)
    if "inspection_inspections" in world.extras:
        return
    actor = bureau(world)
    for name, anchor in world.anchors.items():
        item = anchor.extras["checklist_item"]
        inspection = _inspect(world, item, name)
        anchor.extras["inspection"] = inspection
        anchor.extras["order"] = inspections.order_issue(
            actor=actor,
            inspection_id=inspection.pk,
            requirements="停止休息日学科类培训",
            deadline=timezone.localdate() + timedelta(days=7),
        )
        anchor.extras["open_inspection"] = _inspect(world, item, name)
        county = institution_of(anchor).county
        anchor.extras["case"] = cases.case_report(
            actor=actor,
            draft=cases.CaseDraft(county.code, f"{name}补习班", f"{county.name}某小区 {name} 号", "tip"),
        )
    world.extras["inspection_inspections"] = True
