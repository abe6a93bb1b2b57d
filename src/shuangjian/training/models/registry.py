"""The registry (校外培训监管): training institutions and their licences, sites, staff, courses and sanctions.

An institution is identified by its unified social credit code (GB 32100). Its region columns are denormalised like
School's, so a bureau's filter is one indexed predicate; an institution operator reaches its own rows through the
credit code (core.scope.ScopePath.institution). The escrow ledger (app `ledger`) opens its accounts against
`Institution`.

Around it: the append-only record of every registry change (`InstitutionEvent`), its sites and staff, its courses
with their timetables, the region's government guidance prices and the sanctions on the public sanction list.
Weekdays are ISO numbers (1 = Monday ... 7 = Sunday); money is integer fen.
"""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core import money
from shuangjian.core.models import Region, User
from shuangjian.core.scope import ScopePath
from shuangjian.core.weekdays import weekday_label
from shuangjian.training import rules


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
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    # Fund supervision (资金监管) as a registry fact: the custodian bank and the day the supervised account opened.
    # The escrow ledger owns the money; the public lookup shows only whether fees are supervised.
    escrow_bank = models.CharField(_("资金监管银行"), max_length=128, blank=True)
    escrow_opened_on = models.DateField(_("监管账户开立日期"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["county", "licence_status"], name="training_inst_county_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fees_supervised(self) -> bool:
        return rules.fees_supervised(self.escrow_bank, self.escrow_opened_on)


_BELOW_INSTITUTION = ScopePath(institution="institution__credit_code", region_prefix="institution__")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("登记")
    UPDATED = "updated", _("修改登记信息")
    APPROVED = "approved", _("审批通过")
    SUSPENDED = "suspended", _("暂停办学")
    REINSTATED = "reinstated", _("恢复办学")
    CANCELLED = "cancelled", _("注销")
    CONVERTED = "converted", _("学科类转为非学科类")
    SITE_ADDED = "site_added", _("新增培训场所")
    STAFF_ADDED = "staff_added", _("新增从业人员")
    SUPERVISION_RECORDED = "supervision_recorded", _("登记资金监管账户")
    SANCTIONED = "sanctioned", _("列入惩戒名单")


class InstitutionEvent(models.Model):
    """Who changed what in the registry, when and why: written by the service in the same transaction, never
    updated or deleted (a correction is a new event)."""

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=LicenceStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=LicenceStatus.choices, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    actor = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"))

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("机构登记记录")
        verbose_name_plural = _("机构登记记录")
        indexes = [models.Index(fields=["institution", "at"], name="training_event_at")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.kind}"


class Site(models.Model):
    """A training site (培训场所) of an institution; its area caps the students of an offline session (T10)."""

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="sites")
    address = models.CharField(_("地址"), max_length=200)
    area_square_metres = models.PositiveIntegerField(_("教学面积（平方米）"))
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("培训场所")
        verbose_name_plural = _("培训场所")
        constraints = [models.CheckConstraint(condition=Q(area_square_metres__gte=1), name="training_site_area")]

    def __str__(self) -> str:
        return self.address


class InstitutionStaff(models.Model):
    """A person working for an institution. Teaching staff of academic training hold a teacher qualification
    (教师资格, T9), whose certificate number is recorded; staff are never shown on public pages."""

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="staff")
    name = models.CharField(_("姓名"), max_length=64)
    teaches = models.BooleanField(_("授课人员"), default=True)
    qualification_number = models.CharField(_("教师资格证书编号"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")

    def __str__(self) -> str:
        return self.name


class GuidancePrice(models.Model):
    """A region's government guidance price (政府指导价, P1-P4): the base price per student for one standard lesson
    of a subject and mode. The most specific region (county, then city, then province) applies."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("行政区划"))
    subject = models.CharField(_("学科"), max_length=16)
    mode = models.CharField(_("培训形式"), max_length=16, choices=TrainingMode.choices)
    base_fen = models.PositiveIntegerField(_("基准价（分/生·标准课时）"))
    set_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政府指导价")
        verbose_name_plural = _("政府指导价")
        constraints = [
            models.UniqueConstraint(fields=["region", "subject", "mode"], name="training_guidance_price_unique"),
            models.CheckConstraint(condition=Q(base_fen__gte=1), name="training_guidance_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.subject} {self.mode}"


class GuidancePriceChange(models.Model):
    """One setting of a guidance price, kept for good (政府指导价调整记录): what the base price became, what it was
    before (None: first set), who set it and when. GuidancePrice holds the price in force."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("行政区划"))
    subject = models.CharField(_("学科"), max_length=16)
    mode = models.CharField(_("培训形式"), max_length=16, choices=TrainingMode.choices)
    base_fen = models.PositiveIntegerField(_("基准价（分/生·标准课时）"))
    previous_fen = models.PositiveIntegerField(_("调整前（分）"), null=True, blank=True)
    set_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("调整时间"))

    class Meta:
        verbose_name = _("政府指导价调整记录")
        verbose_name_plural = _("政府指导价调整记录")
        indexes = [models.Index(fields=["region", "subject", "mode", "set_at"], name="training_guidance_history")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.subject} {self.mode} {self.previous_fen} -> {self.base_fen}"


class CourseStatus(models.TextChoices):
    ACTIVE = "active", _("开课")
    WITHDRAWN = "withdrawn", _("已下架")


class Course(models.Model):
    """A course an institution offers: what, for whom, how long, how many lessons, at what price, charged how,
    and when (its timetable entries between `start_date` and `end_date`)."""

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="courses")
    site = models.ForeignKey(Site, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("场所"))
    title = models.CharField(_("课程名称"), max_length=64)
    subject = models.CharField(_("学科/项目"), max_length=16)
    grade_min = models.SmallIntegerField(_("最低年级"))
    grade_max = models.SmallIntegerField(_("最高年级"))
    lesson_minutes = models.PositiveSmallIntegerField(_("每课时分钟数"))
    lesson_count = models.PositiveSmallIntegerField(_("总课时数"))
    class_size = models.PositiveSmallIntegerField(_("班额"))
    price_fen_per_lesson = models.PositiveIntegerField(_("每课时收费（分/生）"))
    charge_lessons = models.PositiveSmallIntegerField(_("单次收费课时数"))
    charge_months = models.PositiveSmallIntegerField(_("单次收费月数"))
    start_date = models.DateField(_("开课日期"))
    end_date = models.DateField(_("结课日期"))
    status = models.CharField(_("状态"), max_length=16, choices=CourseStatus.choices, default=CourseStatus.ACTIVE)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_min__gte=-2, grade_max__lte=12, grade_min__lte=F("grade_max")),
                name="training_course_grades",
            ),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_course_dates"),
            models.CheckConstraint(
                condition=Q(lesson_minutes__gte=1, lesson_count__gte=1, class_size__gte=1, charge_lessons__gte=1),
                name="training_course_positive",
            ),
        ]
        indexes = [models.Index(fields=["institution", "status"], name="training_course_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def price_yuan(self) -> str:
        return money.yuan(self.price_fen_per_lesson)


class TimetableEntry(models.Model):
    """One sitting of a course: weekly on `weekday` (from the course's start to its end date), or on one `date`."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="entries")
    weekday = models.PositiveSmallIntegerField(_("星期（周一=1）"), null=True, blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))

    class Meta:
        verbose_name = _("课表")
        verbose_name_plural = _("课表")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=False, date__isnull=True, weekday__gte=1, weekday__lte=7)
                | Q(weekday__isnull=True, date__isnull=False),
                name="training_entry_weekday_xor_date",
            ),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="training_entry_times"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.weekday or self.date} {self.start_time}-{self.end_time}"

    @property
    def weekday_label(self) -> str:
        return weekday_label(self.weekday) if self.weekday else ""


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    ORDERED_STOP = "ordered_stop", _("责令停止招生")
    LICENCE_REVOKED = "licence_revoked", _("吊销办学许可证")
    JOINT_SANCTION = "joint_sanction", _("联合惩戒")


class PartnerDepartment(models.TextChoices):
    """The departments a joint sanction (联合惩戒) is carried out with."""

    MARKET_REGULATION = "market_regulation", _("市场监管")
    PUBLIC_SECURITY = "public_security", _("公安")
    HUMAN_RESOURCES = "human_resources", _("人社")
    TAX = "tax", _("税务")
    BANKING = "banking", _("人民银行/金融监管")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    CYBERSPACE = "cyberspace", _("网信")
    DEVELOPMENT_REFORM = "development_reform", _("发展改革（信用）")


class Sanction(models.Model):
    """A sanction on an institution (黑名单 / 惩戒名单): published while in force. `authority` is the deciding
    body as published (e.g. 梁园区教育体育局); the user who recorded it is kept for the record, not published.
    A joint sanction (联合惩戒) names its partner departments (PartnerDepartment values) and measures, and may
    come from a substantiated complaint."""

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("惩戒类型"), max_length=24, choices=SanctionKind.choices)
    reason = models.TextField(_("事由"))
    authority = models.CharField(_("决定机关"), max_length=128)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    decided_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    partners = models.JSONField(_("联合惩戒部门"), default=list, blank=True)
    measures = models.TextField(_("惩戒措施"), blank=True)
    complaint = models.ForeignKey(
        "training.Complaint",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
        verbose_name=_("来源投诉"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _BELOW_INSTITUTION

    class Meta:
        verbose_name = _("惩戒记录")
        verbose_name_plural = _("惩戒记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="training_sanction_dates"
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="training_sanction_period")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.kind}"

    @property
    def partner_labels(self) -> list[str]:
        return [str(PartnerDepartment(code).label) for code in self.partners if code in PartnerDepartment.values]
