from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    """Demo and scale data. It sits above core and policy (it reads class-size limits from the policy profile)."""

    name = "shuangjian.seeding"
    label = "seeding"
    verbose_name = _("演示与规模数据")
