from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "shuangjian.inspection"
    label = "inspection"
    verbose_name = _("专项整治与检查")
