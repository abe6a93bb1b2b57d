"""The demo city's local policy profile: policy/data/examples/shangqiu.json (the [LOCAL] values the apps need, e.g.
the after-school end time, the escrow's risk margin, complaint deadlines, the inspection and early-warning
thresholds), published once by the demo bureau before the demo's services run. A city that already has a profile of
its own keeps it."""

from shuangjian.core.models import Region, User
from shuangjian.policy.datafiles import read_example
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.services import profile_publish

EXAMPLE_PROFILE = "shangqiu"


def publish_example_profile() -> None:
    """Published by the demo bureau when the example's city is seeded and has no profile yet."""
    example = read_example(EXAMPLE_PROFILE)
    city = Region.objects.filter(code=example.region_code).first()
    bureau = User.objects.filter(username="bureau").first()
    if city is not None and bureau is not None and not PolicyProfile.objects.filter(region=city).exists():
        profile_publish(
            actor=bureau, region=city, effective_from=example.effective_from, values=example.values, note=example.note
        )
