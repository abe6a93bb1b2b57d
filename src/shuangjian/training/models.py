"""Off-campus training supervision (校外培训监管): the registry of training institutions and their licences.

An institution is identified by its unified social credit code (GB 32100). Its region columns are denormalised like
School's, so a bureau's filter is one indexed predicate; an institution operator reaches its own rows through the
credit code (core.scope.ScopePath.institution). The escrow ledger (app `ledger`) opens its accounts against
`Institution`.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Region
from shuangjian.core.scope import ScopePath


class InstitutionKind(models.TextChoices):
    ACADEMIC = "academic", _("学科类")
    NON_ACADEMIC = "non_academic", _("非学科类")


class NonAcademicCategory(models.TextChoices):
    SPORTS = "sports", _("体育类")
    ARTS = "arts", _("文化艺术类")
    SCIENCE = "science", _("科技类")
    OTHER = "other", _("其他")


class TrainingMode(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")


class LicenceStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    APPROVED = "approved", _("已审批")
    SUSPENDED = "suspended", _("已暂停")
    CANCELLED = "cancelled", _("已注销")


class Institution(models.Model):
    """A training institution (校外培训机构) in the bureau's registry, with its current licence status."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("机构名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=InstitutionKind.choices)
    category = models.CharField(_("非学科类别"), max_length=16, choices=NonAcademicCategory.choices, blank=True)
    mode = models.CharField(_("培训形式"), max_length=16, choices=TrainingMode.choices)
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("县/区"))
    city = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("市"))
    province = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("省"))
    legal_representative = models.CharField(_("法定代表人"), max_length=64)
    licence_number = models.CharField(_("办学许可证号"), max_length=64, blank=True)
    licence_status = models.CharField(
        _("许可状态"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.APPLIED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope: ClassVar[ScopePath] = ScopePath(institution="credit_code", region_prefix="")

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="academic", category="") | (Q(kind="non_academic") & ~Q(category=""))),
                name="training_institution_category_for_non_academic",
            ),
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"), name="training_institution_credit_code"
            ),
        ]
        indexes = [models.Index(fields=["county", "licence_status"], name="training_inst_county_status")]

    def __str__(self) -> str:
        return self.name
