"""The guardians' satisfaction survey (issue 3, item 7): one short survey per plan (a school's term), one answer
per guardian per child. An answer carries no link to who gave it: a receipt holds only a keyed hash of
(guardian, child, plan), which refuses a second answer, and the answer's key is random, so answers cannot be
ordered against receipts. Results are read only as aggregates with small-cell suppression.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool.models import ServicePlan
from shuangjian.core.models import School


class SurveyReceipt(models.Model):
    """That someone answered: the keyed hash of guardian, child and plan, nothing else."""

    plan = models.ForeignKey(ServicePlan, models.CASCADE, related_name="+")
    respondent_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("问卷提交凭据")
        verbose_name_plural = _("问卷提交凭据")
        constraints = [
            models.UniqueConstraint(fields=["plan", "respondent_hash"], name="afterschool_survey_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.respondent_hash[:8]}"


class SurveyAnswer(models.Model):
    """One anonymous answer: scores 1-5 and an optional comment. No user, student, time or sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ServicePlan, models.CASCADE, related_name="+")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    overall = models.PositiveSmallIntegerField(_("总体满意度"))
    content = models.PositiveSmallIntegerField(_("课程内容"))
    care = models.PositiveSmallIntegerField(_("看护与安全"))
    staff = models.PositiveSmallIntegerField(_("教师与工作人员"))
    comment = models.TextField(_("意见建议"), blank=True)

    class Meta:
        verbose_name = _("满意度问卷答卷")
        verbose_name_plural = _("满意度问卷答卷")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, content__gte=1, content__lte=5)
                & Q(care__gte=1, care__lte=5, staff__gte=1, staff__lte=5),
                name="afterschool_survey_scores",
            )
        ]
        indexes = [models.Index(fields=["school", "plan"], name="afterschool_survey_school")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.overall}"
