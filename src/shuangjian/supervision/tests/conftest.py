"""The supervision tests' world: training's world (梁园区 and 民权县, the institutions 启明 and 博雅, their operators,
the bureaus and an inspector; time frozen on Monday 2026-09-07 09:00 in Shanghai), with the city's early-warning
profile published as a bureau would (TIGHT: small thresholds, so a few complaints make a yellow warning)."""

from datetime import date

import pytest

from shuangjian.policy.services import profile_publish
from shuangjian.training.tests.conftest import NOW, TrainingWorld, clock, world  # noqa: F401 (fixtures)

TODAY = NOW.date()
TIGHT = {
    "warning.window_days": 30,
    "warning.complaints_min": 2,
    "warning.refunds_min": 2,
    "warning.shortfall_min_percent": 10,
    "warning.schedule_violations_min": 1,
    "warning.price_cut_min_percent": 30,
    "warning.watch_min_score": 10,
    "warning.yellow_min_score": 15,
    "warning.red_min_score": 45,
    "warning.appeal_days": 10,
}


@pytest.fixture
def sv(world: TrainingWorld) -> TrainingWorld:  # noqa: F811 (the imported fixture)
    profile_publish(actor=world.city_bureau, region=world.city, effective_from=date(2026, 1, 1), values=TIGHT)
    return world
