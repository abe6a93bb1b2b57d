"""Policy profiles: the national default and regional tightenings, versioned by effective date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Region


class PolicyProfile(models.Model):
    """One version of a region's policy values (region NULL = the national default).

    Append-only: a change is a new row with a later `effective_from`; rows are never edited. `values`
    maps parameter keys (policy.parameters) to JSON values; a local row holds only what it tightens.
    """

    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_profiles",
        verbose_name=_("行政区划"),
    )
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("生效日期"))
    values = models.JSONField(_("参数值"), default=dict, blank=True)
    sources = models.JSONField(_("依据"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策参数版本")
        verbose_name_plural = _("政策参数版本")
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="policy_profile_region_date"),
            models.UniqueConstraint(
                fields=["effective_from"], condition=Q(region__isnull=True), name="policy_profile_national_date"
            ),
            models.UniqueConstraint(fields=["region", "version"], name="policy_profile_region_version"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(region__isnull=True), name="policy_profile_national_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="policy_profile_version_positive"),
        ]

    def __str__(self) -> str:
        where = self.region_id or _("全国")
        return f"{where} v{self.version} ({self.effective_from})"
