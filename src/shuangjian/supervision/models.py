"""Early warning and the periodic supervision reports (issue 4, items 6 and 7).

- `RiskScore`: one row per institution and scoring day (the nightly run), with its level and reasons.
- `RiskWarning`: the warning notice (预警通知) opened when an institution's level rises to yellow or red; the operator
  appeals (申诉) within the region's period, the bureau upholds or withdraws it. `WarningEvent` records every step,
  append-only, in the step's transaction.
- `ReportFile`: a generated report workbook (weekly, half-monthly, monthly), stored under the data directory.

Institutions belong to training (its published model is the owner these rows point at); the rows reach their
region through the institution's denormalised county/city/province, and an operator through the credit code.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Region, User
from shuangjian.core.scope import ScopePath

_BELOW_INSTITUTION = ScopePath(institution="institution__credit_code", region_prefix="institution__")


class RiskLevel(models.IntegerChoices):
    NONE = 0, _("无风险")
    WATCH = 1, _("关注")
    YELLOW = 2, _("黄色预警")
    RED = 3, _("红色预警")


class RiskScore(models.Model):
    institution = models.ForeignKey("training.Institution", models.PROTECT, related_name="+")
    on = models.DateField(_("评分日期"))
    score = models.PositiveSmallIntegerField(_("风险分"))
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices)
    reasons = models.JSONField(_("计分原因"), default=list, blank=True)

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("风险评分")
        verbose_name_plural = _("风险评分")
        constraints = [models.UniqueConstraint(fields=["institution", "on"], name="supervision_score_per_day")]
        indexes = [models.Index(fields=["on", "level"], name="supervision_score_day_level")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.on} {self.score}"


class WarningStatus(models.TextChoices):
    ISSUED = "issued", _("已下发")
    APPEALED = "appealed", _("已申诉")
    UPHELD = "upheld", _("维持预警")
    WITHDRAWN = "withdrawn", _("撤销预警")


class RiskWarning(models.Model):
    institution = models.ForeignKey("training.Institution", models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("预警等级"), choices=RiskLevel.choices)
    score = models.PositiveSmallIntegerField(_("风险分"))
    reasons = models.JSONField(_("预警原因"), default=list, blank=True)
    issued_on = models.DateField(_("下发日期"))
    appeal_deadline = models.DateField(_("申诉截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.ISSUED)
    appeal_text = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        constraints = [
            models.UniqueConstraint(fields=["institution", "issued_on"], name="supervision_warning_per_day"),
            models.CheckConstraint(
                condition=Q(status="issued") | ~Q(appeal_text=""), name="supervision_warning_appeal_has_text"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["issued", "appealed"]) | ~Q(decision_reason=""),
                name="supervision_warning_decision_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "issued_on"], name="supervision_warning_status")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.issued_on} {self.status}"


class WarningEventKind(models.TextChoices):
    ISSUED = "issued", _("下发预警")
    APPEALED = "appealed", _("机构申诉")
    UPHELD = "upheld", _("维持预警")
    WITHDRAWN = "withdrawn", _("撤销预警")


class WarningEvent(models.Model):
    """One step of a warning: who (None for the nightly scoring), when, what was written. Never updated."""

    warning = models.ForeignKey(RiskWarning, models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=16, choices=WarningEventKind.choices)
    text = models.TextField(_("内容"), blank=True)
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"))

    scope: ClassVar[ScopePath] = ScopePath(
        institution="warning__institution__credit_code", region_prefix="warning__institution__"
    )

    class Meta:
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")
        indexes = [models.Index(fields=["warning", "at"], name="supervision_warning_event_at")]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.kind}"


class ReportKind(models.TextChoices):
    MONITORING = "monitoring", _("校外培训监测数据")
    HALF_MONTHLY = "half_monthly", _("校外培训监管半月报")
    MONTHLY_LIST = "monthly_list", _("校外培训机构月度名单")
    WEEKLY_CLOSED = "weekly_closed", _("问题及停办机构周报")


class ReportFile(models.Model):
    """A generated report workbook; `path` is relative to the data directory's reports folder."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("行政区划"))
    kind = models.CharField(_("报表"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    path = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(_("行数"))
    generated_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("监管报表文件")
        verbose_name_plural = _("监管报表文件")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "period_start"], name="supervision_report_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="supervision_period"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.period_start}"
