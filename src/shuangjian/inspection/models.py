"""Special rectification campaigns (专项整治) and field inspections of off-campus training.

- `ChecklistItem`: a banned practice a region (city or county) inspects against; a county inherits its city's.
- `Campaign`: a campaign of a region over a period, with the kinds of institution it targets and a target number of
  inspections per county.
- `Inspection` with its `Finding`s (one per checklist item: pass / fail / not applicable): a field inspection of a
  registered institution or of an address (unlicensed training), optionally within a campaign.
- `RectificationOrder` (责令整改通知) issued from an inspection with failed items, reported on by the operator and
  followed up by an inspection that confirms it or escalates it to a sanction recommendation; `OrderEvent` is its
  append-only record.
- `UnlicensedCase`: an unlicensed ("underground") training site from report to closure and re-check.

Region columns are denormalised (county, city, province) like Institution's, so a bureau's or an inspector's filter
is one indexed predicate; a city-wide campaign or checklist item has no county.
"""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Region, User
from shuangjian.core.scope import ScopePath
from shuangjian.training.models import Institution, SanctionKind, Site

_REGION_ONLY = ScopePath(region_prefix="")
_INSTITUTION_AND_REGION = ScopePath(institution="institution__credit_code", region_prefix="")


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class ChecklistItem(models.Model):
    """A banned practice (违规行为) on the region's inspection checklist."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("制定地区"))
    code = models.CharField(_("编号"), max_length=16)
    text = models.CharField(_("检查事项"), max_length=200)
    legal_basis = models.CharField(_("依据"), max_length=200)
    severity = models.CharField(_("严重程度"), max_length=16, choices=Severity.choices)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="inspection_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class TargetKind(models.TextChoices):
    ACADEMIC = "academic", _("学科类机构")
    NON_ACADEMIC = "non_academic", _("非学科类机构")
    UNLICENSED = "unlicensed", _("无证无照培训")


class Campaign(models.Model):
    """A special rectification campaign of a city or county bureau."""

    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("组织地区"))
    county = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    city = models.ForeignKey(Region, models.PROTECT, related_name="+")
    province = models.ForeignKey(Region, models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    target_kinds = models.JSONField(_("整治对象"), default=list)
    target_inspections = models.PositiveIntegerField(_("每个县（区）目标检查次数"))
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _REGION_ONLY

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="inspection_campaign_dates"),
            models.CheckConstraint(condition=Q(target_inspections__gte=1), name="inspection_campaign_target"),
        ]

    def __str__(self) -> str:
        return self.name


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("现场检查")
    FOLLOW_UP = "follow_up", _("整改复查")


class Inspection(models.Model):
    """A field inspection of an institution's site, or of an address where unlicensed training is suspected."""

    kind = models.CharField(_("类型"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.ROUTINE)
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name=_("专项整治")
    )
    institution = models.ForeignKey(
        Institution, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("被检查机构")
    )
    case = models.ForeignKey(
        "UnlicensedCase", models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name=_("无证线索")
    )
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("培训场所")
    )  # the institution's registered site that was visited, when it was one of them
    address = models.CharField(_("检查地点"), max_length=200)
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("县/区"))
    city = models.ForeignKey(Region, models.PROTECT, related_name="+")
    province = models.ForeignKey(Region, models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("检查日期"))
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    co_inspectors = models.ManyToManyField(User, related_name="+", blank=True, verbose_name=_("同行检查人员"))
    note = models.TextField(_("检查情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _INSTITUTION_AND_REGION

    class Meta:
        verbose_name = _("现场检查")
        verbose_name_plural = _("现场检查")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=True) | Q(case__isnull=True), name="inspection_institution_or_case"
            ),
            models.CheckConstraint(
                condition=Q(site__isnull=True) | Q(institution__isnull=False), name="inspection_site_of_institution"
            ),
        ]
        indexes = [models.Index(fields=["county", "inspected_on"], name="inspection_county_day")]

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.address}"


class Result(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, models.PROTECT, related_name="+", verbose_name=_("检查事项"))
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="inspection_finding_unique")]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.item_id} {self.result}"


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("待整改")
    REPORTED = "reported", _("已报告整改")
    CONFIRMED = "confirmed", _("整改合格")
    ESCALATED = "escalated", _("移交处罚")


class RectificationOrder(models.Model):
    """An order to rectify (责令整改) the failed items of an inspection by a deadline."""

    inspection = models.OneToOneField(Inspection, models.PROTECT, related_name="order")
    institution = models.ForeignKey(Institution, models.PROTECT, related_name="+", verbose_name=_("机构"))
    county = models.ForeignKey(Region, models.PROTECT, related_name="+")
    city = models.ForeignKey(Region, models.PROTECT, related_name="+")
    province = models.ForeignKey(Region, models.PROTECT, related_name="+")
    requirements = models.TextField(_("整改要求"))
    issued_on = models.DateField(_("下达日期"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ISSUED)
    report = models.TextField(_("整改情况报告"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    follow_up = models.OneToOneField(
        Inspection, models.PROTECT, null=True, blank=True, related_name="followed_order", verbose_name=_("复查")
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    recommended_sanction = models.CharField(_("建议处罚"), max_length=24, choices=SanctionKind.choices, blank=True)
    issued_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    scope: ClassVar[ScopePath] = _INSTITUTION_AND_REGION

    class Meta:
        verbose_name = _("责令整改通知")
        verbose_name_plural = _("责令整改通知")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("issued_on")), name="inspection_order_deadline"),
            models.CheckConstraint(
                condition=~Q(status="escalated") | ~Q(recommended_sanction=""), name="inspection_order_escalation"
            ),
        ]
        indexes = [models.Index(fields=["county", "status", "deadline"], name="inspection_order_due")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.issued_on}"


class OrderEvent(models.Model):
    """Who moved an order, when, from which status to which: appended in the same transaction, never changed."""

    order = models.ForeignKey(RectificationOrder, models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(User, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")

    def __str__(self) -> str:
        return f"{self.order_id} {self.from_status}->{self.to_status}"


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("检查发现")
    COMPLAINT = "complaint", _("投诉举报")
    TIP = "tip", _("群众线索")


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("待核实")
    VERIFIED = "verified", _("核实为无证培训")
    DISMISSED = "dismissed", _("查无实据")
    CLOSURE_ORDERED = "closure_ordered", _("已责令停办")
    CLOSED = "closed", _("已关停")


class UnlicensedCase(models.Model):
    """An unlicensed ("underground") training site (无证无照培训): reported, verified, ordered to close, closed,
    and re-checked; a re-check that finds it running again reopens it as verified."""

    name = models.CharField(_("名称或招牌"), max_length=128)
    address = models.CharField(_("地址"), max_length=200)
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("县/区"))
    city = models.ForeignKey(Region, models.PROTECT, related_name="+")
    province = models.ForeignKey(Region, models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=16, choices=CaseSource.choices)
    complaint_reference = models.CharField(_("投诉受理编号"), max_length=20, blank=True)
    description = models.TextField(_("情况"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    verified_on = models.DateField(_("核实日期"), null=True, blank=True)
    closure_ordered_on = models.DateField(_("责令停办日期"), null=True, blank=True)
    closed_on = models.DateField(_("关停日期"), null=True, blank=True)
    rechecked_on = models.DateField(_("最近复查日期"), null=True, blank=True)
    recheck_count = models.PositiveSmallIntegerField(_("复查次数"), default=0)
    reported_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("登记时间"))

    scope: ClassVar[ScopePath] = _REGION_ONLY

    class Meta:
        verbose_name = _("无证培训线索")
        verbose_name_plural = _("无证培训线索")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="inspection_case_closed_on"
            ),
        ]
        indexes = [models.Index(fields=["county", "status"], name="inspection_case_county")]

    def __str__(self) -> str:
        return f"{self.name} {self.address}"
