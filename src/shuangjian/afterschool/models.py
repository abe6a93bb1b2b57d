"""After-school service (课后服务, "5+2"): the region's course framework and menu, each school's service plan per
term with its time blocks and dated changes, the offerings a school orders from the menu, enrolment with consent
and ranked choices, seats and waitlists, the allocation runs, and the record of every change.

Weekdays are ISO numbers (1 = Monday ... 7 = Sunday), as a school writes 周一 ... 周日. Money is integer fen.
"""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.models import Guardian, Region, School, SchoolClass, Student, Term, User
from shuangjian.core.scope import ScopePath

_SCHOOL_SCOPE = ScopePath(school="school", region_prefix="school__")


class CourseCategory(models.Model):
    """One category of a region's course framework (e.g. the "1" of "1+3+N": 体育锻炼). Schools use the categories
    of their county, city and province."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("行政区划"))
    framework = models.CharField(_("课程体系"), max_length=32)
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("课程类别")
        verbose_name_plural = _("课程类别")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="afterschool_category_code")]

    def __str__(self) -> str:
        return self.name


class ProviderKind(models.TextChoices):
    SCHOOL = "school", _("本校教师")
    BUREAU = "bureau", _("教育局统筹")
    UNIVERSITY = "university", _("高校")
    YOUTH_PALACE = "youth_palace", _("少年宫/青少年活动中心")
    INSTITUTION = "institution", _("非学科类培训机构")
    VOLUNTEER = "volunteer", _("志愿者")


class CourseStatus(models.TextChoices):
    ACTIVE = "active", _("可选")
    RETIRED = "retired", _("已下架")


class MenuCourse(models.Model):
    """A course on the menu (课程菜单): the bureau's (school NULL, `region` is the bureau's region) or a school's own
    (`region` is the school's county). External providers are named; an institution by its credit code."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("行政区划"))
    school = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("学校自有课程")
    )
    category = models.ForeignKey(CourseCategory, models.PROTECT, related_name="courses", verbose_name=_("类别"))
    title = models.CharField(_("课程名称"), max_length=64)
    description = models.TextField(_("简介"), blank=True)
    provider_kind = models.CharField(_("提供方类型"), max_length=16, choices=ProviderKind.choices)
    provider_name = models.CharField(_("提供方"), max_length=128)
    provider_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    grade_min = models.SmallIntegerField(_("最低年级"))
    grade_max = models.SmallIntegerField(_("最高年级"))
    capacity = models.PositiveSmallIntegerField(_("容量"))
    weekly_slots = models.PositiveSmallIntegerField(_("每周节数"))
    venue = models.CharField(_("场地"), max_length=64, blank=True)
    staff = models.CharField(_("授课人员"), max_length=128, blank=True)
    fee_fen_per_session = models.PositiveIntegerField(_("每课时收费（分，0 为免费）"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=CourseStatus.choices, default=CourseStatus.ACTIVE)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("菜单课程")
        verbose_name_plural = _("菜单课程")
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_min__gte=1, grade_max__lte=9, grade_min__lte=F("grade_max")),
                name="afterschool_course_grades",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="afterschool_course_capacity"),
            models.CheckConstraint(condition=Q(weekly_slots__gte=1), name="afterschool_course_weekly_slots"),
            models.CheckConstraint(
                condition=~Q(provider_kind="institution") | ~Q(provider_credit_code=""),
                name="afterschool_course_institution_code",
            ),
        ]
        indexes = [models.Index(fields=["region", "school"], name="afterschool_course_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> bool:
        return self.fee_fen_per_session == 0


class ServicePlan(models.Model):
    """一校一案: a school's after-school service for one term. Its weekly pattern is `weekdays` × its blocks; the
    calendar removes holidays, and PlanDate rows add or cancel single dates."""

    school = models.ForeignKey(School, models.PROTECT, related_name="+", verbose_name=_("学校"))
    term = models.ForeignKey(Term, models.PROTECT, related_name="+", verbose_name=_("学期"))
    weekdays = models.JSONField(_("服务日（周一=1）"), default=list)
    enrolment_opens_at = models.DateTimeField(_("报名选课开始"))
    enrolment_closes_at = models.DateTimeField(_("报名选课截止"))
    max_preferences = models.PositiveSmallIntegerField(_("最多志愿数"))
    courses_per_student = models.PositiveSmallIntegerField(_("每生最多课程数"))
    # Where the draw's seed will come from, announced before the window closes and frozen after it (e.g. "the
    # numbers of the 福彩3D draw of 2026-09-15"), so nobody can pick a seed once the choices are known.
    seed_source = models.CharField(_("随机种子来源"), max_length=200, blank=True)
    end_override_reason = models.TextField(_("结束时间早于下班时间的理由"), blank=True)
    end_override_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    end_override_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope: ClassVar[ScopePath] = _SCHOOL_SCOPE

    class Meta:
        verbose_name = _("课后服务方案")
        verbose_name_plural = _("课后服务方案")
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="afterschool_plan_school_term"),
            models.CheckConstraint(
                condition=Q(enrolment_closes_at__gt=F("enrolment_opens_at")), name="afterschool_plan_window"
            ),
            models.CheckConstraint(
                condition=Q(max_preferences__gte=1, courses_per_student__gte=1), name="afterschool_plan_limits"
            ),
            models.CheckConstraint(
                condition=Q(end_override_reason="", end_override_by__isnull=True, end_override_at__isnull=True)
                | (~Q(end_override_reason="") & Q(end_override_by__isnull=False, end_override_at__isnull=False)),
                name="afterschool_plan_override_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.term}"


class BlockKind(models.TextChoices):
    HOMEWORK_GUIDANCE = "homework_guidance", _("作业辅导")
    ACTIVITIES = "activities", _("素质拓展活动")
    CARE = "care", _("延时托管")


class PlanBlock(models.Model):
    """A time block of the plan's day: block 1 homework guidance, block 2 activities, ..."""

    plan = models.ForeignKey(ServicePlan, models.CASCADE, related_name="blocks")
    number = models.PositiveSmallIntegerField(_("时段"))
    kind = models.CharField(_("内容"), max_length=24, choices=BlockKind.choices)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))

    class Meta:
        verbose_name = _("服务时段")
        verbose_name_plural = _("服务时段")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="afterschool_block_number"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="afterschool_block_times"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class PlanDate(models.Model):
    """A dated change to the weekly pattern: on `date` the timetable of `follows_weekday` runs (a make-up workday,
    调休), or, with `follows_weekday` NULL, there is no service (a sports day)."""

    plan = models.ForeignKey(ServicePlan, models.CASCADE, related_name="dates")
    date = models.DateField(_("日期"))
    follows_weekday = models.PositiveSmallIntegerField(_("按周几安排"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=128)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("服务日调整")
        verbose_name_plural = _("服务日调整")
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="afterschool_plan_date"),
            models.CheckConstraint(
                condition=Q(follows_weekday__isnull=True) | Q(follows_weekday__gte=1, follows_weekday__lte=7),
                name="afterschool_plan_date_weekday",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.follows_weekday}"


class Offering(models.Model):
    """A menu course ordered into a plan (点餐): its weekly slots and its seats. `assigned_count` is the seats taken,
    kept in the same transaction as every seat change; the database refuses more than `capacity`."""

    plan = models.ForeignKey(ServicePlan, models.PROTECT, related_name="offerings")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    course = models.ForeignKey(MenuCourse, models.PROTECT, related_name="offerings", verbose_name=_("课程"))
    capacity = models.PositiveSmallIntegerField(_("名额"))
    assigned_count = models.PositiveSmallIntegerField(_("已录取"), default=0)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopePath] = _SCHOOL_SCOPE

    class Meta:
        verbose_name = _("开设课程")
        verbose_name_plural = _("开设课程")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="afterschool_offering_capacity"),
            models.CheckConstraint(
                condition=Q(assigned_count__lte=F("capacity")), name="afterschool_offering_not_over_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.plan_id})"


class OfferingSlot(models.Model):
    """One weekly meeting of an offering: a weekday and a block of the plan."""

    offering = models.ForeignKey(Offering, models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("周几"))
    block_number = models.PositiveSmallIntegerField(_("时段"))

    class Meta:
        verbose_name = _("上课时间")
        verbose_name_plural = _("上课时间")
        ordering = ["weekday", "block_number"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "weekday", "block_number"], name="afterschool_slot_unique"),
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7), name="afterschool_slot_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}:{self.block_number}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("参加")
    WITHDRAWN = "withdrawn", _("已退出")


class Enrolment(models.Model):
    """A child's participation in a plan, asked for by a guardian (A5: voluntary, with recorded consent)."""

    plan = models.ForeignKey(ServicePlan, models.PROTECT, related_name="enrolments")
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=EnrolmentStatus.choices, default="active")
    consent_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("同意人"))
    consent_at = models.DateTimeField(_("同意时间"))
    withdrawn_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    scope: ClassVar[ScopePath] = ScopePath(
        school="school",
        school_class="school_class",
        grade="school_class__grade",
        student="student",
        region_prefix="school__",
    )

    class Meta:
        verbose_name = _("课后服务报名")
        verbose_name_plural = _("课后服务报名")
        constraints = [
            models.UniqueConstraint(fields=["plan", "student"], name="afterschool_enrolment_once"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False), name="afterschool_enrolment_withdrawn"
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="afterschool_enrolment_plan")]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.plan_id}"


class Preference(models.Model):
    """One ranked choice (志愿) of an enrolment: rank 1 is the most wanted."""

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="preferences")
    offering = models.ForeignKey(Offering, models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("志愿顺序"))

    class Meta:
        verbose_name = _("选课志愿")
        verbose_name_plural = _("选课志愿")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "rank"], name="afterschool_preference_rank"),
            models.UniqueConstraint(fields=["enrolment", "offering"], name="afterschool_preference_offering"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="afterschool_preference_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} #{self.rank} {self.offering_id}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已录取")
    WAITLISTED = "waitlisted", _("候补")
    WITHDRAWN = "withdrawn", _("已退出")
    RELEASED = "released", _("已让出（改录更高志愿）")


class AssignmentSource(models.TextChoices):
    ALLOCATION = "allocation", _("随机分配")
    PLACEMENT = "placement", _("学校调整")
    PROMOTION = "promotion", _("候补递补")


class Assignment(models.Model):
    """A student's seat in an offering, or their place on its waitlist. One row per (enrolment, offering)."""

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="assignments")
    offering = models.ForeignKey(Offering, models.PROTECT, related_name="assignments")
    status = models.CharField(_("状态"), max_length=16, choices=AssignmentStatus.choices)
    source = models.CharField(_("来源"), max_length=16, choices=AssignmentSource.choices)
    rank = models.PositiveSmallIntegerField(_("志愿顺序"), null=True, blank=True)  # None: placed by the school
    waitlist_position = models.PositiveIntegerField(_("抽签序号"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope: ClassVar[ScopePath] = ScopePath(
        school="enrolment__school",
        school_class="enrolment__school_class",
        grade="enrolment__school_class__grade",
        student="enrolment__student",
        region_prefix="enrolment__school__",
    )

    class Meta:
        verbose_name = _("录取与候补")
        verbose_name_plural = _("录取与候补")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "offering"], name="afterschool_assignment_once"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlist_position__isnull=False),
                name="afterschool_waitlist_position",
            ),
        ]
        indexes = [
            models.Index(fields=["offering", "status", "waitlist_position"], name="afterschool_assignment_queue")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} → {self.offering_id} ({self.status})"


class AllocationRun(models.Model):
    """How a plan's oversubscribed offerings were allocated: method, published seed, who and when, the inputs
    (a snapshot, so anyone can re-run it) and the hashes of the inputs and of the result."""

    plan = models.OneToOneField(ServicePlan, models.PROTECT, related_name="allocation")
    method = models.CharField(_("方法"), max_length=32)
    seed = models.CharField(_("公开种子"), max_length=64)
    seed_source = models.CharField(_("随机种子来源"), max_length=200)
    inputs = models.JSONField(_("输入"))
    inputs_hash = models.CharField(_("输入哈希"), max_length=64)
    result_hash = models.CharField(_("结果哈希"), max_length=64)
    students = models.PositiveIntegerField(_("参与学生"))
    assigned = models.PositiveIntegerField(_("录取人次"))
    waitlisted = models.PositiveIntegerField(_("候补人次"))
    run_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    run_at = models.DateTimeField(_("时间"))

    scope: ClassVar[ScopePath] = ScopePath(school="plan__school", region_prefix="plan__school__")

    class Meta:
        verbose_name = _("分配记录")
        verbose_name_plural = _("分配记录")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.method} {self.seed}"


class EventKind(models.TextChoices):
    SIGNED_UP = "signed_up", _("报名（家长同意）")
    PREFERENCES_SET = "preferences_set", _("填报志愿")
    ALLOCATED = "allocated", _("分配录取")
    WAITLISTED = "waitlisted", _("进入候补")
    PLACED = "placed", _("学校调整录取")
    PROMOTED = "promoted", _("候补递补")
    RELEASED = "released", _("让出名额")
    COURSE_WITHDRAWN = "course_withdrawn", _("退出课程")
    SERVICE_WITHDRAWN = "service_withdrawn", _("退出课后服务")


class EnrolmentEvent(models.Model):
    """Who changed what in an enrolment, when: written in the same transaction as the change."""

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="events")
    offering = models.ForeignKey(Offering, models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("报名变更记录")
        verbose_name_plural = _("报名变更记录")
        indexes = [models.Index(fields=["enrolment", "at"], name="afterschool_event_at")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.kind}"


# Daily operation (issue 3, item 4): attendance per block, absences reported beforehand, sign-out at the end.

_CHILD_SCOPE = ScopePath(
    school="school",
    school_class="school_class",
    grade="school_class__grade",
    student="student",
    region_prefix="school__",
)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出勤")
    LATE = "late", _("迟到")
    ABSENT = "absent", _("缺勤")
    EXCUSED = "excused", _("请假")


class AbsenceReport(models.Model):
    """请假: a guardian tells the school beforehand that their child will miss the service from `start_date` to
    `end_date`; the teacher's roster shows the child as excused on those service days."""

    plan = models.ForeignKey(ServicePlan, models.PROTECT, related_name="absence_reports")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    reason = models.CharField(_("请假原因"), max_length=200)
    reported_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("报告人"))
    reported_at = models.DateTimeField(_("报告时间"))

    scope: ClassVar[ScopePath] = _CHILD_SCOPE

    class Meta:
        verbose_name = _("请假报告")
        verbose_name_plural = _("请假报告")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="afterschool_absence_range"),
        ]
        indexes = [models.Index(fields=["student", "start_date"], name="afterschool_absence_student")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.start_date}..{self.end_date}"


class AttendanceRecord(models.Model):
    """One student's attendance in one block on one service date. The roster is the class (homework guidance and
    care blocks) or an offering's seat holders (activities blocks); a re-submission updates the row."""

    # Every single-column foreign-key index is left out: the composite indexes below lead with those columns, and
    # each index more is 45 more insertions per roster taken (docs/PERFORMANCE.md, attendance).
    plan = models.ForeignKey(ServicePlan, models.PROTECT, related_name="+", db_index=False)
    school = models.ForeignKey(School, models.PROTECT, related_name="+", db_index=False)
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+", db_index=False)
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"), db_index=False)
    day = models.DateField(_("日期"))
    block_number = models.PositiveSmallIntegerField(_("时段"))
    offering = models.ForeignKey(Offering, models.PROTECT, null=True, blank=True, related_name="+", db_index=False)
    status = models.CharField(_("出勤情况"), max_length=16, choices=AttendanceStatus.choices)
    # Absence reports and users are never deleted by the platform: no index for their rare cascade look-ups.
    absence = models.ForeignKey(AbsenceReport, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False)
    marked_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("点名人"), db_index=False)
    marked_at = models.DateTimeField(_("点名时间"))

    scope: ClassVar[ScopePath] = _CHILD_SCOPE

    class Meta:
        verbose_name = _("考勤记录")
        verbose_name_plural = _("考勤记录")
        constraints = [
            models.UniqueConstraint(fields=["student", "day", "block_number"], name="afterschool_attendance_once"),
        ]
        indexes = [
            models.Index(fields=["school_class", "day"], name="afterschool_attendance_class"),
            models.Index(fields=["offering", "day"], name="afterschool_attendance_offer"),
            models.Index(fields=["plan", "day"], name="afterschool_attendance_plan"),
            models.Index(fields=["school", "day"], name="afterschool_attendance_school"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.day} #{self.block_number} {self.status}"


class LeaveAlonePermission(models.Model):
    """A guardian's recorded choice whether the child may leave on their own after the service (自行离校)."""

    student = models.OneToOneField(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+")
    allowed = models.BooleanField(_("同意自行离校"))
    set_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    set_at = models.DateTimeField(_("登记时间"))

    scope: ClassVar[ScopePath] = _CHILD_SCOPE

    class Meta:
        verbose_name = _("自行离校许可")
        verbose_name_plural = _("自行离校许可")

    def __str__(self) -> str:
        return f"{self.student_id} {self.allowed}"


class SignOut(models.Model):
    """放学签离: who took the child at the end of the service (an authorised guardian, or the child alone with the
    guardian's recorded permission), when, and how many minutes after the end of their block (late pick-up)."""

    plan = models.ForeignKey(ServicePlan, models.PROTECT, related_name="+")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, models.PROTECT, related_name="+", verbose_name=_("学生"))
    day = models.DateField(_("日期"))
    block_number = models.PositiveSmallIntegerField(_("时段"))
    guardian = models.ForeignKey(
        Guardian, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("接走的监护人")
    )
    leave_alone = models.BooleanField(_("自行离校"), default=False)
    signed_out_at = models.DateTimeField(_("签离时间"))
    minutes_late = models.PositiveIntegerField(_("晚接（分钟）"), default=0)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("登记人"))

    scope: ClassVar[ScopePath] = _CHILD_SCOPE

    class Meta:
        verbose_name = _("放学签离")
        verbose_name_plural = _("放学签离")
        constraints = [
            models.UniqueConstraint(fields=["student", "day"], name="afterschool_sign_out_once"),
            models.CheckConstraint(
                condition=Q(guardian__isnull=False, leave_alone=False) | Q(guardian__isnull=True, leave_alone=True),
                name="afterschool_sign_out_to_whom",
            ),
        ]
        indexes = [models.Index(fields=["school", "day"], name="afterschool_sign_out_school")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.day} {self.guardian_id or 'alone'}"


# Staffing, fees and the satisfaction survey (issue 3, items 5-7) live in their own modules; importing them here
# registers their models with the app.
from shuangjian.afterschool import models_fees, models_staffing, models_survey  # noqa: E402, F401
