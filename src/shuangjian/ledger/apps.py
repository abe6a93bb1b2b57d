from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "shuangjian.ledger"
    label = "ledger"
    verbose_name = _("预收费资金监管")
