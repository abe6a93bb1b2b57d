from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "shuangjian.supervision"
    label = "supervision"
    verbose_name = _("风险预警与监管报表")
