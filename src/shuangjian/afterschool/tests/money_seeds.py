"""The matrix world's staffing, fees and survey (used by api_matrix_money.py), on top of matrix_seeds.py:
- `extras["duty"]`: in each anchor's plan, its school leader serves block 1 on Monday;
- each anchor's plan publishes a fee of 200 yuan a term (`extras["fee"]`); the anchor's enrolment has a waiver
  (`extras["waiver"]`) only where the endpoint needs one.
"""

from shuangjian.afterschool.services import fees, staffing
from shuangjian.afterschool.tests.matrix_seeds import leader_of, seed_enrolments, seed_plans
from shuangjian.core.testing.matrix import World

FEE_FEN = 20000


def seed_duties(world: World) -> None:
    seed_plans(world)
    for anchor in world.anchors.values():
        leader = leader_of(world, anchor)
        anchor.extras["duty"] = staffing.duty_assign(
            actor=leader, plan_id=anchor.extras["plan"].pk, weekday=1, block_number=1, staff_id=leader.pk
        )


def seed_fees(world: World) -> None:
    seed_enrolments(world)
    for anchor in world.anchors.values():
        anchor.extras["fee"] = fees.fee_set(
            actor=leader_of(world, anchor), plan_id=anchor.extras["plan"].pk, fee_fen_per_term=FEE_FEN,
            items="课后服务费（含看护、活动）",
        )  # fmt: skip
