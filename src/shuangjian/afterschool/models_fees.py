"""Fees of the after-school service (issue 3, item 6; POLICY.md A8, A11): the school's publicised per-term fee
(or free service), waivers for families in need, and a record of who has paid. Nothing here moves money: the
school records what it was told, and who recorded it. Money is integer fen.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool.models import _SCHOOL_SCOPE, Enrolment, ServicePlan
from shuangjian.core.models import School, SchoolClass, Student, User
from shuangjian.core.scope import ScopePath

_ENROLMENT_SCOPE = ScopePath(
    school="school",
    school_class="school_class",
    grade="school_class__grade",
    student="student",
    region_prefix="school__",
)


class FeeSchedule(models.Model):
    """The plan's fee per student per term (0: free service), with the fee items made public (收费公示)."""

    plan = models.OneToOneField(ServicePlan, models.CASCADE, related_name="fee")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    fee_fen_per_term = models.PositiveIntegerField(_("每生每学期收费（分，0 为免费）"))
    class_hours = models.PositiveIntegerField(_("本学期课时数"))
    items = models.TextField(_("收费项目及标准（公示）"), blank=True)
    funding_note = models.CharField(_("经费来源说明"), max_length=200, blank=True)
    set_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("设定人"))
    set_at = models.DateTimeField(_("设定时间"))

    scope: ClassVar[ScopePath] = _SCHOOL_SCOPE

    class Meta:
        verbose_name = _("课后服务收费标准")
        verbose_name_plural = _("课后服务收费标准")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.fee_fen_per_term}"

    @property
    def free(self) -> bool:
        return self.fee_fen_per_term == 0


class WaiverCategory(models.TextChoices):
    SUBSISTENCE_ALLOWANCE = "subsistence_allowance", _("低保家庭")
    EXTREME_POVERTY = "extreme_poverty", _("特困供养")
    REGISTERED_POOR = "registered_poor", _("建档立卡家庭")
    ORPHAN_OR_DISABLED = "orphan_or_disabled", _("孤儿、残疾学生")
    OTHER_HARDSHIP = "other_hardship", _("其他困难家庭")


class FeeWaiver(models.Model):
    """A reduction or exemption for a family in need (A8). The reason is for the school only."""

    enrolment = models.OneToOneField(Enrolment, models.CASCADE, related_name="waiver")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    category = models.CharField(_("困难类别"), max_length=32, choices=WaiverCategory.choices)
    waived_fen = models.PositiveIntegerField(_("减免金额（分）"))
    reason = models.TextField(_("减免理由（仅学校可见）"))
    approved_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"))

    scope: ClassVar[ScopePath] = _ENROLMENT_SCOPE

    class Meta:
        verbose_name = _("收费减免")
        verbose_name_plural = _("收费减免")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="afterschool_waiver_reason"),
            models.CheckConstraint(condition=Q(waived_fen__gt=0), name="afterschool_waiver_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.category}"


class FeeRecord(models.Model):
    """Whether the family of an enrolled child has paid the term's fee, as the school recorded it."""

    enrolment = models.OneToOneField(Enrolment, models.CASCADE, related_name="fee_record")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    paid = models.BooleanField(_("已缴费"))
    # What was due when the school recorded it: with `paid`, the amount the family paid. A waiver granted later
    # leaves it as it was, so the fee book can show what the school owes back (selectors_staffing.FeeRow).
    amount_fen = models.PositiveIntegerField(_("应缴金额（分）"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    scope: ClassVar[ScopePath] = _ENROLMENT_SCOPE

    class Meta:
        verbose_name = _("缴费登记")
        verbose_name_plural = _("缴费登记")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.paid}"
