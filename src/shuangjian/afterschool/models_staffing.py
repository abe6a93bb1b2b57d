"""Staffing of the after-school service (issue 3, item 5): who serves which block on which weekday of a plan.

A school's own staff member is a User with a role in the school; an external person (a coach from the youth
centre, a volunteer) is named with their provider and qualification. One row is one weekly duty; the term's
dated duties come from the plan's calendar (holidays removed, make-up days added).
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool.models import _SCHOOL_SCOPE, Offering, ServicePlan
from shuangjian.core.models import School, SchoolClass, User
from shuangjian.core.scope import ScopePath


class StaffDuty(models.Model):
    """One weekly duty: a staff member (or an external person) serves block `block_number` on `weekday`, with a
    class (homework guidance, care) or an offering (activities), or the block at large."""

    plan = models.ForeignKey(ServicePlan, models.CASCADE, related_name="duties")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("周几"))
    block_number = models.PositiveSmallIntegerField(_("时段"))
    staff = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("本校教职工")
    )
    external_name = models.CharField(_("校外人员姓名"), max_length=64, blank=True)
    external_provider = models.CharField(_("校外人员所属单位"), max_length=128, blank=True)
    external_qualification = models.CharField(_("资质"), max_length=128, blank=True)
    school_class = models.ForeignKey(
        SchoolClass, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("班级")
    )
    offering = models.ForeignKey(
        Offering, models.CASCADE, null=True, blank=True, related_name="duties", verbose_name=_("课程")
    )
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _SCHOOL_SCOPE

    class Meta:
        verbose_name = _("课后服务值守安排")
        verbose_name_plural = _("课后服务值守安排")
        ordering = ["weekday", "block_number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(staff__isnull=False) & Q(external_name=""))
                | (Q(staff__isnull=True) & ~Q(external_name="") & ~Q(external_provider="")),
                name="afterschool_duty_who",
            ),
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7), name="afterschool_duty_weekday"),
            models.UniqueConstraint(
                fields=["plan", "weekday", "block_number", "staff"],
                condition=Q(staff__isnull=False),
                name="afterschool_duty_staff_once",
            ),
            models.UniqueConstraint(
                fields=["plan", "weekday", "block_number", "external_name", "external_provider"],
                condition=Q(staff__isnull=True),
                name="afterschool_duty_external_once",
            ),
        ]
        indexes = [models.Index(fields=["plan", "staff"], name="afterschool_duty_staff")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.weekday}:{self.block_number} {self.staff_id or self.external_name}"

    @property
    def external(self) -> bool:
        return self.staff_id is None
