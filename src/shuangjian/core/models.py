"""The school system: regions, schools, years and terms, classes, students, guardians, staff, roles."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.core.scope import ScopePath


class User(AbstractUser):
    """A person who signs in. What they may see comes from their RoleAssignments, never from flags here."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")


class Region(models.Model):
    """An administrative division with its GB/T 2260 six-digit code."""

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{6}$"), name="region_code_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Stage(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初级中学")
    NINE_YEAR = "nine_year", _("九年一贯制学校")
    COMPLETE_SECONDARY = "complete_secondary", _("完全中学")
    HIGH = "high", _("高级中学")
    SPECIAL = "special", _("特殊教育学校")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class SchoolGroup(models.Model):
    """集团化办学: a group of schools led by a core school."""

    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(Region, models.PROTECT, related_name="school_groups")

    class Meta:
        verbose_name = _("教育集团")
        verbose_name_plural = _("教育集团")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school. county/city/province are denormalised so a region filter is one indexed predicate."""

    code = models.CharField(_("学校标识码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    stage = models.CharField(_("学段"), max_length=24, choices=Stage.choices)
    ownership = models.CharField(_("办学性质"), max_length=8, choices=Ownership.choices)
    boarding = models.BooleanField(_("寄宿制"), default=False)
    school_group = models.ForeignKey(
        SchoolGroup, models.SET_NULL, null=True, blank=True, related_name="schools", verbose_name=_("教育集团")
    )
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("县/区"))
    city = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("市"))
    province = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("省"))

    scope: ClassVar[ScopePath] = ScopePath(school="pk", region_prefix="")

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{10}$"), name="school_code_ten_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    """A school year such as 2025-2026, starting in autumn."""

    start_year = models.PositiveSmallIntegerField(_("起始年份"), unique=True)

    class Meta:
        verbose_name = _("学年")
        verbose_name_plural = _("学年")
        ordering = ["start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


class Term(models.Model):
    """A term's dates. A region may set its own dates; the row with region=None is the default."""

    school_year = models.ForeignKey(SchoolYear, models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("学期"), choices=[(1, _("第一学期")), (2, _("第二学期"))])
    start_date = models.DateField(_("开学日期"))
    end_date = models.DateField(_("结束日期"))
    region = models.ForeignKey(Region, models.CASCADE, null=True, blank=True, related_name="terms")

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number", "region"], name="term_unique_per_region"),
            models.UniqueConstraint(
                fields=["school_year", "number"], condition=Q(region__isnull=True), name="term_unique_default"
            ),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.school_year} {self.get_number_display()}"


class DayOverrideKind(models.TextChoices):
    SCHOOL_DAY = "school_day", _("上课日")
    REST_DAY = "rest_day", _("休息日")


class CalendarOverride(models.Model):
    """A region's or school's own day: a snow day off, a local make-up day. Overrides the national calendar."""

    region = models.ForeignKey(Region, models.CASCADE, null=True, blank=True, related_name="calendar_overrides")
    school = models.ForeignKey(School, models.CASCADE, null=True, blank=True, related_name="calendar_overrides")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=DayOverrideKind.choices)
    reason = models.CharField(_("原因"), max_length=128)

    class Meta:
        verbose_name = _("校历调整")
        verbose_name_plural = _("校历调整")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, school__isnull=True) | Q(region__isnull=True, school__isnull=False),
                name="calendar_override_region_xor_school",
            ),
            models.UniqueConstraint(fields=["region", "date"], name="calendar_override_region_date"),
            models.UniqueConstraint(fields=["school", "date"], name="calendar_override_school_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class SchoolClass(models.Model):
    """A class (班级) in a grade of a school. Grades: -2..0 kindergarten 小/中/大班, 1..12 school grades."""

    school = models.ForeignKey(School, models.CASCADE, related_name="classes")
    grade = models.SmallIntegerField(_("年级"))
    number = models.PositiveSmallIntegerField(_("班号"))
    name = models.CharField(_("班级名称"), max_length=32)
    entry_year = models.PositiveSmallIntegerField(_("入学年份"))

    scope: ClassVar[ScopePath] = ScopePath(school="school", school_class="pk", grade="grade", region_prefix="school__")

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [
            models.UniqueConstraint(fields=["school", "entry_year", "number"], name="class_unique_in_school"),
            models.CheckConstraint(condition=Q(grade__gte=-2, grade__lte=12), name="class_grade_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在读")
    SUSPENDED = "suspended", _("休学")
    TRANSFERRED_OUT = "transferred_out", _("转出")
    GRADUATED = "graduated", _("毕业")
    DROPPED_OUT = "dropped_out", _("辍学")


class Student(models.Model):
    """A student. The resident ID number is stored only as hash, mask and ciphertext (core.protect)."""

    school = models.ForeignKey(School, models.PROTECT, related_name="students")
    school_class = models.ForeignKey(SchoolClass, models.PROTECT, related_name="students", verbose_name=_("班级"))
    student_number = models.CharField(_("学籍号"), max_length=19, unique=True)
    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    resident_id_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    resident_id_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    resident_id_cipher = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("学籍状态"), max_length=16, choices=StudentStatus.choices, default=StudentStatus.ENROLLED
    )

    scope: ClassVar[ScopePath] = ScopePath(
        school="school",
        school_class="school_class",
        grade="school_class__grade",
        student="pk",
        region_prefix="school__",
    )

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        indexes = [models.Index(fields=["school", "school_class"], name="student_school_class")]

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    """A parent or other guardian. The phone is stored only as hash, mask and ciphertext."""

    user = models.OneToOneField(User, models.SET_NULL, null=True, blank=True, related_name="guardian")
    name = models.CharField(_("姓名"), max_length=64)
    phone_digest = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=11, editable=False)
    phone_cipher = models.TextField(editable=False)

    class Meta:
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")

    def __str__(self) -> str:
        return self.name


class Relation(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    OTHER = "other", _("其他监护人")


class GuardianLink(models.Model):
    guardian = models.ForeignKey(Guardian, models.CASCADE, related_name="links")
    student = models.ForeignKey(Student, models.CASCADE, related_name="guardian_links")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    is_primary = models.BooleanField(_("主要监护人"), default=False)

    scope: ClassVar[ScopePath] = ScopePath(
        school="student__school",
        school_class="student__school_class",
        grade="student__school_class__grade",
        student="student",
        region_prefix="student__school__",
    )

    class Meta:
        verbose_name = _("监护关系")
        verbose_name_plural = _("监护关系")
        constraints = [models.UniqueConstraint(fields=["guardian", "student"], name="guardian_link_unique")]

    def __str__(self) -> str:
        return f"{self.guardian_id} → {self.student_id} ({self.relation})"


class Title(models.TextChoices):
    NONE = "none", _("未定级")
    SECOND = "second", _("二级教师")
    FIRST = "first", _("一级教师")
    SENIOR = "senior", _("高级教师")
    PROFESSOR = "professor", _("正高级教师")


class BackboneLevel(models.TextChoices):
    NONE = "none", _("无")
    SCHOOL = "school", _("校级骨干")
    COUNTY = "county", _("县级骨干")
    CITY = "city", _("市级骨干")
    PROVINCE = "province", _("省级骨干")


class Staff(models.Model):
    """A member of a school's staff (教职工), teaching or not."""

    user = models.OneToOneField(User, models.SET_NULL, null=True, blank=True, related_name="staff")
    school = models.ForeignKey(School, models.PROTECT, related_name="staff")
    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    subjects = models.JSONField(_("任教学科"), default=list, blank=True)
    title = models.CharField(_("职称"), max_length=16, choices=Title.choices, default=Title.NONE)
    backbone_level = models.CharField(_("骨干等级"), max_length=16, choices=BackboneLevel.choices, default="none")
    start_date = models.DateField(_("到校日期"))

    scope: ClassVar[ScopePath] = ScopePath(school="school", region_prefix="school__")

    class Meta:
        verbose_name = _("教职工")
        verbose_name_plural = _("教职工")

    def __str__(self) -> str:
        return self.name


class TeachingAssignment(models.Model):
    """Which teacher teaches which subject in which class (任课). Homework and attendance check against it."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="teaching_assignments")
    school = models.ForeignKey(School, models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, models.CASCADE, related_name="teaching_assignments")
    subject = models.CharField(_("学科"), max_length=32)

    scope: ClassVar[ScopePath] = ScopePath(
        school="school", school_class="school_class", grade="school_class__grade", region_prefix="school__"
    )

    class Meta:
        verbose_name = _("任课安排")
        verbose_name_plural = _("任课安排")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "subject", "staff"], name="teaching_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.school_class} · {self.subject}"


class Role(models.TextChoices):
    BUREAU = "bureau", _("教育局")
    INSPECTOR = "inspector", _("督查员")
    SCHOOL_LEADER = "school_leader", _("学校管理员")
    TEACHER = "teacher", _("教师")
    HEAD_TEACHER = "head_teacher", _("班主任")
    GRADE_COORDINATOR = "grade_coordinator", _("年级组长")
    COUNSELLOR = "counsellor", _("心理教师")
    GUARDIAN = "guardian", _("家长")
    STUDENT = "student", _("学生")
    INSTITUTION_OPERATOR = "institution_operator", _("培训机构")


class RoleAssignment(models.Model):
    """One role of one user with its scope. Which scope columns a role needs is in core.scope.ROLE_SCOPES."""

    user = models.ForeignKey(User, models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    region = models.ForeignKey(Region, models.CASCADE, null=True, blank=True, related_name="+")
    school = models.ForeignKey(School, models.CASCADE, null=True, blank=True, related_name="+")
    grade = models.SmallIntegerField(null=True, blank=True)
    school_class = models.ForeignKey(SchoolClass, models.CASCADE, null=True, blank=True, related_name="+")
    student = models.ForeignKey(Student, models.CASCADE, null=True, blank=True, related_name="+")
    institution_credit_code = models.CharField(max_length=18, blank=True)
    subjects = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["bureau", "inspector"], region__isnull=False, school__isnull=True)
                    | Q(role__in=["school_leader", "teacher", "counsellor"], school__isnull=False, grade__isnull=True)
                    | Q(role="grade_coordinator", school__isnull=False, grade__isnull=False)
                    | Q(role="head_teacher", school__isnull=False, school_class__isnull=False)
                    | Q(role="guardian", school__isnull=True, region__isnull=True)
                    | Q(role="student", school__isnull=False, student__isnull=False)
                    | (Q(role="institution_operator") & ~Q(institution_credit_code=""))
                ),
                name="role_assignment_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class APIToken(models.Model):
    """A bearer token for the API. Only its hash is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return self.name


class APITokenEventKind(models.TextChoices):
    CREATED = "created", _("创建")
    REVOKED = "revoked", _("撤销")


class APITokenEvent(models.Model):
    """A token created or revoked, kept after the token is gone: who held which token (by id and name) and when.
    Never the token or its digest."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    token_id = models.BigIntegerField()
    token_name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("操作"), max_length=16, choices=APITokenEventKind.choices)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("API 令牌记录")
        verbose_name_plural = _("API 令牌记录")
        indexes = [models.Index(fields=["user", "at"], name="core_token_event_user_at")]

    def __str__(self) -> str:
        return f"{self.token_name} {self.kind}"


class SensitiveReadLog(models.Model):
    """Who read which sensitive record, when (unmasked IDs, welfare and mental-health records)."""

    user = models.ForeignKey(User, models.PROTECT, related_name="+")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("敏感信息访问记录")
        verbose_name_plural = _("敏感信息访问记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
