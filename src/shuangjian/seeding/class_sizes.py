"""Class-size limits for seeded classes, read from the region's policy profile (POLICY.md Q3)."""

from datetime import date

from shuangjian.core.models import Region, Stage
from shuangjian.policy import rules
from shuangjian.policy.parameters import StudentStage
from shuangjian.policy.selectors import effective_profile


def class_size_max(county_code: str, stage: Stage, on: date) -> int:
    """The largest class the county's profile allows for a primary or junior grade on `on`."""
    student_stage = StudentStage.PRIMARY if stage == Stage.PRIMARY else StudentStage.JUNIOR
    limit = rules.class_size_max(effective_profile(Region.objects.get(code=county_code), on), student_stage)
    if limit is None:
        raise LookupError(f"no class-size limit in force for {county_code} on {on}")
    return limit
