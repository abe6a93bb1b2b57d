"""Builders for policy tests: bureau users and published profiles (through the service, as users do)."""

from datetime import date

from shuangjian.core.models import Region, Role, User
from shuangjian.core.tests import factories as f
from shuangjian.policy import services
from shuangjian.policy.models import PolicyProfile


def bureau(region: Region) -> User:
    account = f.user()
    f.assign(account, Role.BUREAU, region=region)
    return account


def publish(region: Region, values: dict[str, object], effective_from: date, note: str = "") -> PolicyProfile:
    return services.profile_publish(
        actor=bureau(region), region=region, effective_from=effective_from, values=values, note=note
    )
