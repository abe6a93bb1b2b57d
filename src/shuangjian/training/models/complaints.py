"""Complaints about training (投诉举报) and their lifecycle.

A complaint comes from the public web page or is handed over by a hotline (12345 / 12315, with the hotline's own
reference number, unique per hotline). It is triaged, assigned to an inspector of its county, investigated,
resolved with an outcome and a reply to the complainant, and closed; the allowed moves are in rules.py
(COMPLAINT_TRANSITIONS). Every move, note, operator response and reminder is a `ComplaintEvent` row, written by the
service in the same transaction and never changed. The complainant's phone is stored protected (digest, mask,
ciphertext) and shown masked to supervisors only; institution operators never see who complained.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Region, User
from shuangjian.core.scope import ScopePath
from shuangjian.training.models.registry import Institution


class ComplaintChannel(models.TextChoices):
    WEB = "web", _("网上投诉")
    HOTLINE_12345 = "hotline_12345", _("12345 热线转办")
    HOTLINE_12315 = "hotline_12315", _("12315 热线转办")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    TRIAGED = "triaged", _("已分类")
    REJECTED = "rejected", _("不予受理")
    ASSIGNED = "assigned", _("已分派")
    INVESTIGATING = "investigating", _("调查中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已归档")


class ComplaintCategory(models.TextChoices):
    ACADEMIC_VIOLATION = "academic_violation", _("违规开展学科类培训")
    FEES = "fees", _("收费与退费")
    SCHEDULE = "schedule", _("培训时间违规")
    SAFETY = "safety", _("场所安全")
    STAFF = "staff", _("从业人员资质")
    ADVERTISING = "advertising", _("虚假宣传")
    OTHER = "other", _("其他")


class ComplaintPriority(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class ComplaintOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("情况属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("情况不属实")
    MEDIATED = "mediated", _("调解处理")


class Complaint(models.Model):
    """A complaint about training, followed by the complainant with `reference`."""

    reference = models.CharField(_("受理编号"), max_length=20, unique=True)
    channel = models.CharField(_("来源"), max_length=16, choices=ComplaintChannel.choices)
    hotline_reference = models.CharField(_("热线工单号"), max_length=32, blank=True)
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("县/区"))
    city = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("市"))
    province = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("省"))
    institution = models.ForeignKey(
        Institution, models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("被投诉机构")
    )
    institution_name = models.CharField(_("被投诉机构名称"), max_length=128)
    institution_address = models.CharField(_("被投诉机构地址"), max_length=200, blank=True)
    content = models.TextField(_("投诉内容"))
    wants_reply = models.BooleanField(_("需要回复"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=11, blank=True, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("受理时间"))
    # Deadlines in working days from receipt (policy: complaints.*_max_working_days); empty where none is set.
    triage_due_on = models.DateField(_("分类办理期限"), null=True, blank=True)
    resolve_due_on = models.DateField(_("办结期限"), null=True, blank=True)
    category = models.CharField(_("类别"), max_length=24, choices=ComplaintCategory.choices, blank=True)
    priority = models.CharField(_("紧急程度"), max_length=16, choices=ComplaintPriority.choices, blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    assignee = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("承办督查员")
    )
    outcome = models.CharField(_("办理结果"), max_length=24, choices=ComplaintOutcome.choices, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    operator_response = models.TextField(_("机构说明"), blank=True)

    scope: ClassVar[ScopePath] = ScopePath(institution="institution__credit_code", region_prefix="")

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        constraints = [
            models.CheckConstraint(
                condition=Q(wants_reply=False) | ~Q(phone_digest=""), name="training_complaint_reply_needs_contact"
            ),
            models.CheckConstraint(
                condition=Q(channel="web", hotline_reference="") | (~Q(channel="web") & ~Q(hotline_reference="")),
                name="training_complaint_hotline_reference",
            ),
            models.UniqueConstraint(
                fields=["channel", "hotline_reference"],
                condition=~Q(hotline_reference=""),
                name="training_complaint_hotline_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status"], name="training_complaint_county"),
            models.Index(fields=["assignee", "status"], name="training_complaint_assignee"),
        ]

    def __str__(self) -> str:
        return self.reference


class ComplaintEventKind(models.TextChoices):
    FILED = "filed", _("受理")
    TRIAGED = "triage", _("分类")
    REJECTED = "reject", _("不予受理")
    ASSIGNED = "assign", _("分派")
    STARTED = "investigate", _("开始调查")
    NOTE = "note", _("调查记录")
    RESOLVED = "resolve", _("办结")
    CLOSED = "close", _("归档")
    REOPENED = "reopen", _("重新办理")
    OPERATOR_RESPONSE = "operator_response", _("机构说明")
    REMINDER = "reminder", _("到期提醒")
    SANCTION = "sanction", _("联合惩戒")


class ComplaintEvent(models.Model):
    """One step in a complaint's life: who (empty for the public and the reminder task), when, from which status to
    which, and the note. A reminder names its deadline in `reminder_for` and is recorded once per deadline."""

    complaint = models.ForeignKey(Complaint, models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=ComplaintEventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ComplaintStatus.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    reminder_for = models.CharField(_("提醒期限"), max_length=16, blank=True)
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"))

    scope: ClassVar[ScopePath] = ScopePath(
        institution="complaint__institution__credit_code", region_prefix="complaint__"
    )

    class Meta:
        verbose_name = _("投诉办理记录")
        verbose_name_plural = _("投诉办理记录")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "reminder_for"],
                condition=Q(kind="reminder"),
                name="training_complaint_reminder_once",
            ),
        ]
        indexes = [models.Index(fields=["complaint", "at"], name="training_complaint_event_at")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"
