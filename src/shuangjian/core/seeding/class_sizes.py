"""Class-size limits for seeded classes, read from the policy app.

core may not import shuangjian.policy (the layers contract: policy builds on core), so the policy app
registers its reader here (`register_class_size_reader`, a core hook in the Kolibri style) and the seed asks
through `class_size_max`. Until the policy app registers one, `class_size_max_until_policy_app_registers`
answers; it is the only place in the seed that holds the two numbers and it must be replaced by the
policy reader (`policy.rules.class_size_max(policy.selectors.effective_profile(region, date), stage)`).
"""

from collections.abc import Callable
from datetime import date

from shuangjian.core.models import Stage

# (county code, stage of the grade (primary or junior), date) -> the largest class allowed.
ClassSizeReader = Callable[[str, Stage, date], int]

_reader: ClassSizeReader | None = None


def register_class_size_reader(reader: ClassSizeReader | None) -> None:
    """Called by the policy app when it is ready; None unregisters (tests)."""
    global _reader
    _reader = reader


def class_size_max_until_policy_app_registers(stage: Stage) -> int:
    """MUST BE REPLACED: the national limits (POLICY.md Q3: ≤ 45 primary, ≤ 50 junior) until
    shuangjian.policy registers its reader with `register_class_size_reader`."""
    return 45 if stage == Stage.PRIMARY else 50


def class_size_max(county_code: str, stage: Stage, on: date) -> int:
    if _reader is not None:
        return _reader(county_code, stage, on)
    return class_size_max_until_policy_app_registers(stage)
