"""Homework: items and their per-day load, the daily board, feedback, rollups, the showcase, complaints."""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Region, School, SchoolClass, Student, User
from shuangjian.core.scope import ScopePath
from shuangjian.core.subjects import SUBJECT_CHOICES


class HomeworkKind(models.TextChoices):
    WRITTEN = "written", _("书面作业")
    ORAL = "oral", _("口头/阅读")
    PRACTICAL = "practical", _("实践作业")
    PROJECT = "project", _("项目作业")


class Layer(models.TextChoices):
    BASIC = "basic", _("基础")
    ADVANCED = "advanced", _("提升")
    EXTENSION = "extension", _("拓展（选做）")


class ItemStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


# A class-day whose average reported time is over its cap.
OVER_CAP = Q(cap_minutes__isnull=False, feedback_count__gt=0) & Q(
    reported_minutes_sum__gt=F("cap_minutes") * F("feedback_count")
)

_CLASS_SCOPE = ScopePath(
    school="school", school_class="school_class", grade="school_class__grade", region_prefix="school__"
)


class HomeworkGroup(models.Model):
    """A group of students within a class (分层分组) that some items are assigned to."""

    school = models.ForeignKey(School, models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.CASCADE, related_name="homework_groups")
    name = models.CharField(_("分组名称"), max_length=32)
    students = models.ManyToManyField(Student, related_name="homework_groups", blank=True)

    scope: ClassVar[ScopePath] = _CLASS_SCOPE

    class Meta:
        verbose_name = _("作业分组")
        verbose_name_plural = _("作业分组")
        constraints = [models.UniqueConstraint(fields=["school_class", "name"], name="homework_group_unique")]

    def __str__(self) -> str:
        return self.name


class HomeworkItem(models.Model):
    """One piece of homework a teacher assigns to a class (or a group in it) for a due day or a span of days."""

    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="homework_items")
    group = models.ForeignKey(HomeworkGroup, models.PROTECT, null=True, blank=True, related_name="items")
    assigned_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    subject = models.CharField(_("学科"), max_length=32, choices=SUBJECT_CHOICES)
    kind = models.CharField(_("类型"), max_length=16, choices=HomeworkKind.choices)
    layer = models.CharField(_("层次"), max_length=16, choices=Layer.choices)
    title = models.CharField(_("标题"), max_length=100)
    instructions = models.TextField(_("要求"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("预计用时（分钟）"))
    start_date = models.DateField(_("开始日期"))
    due_date = models.DateField(_("完成日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope: ClassVar[ScopePath] = _CLASS_SCOPE

    class Meta:
        verbose_name = _("作业")
        verbose_name_plural = _("作业")
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=models.F("start_date")), name="homework_item_dates"),
            models.CheckConstraint(condition=Q(estimated_minutes__gte=1), name="homework_item_minutes_positive"),
        ]
        indexes = [models.Index(fields=["school_class", "due_date"], name="homework_item_class_due")]

    def __str__(self) -> str:
        return self.title


class HomeworkLoad(models.Model):
    """The minutes an item puts on one day (a multi-day project is spread over its school days)."""

    item = models.ForeignKey(HomeworkItem, models.CASCADE, related_name="loads")
    school = models.ForeignKey(School, models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    minutes = models.PositiveSmallIntegerField(_("分钟"))

    scope: ClassVar[ScopePath] = _CLASS_SCOPE

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "date"], name="homework_load_unique")]
        indexes = [models.Index(fields=["school_class", "date"], name="homework_load_class_date")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date} {self.minutes}"


class FeedbackSource(models.TextChoices):
    GUARDIAN = "guardian", _("家长")
    STUDENT = "student", _("学生")
    HEAD_TEACHER = "head_teacher", _("班主任")


class HomeworkFeedback(models.Model):
    """What a child really spent on written homework on one day. One row per student and day: the latest counts."""

    student = models.ForeignKey(Student, models.CASCADE, related_name="homework_feedback")
    school = models.ForeignKey(School, models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    reported_minutes = models.PositiveSmallIntegerField(_("实际用时（分钟）"))
    unfinished_at_bedtime = models.BooleanField(_("到就寝时间仍未完成"), default=False)
    item_minutes = models.JSONField(_("分项用时"), default=dict, blank=True)
    source = models.CharField(_("填报人"), max_length=16, choices=FeedbackSource.choices)
    reported_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    scope: ClassVar[ScopePath] = ScopePath(
        school="school",
        school_class="school_class",
        grade="school_class__grade",
        student="student",
        region_prefix="school__",
    )

    class Meta:
        verbose_name = _("作业时长反馈")
        verbose_name_plural = _("作业时长反馈")
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="homework_feedback_student_day")]
        indexes = [
            models.Index(fields=["school_class", "date"], name="homework_feedback_class_date"),
            models.Index(fields=["date"], name="homework_feedback_date"),  # the region rollup refresh, per day
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date} {self.reported_minutes}"


class ClassDayRollup(models.Model):
    """Per class and day, maintained incrementally in the same transaction as each write."""

    school_class = models.ForeignKey(SchoolClass, models.CASCADE, related_name="+")
    school = models.ForeignKey(School, models.CASCADE, related_name="+")
    county = models.ForeignKey(Region, models.CASCADE, related_name="+")
    city = models.ForeignKey(Region, models.CASCADE, related_name="+")
    grade = models.SmallIntegerField()
    date = models.DateField()
    cap_minutes = models.PositiveSmallIntegerField(null=True)  # None: no cap configured for that kind of day
    estimated_minutes = models.PositiveIntegerField(default=0)  # written, required layers, the class's heaviest load
    feedback_count = models.PositiveIntegerField(default=0)
    within_cap_count = models.PositiveIntegerField(default=0)
    unfinished_count = models.PositiveIntegerField(default=0)
    reported_minutes_sum = models.PositiveBigIntegerField(default=0)

    scope: ClassVar[ScopePath] = _CLASS_SCOPE

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_class", "date"], name="class_day_rollup_unique")]
        indexes = [
            models.Index(fields=["date", "school"], name="class_day_rollup_date_school"),
            models.Index(fields=["date", "county"], name="class_day_rollup_date_county"),
        ]

    def __str__(self) -> str:
        return f"{self.school_class_id} {self.date}"


class RegionDayRollup(models.Model):
    """Per county or city, day and grade: refreshed from the class rollups and feedback (services/rollups.py), so a
    city-wide view over a whole term reads a few thousand rows. `histogram[i]` counts reports in minutes bucket i."""

    region = models.ForeignKey(Region, models.CASCADE, related_name="+")
    date = models.DateField()
    grade = models.SmallIntegerField()
    class_count = models.PositiveIntegerField(default=0)
    classes_over_cap = models.PositiveIntegerField(default=0)  # classes whose average report exceeded the cap
    estimated_minutes_sum = models.PositiveBigIntegerField(default=0)
    feedback_count = models.PositiveIntegerField(default=0)
    within_cap_count = models.PositiveIntegerField(default=0)
    unfinished_count = models.PositiveIntegerField(default=0)
    reported_minutes_sum = models.PositiveBigIntegerField(default=0)
    histogram = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "date", "grade"], name="region_day_rollup_unique"),
        ]
        indexes = [models.Index(fields=["region", "date"], name="region_day_rollup_region_date")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.date} g{self.grade}"


class ShareScope(models.TextChoices):
    """Which library a shared item goes to: the teacher's school, or their county's or city's region library."""

    SCHOOL = "school", _("本校作业库")
    COUNTY = "county", _("县区作业库")
    CITY = "city", _("市级作业库")


class SharedHomework(models.Model):
    """优质作业: a snapshot of a teacher's item in a school or region library, for others to browse and reuse.

    Who sees a row is the library's membership (selectors_showcase): the school's staff for SCHOOL, every
    school of the county (or city) and its bureau for COUNTY (CITY). It declares no `scope` path on purpose:
    the origin school alone does not say who may read it."""

    source_item = models.ForeignKey(
        HomeworkItem, models.SET_NULL, null=True, blank=True, related_name="shares", verbose_name=_("原作业")
    )
    school = models.ForeignKey(School, models.PROTECT, related_name="+", verbose_name=_("分享学校"))
    county = models.ForeignKey(Region, models.PROTECT, related_name="+")
    city = models.ForeignKey(Region, models.PROTECT, related_name="+")
    scope = models.CharField(_("分享范围"), max_length=16, choices=ShareScope.choices)
    shared_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("分享教师"))
    subject = models.CharField(_("学科"), max_length=32, choices=SUBJECT_CHOICES)
    kind = models.CharField(_("类型"), max_length=16, choices=HomeworkKind.choices)
    layer = models.CharField(_("层次"), max_length=16, choices=Layer.choices)
    grade = models.SmallIntegerField(_("年级"))
    title = models.CharField(_("标题"), max_length=100)
    instructions = models.TextField(_("要求"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("预计用时（分钟）"))
    created_at = models.DateTimeField(_("分享时间"), auto_now_add=True)
    reuse_count = models.PositiveIntegerField(_("被选用次数"), default=0)

    class Meta:
        verbose_name = _("优质作业")
        verbose_name_plural = _("优质作业")
        constraints = [
            models.UniqueConstraint(fields=["source_item", "scope"], name="shared_homework_once_per_scope"),
            models.CheckConstraint(condition=Q(estimated_minutes__gte=1), name="shared_homework_minutes_positive"),
        ]
        indexes = [
            models.Index(fields=["scope", "school", "grade"], name="shared_homework_school_grade"),
            models.Index(fields=["scope", "county", "grade"], name="shared_homework_county_grade"),
            models.Index(fields=["scope", "city", "grade"], name="shared_homework_city_grade"),
        ]

    def __str__(self) -> str:
        return self.title


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待学校答复")
    ESCALATED = "escalated", _("已转教育局")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class ComplaintParty(models.TextChoices):
    """Who moved a complaint (shown to the guardian instead of a person's name)."""

    GUARDIAN = "guardian", _("家长")
    SCHOOL = "school", _("学校")
    BUREAU = "bureau", _("教育局")
    PLATFORM = "platform", _("平台（超时自动转办）")


class HomeworkComplaint(models.Model):
    """A guardian's complaint about the homework load of their child's class. The school answers it; unanswered
    by `respond_by` (the policy's days), it is escalated to the county's bureau. The guardian follows it by its
    reference number; every status change is a HomeworkComplaintEvent written in the same transaction."""

    reference = models.CharField(_("投诉编号"), max_length=12, unique=True, editable=False)
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    school = models.ForeignKey(School, models.PROTECT, related_name="+", verbose_name=_("学校"))
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+", verbose_name=_("班级"))
    filed_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("投诉人"))
    text = models.TextField(_("投诉内容"), max_length=2000)
    period_start = models.DateField(_("涉及开始日期"), null=True, blank=True)
    period_end = models.DateField(_("涉及结束日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    filed_at = models.DateTimeField(_("投诉时间"))
    respond_by = models.DateTimeField(_("学校答复期限"), null=True, blank=True)  # None: no escalation configured
    escalated_at = models.DateTimeField(_("转教育局时间"), null=True, blank=True)
    response = models.TextField(_("答复"), blank=True)
    responded_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    scope: ClassVar[ScopePath] = ScopePath(
        school="school",
        school_class="school_class",
        grade="school_class__grade",
        student="student",
        region_prefix="school__",
    )

    class Meta:
        verbose_name = _("作业负担投诉")
        verbose_name_plural = _("作业负担投诉")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="homework_complaint_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="escalated") | Q(escalated_at__isnull=False),
                name="homework_complaint_escalated_at",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "closed"]) | (~Q(response="") & Q(responded_at__isnull=False)),
                name="homework_complaint_response",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "respond_by"], name="homework_complaint_due"),
            models.Index(fields=["school", "status"], name="homework_complaint_school"),
        ]

    def __str__(self) -> str:
        return self.reference


class HomeworkComplaintEvent(models.Model):
    """One status change of a complaint: who, when, from what to what, with the text they wrote."""

    complaint = models.ForeignKey(HomeworkComplaint, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")  # None: the platform
    party = models.CharField(_("办理方"), max_length=16, choices=ComplaintParty.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ComplaintStatus.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("投诉办理记录")
        verbose_name_plural = _("投诉办理记录")
        indexes = [models.Index(fields=["complaint", "at"], name="homework_complaint_event_at")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.from_status}→{self.to_status}"
