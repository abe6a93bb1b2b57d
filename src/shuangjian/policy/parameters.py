"""The catalogue of enforceable policy parameters (POLICY.md). Pure data and parsing: no Django.

Every number the software enforces is a `Parameter` here and gets its value from a policy profile
(national default in `policy/data/national.json`, tightened by province, city and county profiles).
A parameter knows its unit, which direction is "tighter", the POLICY.md rule it comes from and that
rule's status. Parameters without a national value (H4, A2, the [LOCAL] and UNVERIFIED items) have no
default: a region sets them, or no limit applies.
"""

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks a label for `makemessages`; it is translated where it is shown (API, admin, commands)."""
    return message


class Unit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    CLASS_HOURS = "class_hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"
    COUNT = "count"
    PERCENT = "percent"
    FEN = "fen"  # money is integer fen (1 yuan = 100 fen)
    SQUARE_METRES = "square_metres"
    TIME = "time"  # wall-clock "HH:MM", Asia/Shanghai
    MONTH_DAY = "month_day"  # "MM-DD"
    BOOLEAN = "boolean"
    COUNT_LIST = "count_list"  # strictly increasing positive integers, e.g. class-size tier bounds


INTEGER_UNITS = frozenset(
    {
        Unit.MINUTES,
        Unit.HOURS,
        Unit.CLASS_HOURS,
        Unit.DAYS,
        Unit.WORKING_DAYS,
        Unit.MONTHS,
        Unit.YEARS,
        Unit.COUNT,
        Unit.PERCENT,
        Unit.FEN,
        Unit.SQUARE_METRES,
    }
)
ORDERED_UNITS = INTEGER_UNITS | {Unit.TIME, Unit.BOOLEAN}


class Direction(StrEnum):
    """What "tighter" means, so that a local profile can only tighten."""

    MAX = "max"  # a ceiling: a smaller value is tighter (a homework cap, a latest end time, an "allowed" flag)
    MIN = "min"  # a floor: a larger value is tighter (minimum service hours, an earliest allowed end time)
    EXACT = "exact"  # fixed nationally (a pricing unit): a local profile may restate it, never change it
    NONE = "none"  # not orderable: a local profile may set any valid value


class Status(StrEnum):
    """POLICY.md status of the rule behind a parameter."""

    VERIFIED = "V"
    VERIFIED_SECONDARY = "V-sec"
    LOCAL = "LOCAL"
    UNVERIFIED = "UNVERIFIED"


class Enforcement(StrEnum):
    HARD = "hard"  # 严禁 / 不得 / a plain requirement: refuse
    WARNING = "warning"  # 原则上 / 一般: warn; a named role may override with a recorded reason


class GradeBand(StrEnum):
    """The grade bands of the homework and curriculum rules (grades 1-2, 3-6, 7-9)."""

    G1_2 = "g1_2"
    G3_6 = "g3_6"
    G7_9 = "g7_9"


class StudentStage(StrEnum):
    """A student's stage. Values match core.models.Stage for single-stage schools."""

    PRIMARY = "primary"
    JUNIOR = "junior"
    HIGH = "high"


def grade_band(grade: int) -> GradeBand | None:
    """The band of a compulsory-education grade (the 6-3 system); None outside grades 1-9."""
    if 1 <= grade <= 2:
        return GradeBand.G1_2
    if 3 <= grade <= 6:
        return GradeBand.G3_6
    if 7 <= grade <= 9:
        return GradeBand.G7_9
    return None


def stage_of_grade(grade: int) -> StudentStage | None:
    """The stage of a school grade (the 6-3-3 system); None for kindergarten grades."""
    if 1 <= grade <= 6:
        return StudentStage.PRIMARY
    if 7 <= grade <= 9:
        return StudentStage.JUNIOR
    if 10 <= grade <= 12:
        return StudentStage.HIGH
    return None


@dataclass(frozen=True, slots=True)
class Parameter:
    key: str
    unit: Unit
    direction: Direction
    rule: str  # POLICY.md rule id(s), e.g. "H2" or "T7/T8"
    status: Status
    label: str  # Simplified Chinese source string, translated where shown
    enforcement: Enforcement = Enforcement.HARD


Value = int | bool | time | str | tuple[int, ...]

_V = Status.VERIFIED
_VS = Status.VERIFIED_SECONDARY
_L = Status.LOCAL
_U = Status.UNVERIFIED
_MAX = Direction.MAX
_MIN = Direction.MIN
_WARN = Enforcement.WARNING


def _p(
    key: str,
    unit: Unit,
    direction: Direction,
    rule: str,
    status: Status,
    label: str,
    enforcement: Enforcement = Enforcement.HARD,
) -> Parameter:
    return Parameter(key, unit, direction, rule, status, label, enforcement)


# fmt: off
PARAMETERS: tuple[Parameter, ...] = (
    # 1. Homework (H1-H4). H2/H3 bound the average daily completion time of written homework.
    _p("homework.written_daily_max_minutes.g1_2", Unit.MINUTES, _MAX, "H1", _V,
       gettext_noop("一、二年级每日书面家庭作业时长上限")),
    _p("homework.written_daily_max_minutes.g3_6", Unit.MINUTES, _MAX, "H2", _V,
       gettext_noop("三至六年级每日书面作业平均完成时间上限")),
    _p("homework.written_daily_max_minutes.g7_9", Unit.MINUTES, _MAX, "H3", _V,
       gettext_noop("初中每日书面作业平均完成时间上限")),
    _p("homework.written_weekend_max_minutes.g1_2", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("一、二年级休息日书面作业时长上限")),
    _p("homework.written_weekend_max_minutes.g3_6", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("三至六年级休息日书面作业时长上限")),
    _p("homework.written_weekend_max_minutes.g7_9", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("初中休息日书面作业时长上限")),
    _p("homework.written_holiday_max_minutes.g1_2", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("一、二年级法定节假日每日书面作业时长上限")),
    _p("homework.written_holiday_max_minutes.g3_6", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("三至六年级法定节假日每日书面作业时长上限")),
    _p("homework.written_holiday_max_minutes.g7_9", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("初中法定节假日每日书面作业时长上限")),
    _p("homework.written_vacation_max_minutes.g1_2", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("一、二年级寒暑假每日书面作业时长上限")),
    _p("homework.written_vacation_max_minutes.g3_6", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("三至六年级寒暑假每日书面作业时长上限")),
    _p("homework.written_vacation_max_minutes.g7_9", Unit.MINUTES, _MAX, "H4", _L,
       gettext_noop("初中寒暑假每日书面作业时长上限")),
    _p("homework.complaint_response_days", Unit.DAYS, _MAX, "H10", _L,
       gettext_noop("家长作业负担投诉学校答复时限（超时转教育局）")),
    _p("homework.repeatedly_over_min_days", Unit.DAYS, _MAX, "H2", _L,
       gettext_noop("反复超时：一段时间内超过作业上限的天数达到此值即列入关注")),
    # Privacy (DESIGN.md; PIPL Arts. 28, 31): aggregates over fewer people than this are suppressed.
    _p("privacy.min_cell_size", Unit.COUNT, _MIN, "M6", _V,
       gettext_noop("统计结果最小单元人数（少于此数不显示）")),
    # Sleep (SL1-SL3).
    _p("sleep.min_hours.primary", Unit.HOURS, _MIN, "SL1", _V, gettext_noop("小学生每日睡眠时间下限"), _WARN),
    _p("sleep.min_hours.junior", Unit.HOURS, _MIN, "SL1", _V, gettext_noop("初中生每日睡眠时间下限"), _WARN),
    _p("sleep.min_hours.high", Unit.HOURS, _MIN, "SL1", _V, gettext_noop("高中生每日睡眠时间下限"), _WARN),
    _p("sleep.latest_bedtime.primary", Unit.TIME, _MAX, "SL3", _V, gettext_noop("小学生就寝时间一般不晚于"), _WARN),
    _p("sleep.latest_bedtime.junior", Unit.TIME, _MAX, "SL3", _V, gettext_noop("初中生就寝时间一般不晚于"), _WARN),
    _p("sleep.latest_bedtime.high", Unit.TIME, _MAX, "SL3", _V, gettext_noop("高中生就寝时间一般不晚于"), _WARN),
    _p("school_day.earliest_start.primary", Unit.TIME, _MIN, "SL2", _V,
       gettext_noop("小学上午第一节课开始时间一般不早于"), _WARN),
    _p("school_day.earliest_start.junior", Unit.TIME, _MIN, "SL2", _V,
       gettext_noop("初中上午第一节课开始时间一般不早于"), _WARN),
    _p("school_day.earliest_start.high", Unit.TIME, _MIN, "SL2", _V,
       gettext_noop("高中上午第一节课开始时间一般不早于"), _WARN),
    # Physical activity (Q5).
    _p("school_day.physical_activity_min_minutes", Unit.MINUTES, _MIN, "Q5", _VS,
       gettext_noop("每天综合体育活动时间下限"), _WARN),
    _p("school_day.recess_min_minutes", Unit.MINUTES, _MIN, "Q5", _VS, gettext_noop("课间休息时长下限"), _WARN),
    _p("school_day.big_break_min_minutes", Unit.MINUTES, _MIN, "Q5", _VS, gettext_noop("大课间活动时长下限"), _WARN),
    # 2. After-school service (A1, A2, A4, A11).
    _p("afterschool.days_per_week", Unit.COUNT, _MIN, "A1", _VS, gettext_noop("课后服务每周开展天数下限")),
    _p("afterschool.min_minutes_per_day", Unit.MINUTES, _MIN, "A1", _VS, gettext_noop("课后服务每天时长下限")),
    _p("afterschool.earliest_end", Unit.TIME, _MIN, "A2", _V,
       gettext_noop("课后服务结束时间原则上不早于（当地正常下班时间）"), _WARN),
    _p("afterschool.evening_study_max_minutes.junior", Unit.MINUTES, _MAX, "A4", _L,
       gettext_noop("初中晚自习时长上限")),
    _p("afterschool.evening_study_latest_end.junior", Unit.TIME, _MAX, "A4", _L,
       gettext_noop("初中晚自习结束时间不晚于")),
    _p("afterschool.fee_max_fen_per_class_hour", Unit.FEN, _MAX, "A11", _L,
       gettext_noop("课后服务收费每生每课时上限")),
    _p("afterschool.teacher_pay_min_fen_per_class_hour", Unit.FEN, _MIN, "A11", _L,
       gettext_noop("课后服务教师每课时补助下限")),
    _p("afterschool.fee_max_fen_per_term", Unit.FEN, _MAX, "A11", _L,
       gettext_noop("课后服务收费每生每学期上限")),
    _p("afterschool.flexible_start_minutes_per_service_day", Unit.MINUTES, _MIN, "A9", _L,
       gettext_noop("教师每参与一天课后服务可推迟上班的分钟数（弹性上下班）")),
    # 3. Exams (E1-E6, E10).
    _p("exams.written_exams_per_term_max.g1_2", Unit.COUNT, _MAX, "E1", _V,
       gettext_noop("一、二年级每学期纸笔考试次数上限")),
    _p("exams.final_exams_per_term_max", Unit.COUNT, _MAX, "E2", _V, gettext_noop("每学期期末考试次数上限")),
    _p("exams.midterm_exams_per_term_max.primary", Unit.COUNT, _MAX, "E2", _V,
       gettext_noop("小学每学期期中考试次数上限")),
    _p("exams.midterm_exams_per_term_max.junior", Unit.COUNT, _MAX, "E3", _V,
       gettext_noop("初中每学期期中考试次数上限")),
    _p("exams.mock_exams_max.g9", Unit.COUNT, _MAX, "E5", _V, gettext_noop("初三模拟考试次数上限")),
    _p("exams.level_count_min", Unit.COUNT, _MIN, "E6", _V, gettext_noop("成绩等级数下限"), _WARN),
    _p("exams.level_count_max", Unit.COUNT, _MAX, "E6", _V, gettext_noop("成绩等级数上限"), _WARN),
    _p("exams.written_exam_max_minutes.g3_4", Unit.MINUTES, _MAX, "E10", _L,
       gettext_noop("三、四年级书面考试时长上限")),
    _p("exams.written_exam_max_minutes.g5_6", Unit.MINUTES, _MAX, "E10", _L,
       gettext_noop("五、六年级书面考试时长上限")),
    _p("exams.written_exam_max_minutes.junior", Unit.MINUTES, _MAX, "E10", _L,
       gettext_noop("初中书面考试时长上限")),
    # 4. Off-campus training (T5-T8, T10, P1-P3).
    _p("training.academic_on_rest_days_allowed", Unit.BOOLEAN, _MAX, "T5", _V,
       gettext_noop("学科类培训可在法定节假日、休息日及寒暑假开展")),
    _p("training.online_lesson_max_minutes", Unit.MINUTES, _MAX, "T6", _V, gettext_noop("线上培训每课时时长上限")),
    _p("training.online_break_min_minutes", Unit.MINUTES, _MIN, "T6", _V, gettext_noop("线上培训课程间隔下限")),
    _p("training.online_latest_end", Unit.TIME, _MAX, "T6/T8", _V, gettext_noop("线上培训结束时间不晚于")),
    _p("training.offline_latest_end", Unit.TIME, _MAX, "T7/T8", _V, gettext_noop("线下培训结束时间不晚于")),
    _p("training.offline_min_square_metres_per_student", Unit.SQUARE_METRES, _MIN, "T10", _VS,
       gettext_noop("线下培训同一时段生均面积下限")),
    _p("training.price_float_up_max_percent", Unit.PERCENT, _MAX, "P1", _V,
       gettext_noop("学科类培训收费上浮幅度上限")),
    _p("training.standard_lesson_minutes.online", Unit.MINUTES, Direction.EXACT, "P2", _V,
       gettext_noop("线上培训计价标准课时时长")),
    _p("training.standard_lesson_minutes.offline", Unit.MINUTES, Direction.EXACT, "P2", _V,
       gettext_noop("线下培训计价标准课时时长")),
    _p("training.class_size_tier_upper_bounds", Unit.COUNT_LIST, Direction.NONE, "P3", _V,
       gettext_noop("培训班型人数分档（各档人数上限，最后一档不设上限）")),
    # Field inspections and orders to rectify (issue 4, item 5; S16).
    _p("inspection.min_inspectors", Unit.COUNT, _MIN, "S16", _L, gettext_noop("现场检查人员人数下限")),
    _p("inspection.rectify_max_days", Unit.DAYS, _MAX, "S16", _L, gettext_noop("责令整改期限最长天数")),
    # Complaints about training (issue 4, item 4; S15 "respond to complaints"): deadlines are set locally.
    _p("complaints.triage_max_working_days", Unit.WORKING_DAYS, _MAX, "S15", _L,
       gettext_noop("校外培训投诉受理后分类分派最长工作日")),
    _p("complaints.resolve_max_working_days", Unit.WORKING_DAYS, _MAX, "S15", _L,
       gettext_noop("校外培训投诉受理后办结最长工作日")),
    # Prepaid fees and escrow (F4-F8, F10).
    _p("prepaid.max_months.academic", Unit.MONTHS, _MAX, "F4", _VS, gettext_noop("学科类预收费单次最长时间跨度")),
    _p("prepaid.max_months.non_academic", Unit.MONTHS, _MAX, "F4", _V,
       gettext_noop("非学科类预收费单次最长时间跨度")),
    _p("prepaid.max_class_hours.academic", Unit.CLASS_HOURS, _MAX, "F4", _VS,
       gettext_noop("学科类预收费单次最多课时")),
    _p("prepaid.max_class_hours.non_academic", Unit.CLASS_HOURS, _MAX, "F4", _V,
       gettext_noop("非学科类预收费单次最多课时")),
    _p("prepaid.max_amount_fen.academic", Unit.FEN, _MAX, "F5", _U, gettext_noop("学科类预收费单次金额上限")),
    _p("prepaid.max_amount_fen.non_academic", Unit.FEN, _MAX, "F5", _VS,
       gettext_noop("非学科类预收费单次金额上限")),
    _p("prepaid.earliest_charge_months_before_start", Unit.MONTHS, _MAX, "F6", _L,
       gettext_noop("新课程开课前最早提前收费月数")),
    _p("prepaid.top_up_remaining_class_hours_max", Unit.CLASS_HOURS, _MAX, "F6", _L,
       gettext_noop("按课时收费时剩余课时不超过该数方可续费")),
    _p("escrow.risk_margin_min_fen", Unit.FEN, _MIN, "F7", _L, gettext_noop("风险保证金最低额度")),
    _p("escrow.settlement_max_days", Unit.DAYS, _MAX, "F8", _L, gettext_noop("消课确认后资金划拨最长天数")),
    _p("escrow.auto_confirm_days", Unit.DAYS, _MIN, "F8", _L,
       gettext_noop("家长未确认也未提出异议的课消，自动确认前的天数")),
    _p("refund.before_start_max_working_days", Unit.WORKING_DAYS, _MAX, "F10", _L,
       gettext_noop("开课前退费办结最长工作日")),
    _p("refund.after_start_max_working_days", Unit.WORKING_DAYS, _MAX, "F10", _L,
       gettext_noop("开课后退费办结最长工作日")),
    # Early warning of training institutions (issue 4, item 6; docs/EARLY_WARNING.md): all set locally.
    _p("warning.window_days", Unit.DAYS, Direction.NONE, "F7", _L, gettext_noop("风险预警：投诉、退费统计窗口天数")),
    _p("warning.complaints_min", Unit.COUNT, _MAX, "F7", _L, gettext_noop("风险预警：窗口内投诉达到该数计分")),
    _p("warning.refunds_min", Unit.COUNT, _MAX, "F7", _L, gettext_noop("风险预警：窗口内退费达到该笔数计分")),
    _p("warning.shortfall_min_percent", Unit.PERCENT, _MAX, "F7", _L,
       gettext_noop("风险预警：监管资金缺口占未消课预收费比例达到该值计分")),
    _p("warning.schedule_violations_min", Unit.COUNT, _MAX, "T5/T7", _L,
       gettext_noop("风险预警：违规排课次数达到该数计分")),
    _p("warning.price_cut_min_percent", Unit.PERCENT, _MAX, "P1", _L,
       gettext_noop("风险预警：新开课程较此前课程降价幅度达到该值计分")),
    _p("warning.watch_min_score", Unit.COUNT, _MAX, "F7", _L, gettext_noop("风险预警：关注等级最低分")),
    _p("warning.yellow_min_score", Unit.COUNT, _MAX, "F7", _L, gettext_noop("风险预警：黄色预警最低分")),
    _p("warning.red_min_score", Unit.COUNT, _MAX, "F7", _L, gettext_noop("风险预警：红色预警最低分")),
    _p("warning.appeal_days", Unit.DAYS, Direction.NONE, "F7", _L, gettext_noop("风险预警：机构申诉期限（天）")),
    # 5. Enrollment (EN2, EN8, EN9, EN11).
    _p("enrollment.entry_age_years", Unit.YEARS, Direction.EXACT, "EN2", _V, gettext_noop("小学入学年龄（周岁）")),
    _p("enrollment.age_cutoff", Unit.MONTH_DAY, Direction.NONE, "EN2", _L, gettext_noop("入学年龄计算截止日期")),
    _p("enrollment.nearby_admission_min_percent.primary", Unit.PERCENT, _MIN, "EN9", _V,
       gettext_noop("城区和镇区公办小学就近划片入学比例下限"), _WARN),
    _p("enrollment.nearby_admission_min_percent.junior", Unit.PERCENT, _MIN, "EN9", _V,
       gettext_noop("城区和镇区公办初中就近划片入学比例下限"), _WARN),
    _p("enrollment.quota_seats_min_percent", Unit.PERCENT, _MIN, "EN11", _V,
       gettext_noop("优质普通高中招生名额分配到初中比例下限")),
    _p("enrollment.migrant_public_min_percent", Unit.PERCENT, _MIN, "EN8", _VS,
       gettext_noop("随迁子女在公办学校和政府购买学位就读比例下限"), _WARN),
    # 6. Teacher rotation (R1, R2).
    _p("rotation.min_share_percent", Unit.PERCENT, _MIN, "R1", _V,
       gettext_noop("每年交流轮岗教师占符合条件教师比例下限")),
    _p("rotation.backbone_min_share_percent", Unit.PERCENT, _MIN, "R1", _V,
       gettext_noop("交流轮岗教师中骨干教师比例下限")),
    _p("rotation.principal_terms_before_rotation", Unit.COUNT, _MAX, "R2", _VS,
       gettext_noop("校长在同一学校连续任职届数达到该数应交流")),
    _p("rotation.teacher_eligible_after_years", Unit.YEARS, _MAX, "R2", _L,
       gettext_noop("教师在同一学校任教满该年限应交流")),
    # 7. Student status (X4) and dropout control (D6).
    _p("student_status.file_creation_max_days", Unit.DAYS, _MAX, "X4", _L, gettext_noop("新生入学后建立学籍最长天数")),
    _p("student_status.transfer_max_working_days", Unit.WORKING_DAYS, _MAX, "X4", _L,
       gettext_noop("转学学籍办理最长工作日")),
    _p("dropout.suspected_after_absent_days", Unit.DAYS, _MAX, "D6", _L,
       gettext_noop("无正当理由缺课超过该天数视为疑似辍学")),
    _p("dropout.confirmed_after_suspected_days", Unit.DAYS, _MAX, "D6", _L,
       gettext_noop("疑似辍学超过该天数未返校视为辍学")),
    # 10. School conditions and curriculum (Q3, Q4).
    _p("school.class_size_max.primary", Unit.COUNT, _MAX, "Q3", _VS, gettext_noop("小学班额上限"), _WARN),
    _p("school.class_size_max.junior", Unit.COUNT, _MAX, "Q3", _VS, gettext_noop("初中班额上限"), _WARN),
    _p("school.enrolment_max.standard", Unit.COUNT, _MAX, "Q3", _VS, gettext_noop("学校规模上限（在校生数）"), _WARN),
    _p("school.enrolment_max.nine_or_twelve_year", Unit.COUNT, _MAX, "Q3", _VS,
       gettext_noop("九年一贯制、十二年一贯制学校义务教育阶段规模上限"), _WARN),
    _p("curriculum.period_minutes.primary", Unit.MINUTES, Direction.EXACT, "Q4", _VS,
       gettext_noop("小学每课时时长")),
    _p("curriculum.period_minutes.junior", Unit.MINUTES, Direction.EXACT, "Q4", _VS,
       gettext_noop("初中每课时时长")),
    _p("curriculum.weekly_periods.g1_2", Unit.COUNT, Direction.EXACT, "Q4", _VS,
       gettext_noop("一、二年级周课时数")),
    _p("curriculum.weekly_periods.g3_6", Unit.COUNT, Direction.EXACT, "Q4", _VS,
       gettext_noop("三至六年级周课时数")),
    _p("curriculum.weekly_periods.g7_9", Unit.COUNT, Direction.EXACT, "Q4", _VS, gettext_noop("初中周课时数")),
    # 11. Mental health and safety (M1, M7).
    _p("mental_health.psychology_teachers_min_per_school", Unit.COUNT, _MIN, "M1", _VS,
       gettext_noop("每所学校专（兼）职心理健康教育教师人数下限")),
    _p("safety.incident_first_report_max_hours", Unit.HOURS, _MAX, "M7", _L,
       gettext_noop("安全事件首报时限（小时）")),
    _p("safety.incident_written_report_max_hours", Unit.HOURS, _MAX, "M7", _L,
       gettext_noop("安全事件书面报告时限（小时）")),
)
# fmt: on

BY_KEY: Mapping[str, Parameter] = {p.key: p for p in PARAMETERS}

# Pairs (low, high) whose merged values must satisfy low <= high.
ORDERED_PAIRS: tuple[tuple[str, str], ...] = (("exams.level_count_min", "exams.level_count_max"),)


def get(key: str) -> Parameter | None:
    return BY_KEY.get(key)


@dataclass(frozen=True, slots=True)
class Invalid:
    """Why a raw value is not valid for its parameter (a short English reason for details)."""

    reason: str


_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_MONTH_DAY_RE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_value(parameter: Parameter, raw: object) -> Value | Invalid:
    """The typed value of `raw` (as found in JSON) for `parameter`, or why it is invalid."""
    unit = parameter.unit
    if unit in INTEGER_UNITS:
        if isinstance(raw, bool) or not isinstance(raw, int):
            return Invalid("expected a whole number")
        if raw < 0:
            return Invalid("expected a number >= 0")
        if unit is Unit.PERCENT and raw > 100:
            return Invalid("expected a percentage between 0 and 100")
        if unit is Unit.MINUTES and raw > 24 * 60:
            return Invalid("expected at most one day of minutes")
        return raw
    if unit is Unit.BOOLEAN:
        return raw if isinstance(raw, bool) else Invalid("expected true or false")
    if unit is Unit.TIME:
        match = _TIME_RE.match(raw) if isinstance(raw, str) else None
        if match is None:
            return Invalid("expected a time HH:MM")
        return time(int(match.group(1)), int(match.group(2)))
    if unit is Unit.MONTH_DAY:
        match = _MONTH_DAY_RE.match(raw) if isinstance(raw, str) else None
        if match is None or int(match.group(2)) > _DAYS_IN_MONTH[int(match.group(1)) - 1]:
            return Invalid("expected a date MM-DD")
        return str(raw)
    # Unit.COUNT_LIST
    if not isinstance(raw, list | tuple) or not raw:
        return Invalid("expected a non-empty list of whole numbers")
    if any(isinstance(item, bool) or not isinstance(item, int) or item <= 0 for item in raw):
        return Invalid("expected positive whole numbers")
    items = tuple(int(item) for item in raw)
    if any(a >= b for a, b in itertools.pairwise(items)):
        return Invalid("expected strictly increasing numbers")
    return items


def encode_value(value: Value) -> int | bool | str | list[int]:
    """The JSON form of a typed value (times as "HH:MM", lists as lists)."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True, slots=True)
class ParsedValues:
    values: dict[str, Value] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    invalid: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.unknown and not self.invalid


def parse_values(raw: Mapping[str, object]) -> ParsedValues:
    """Parse a key -> raw value mapping: typed values, unknown keys, and invalid keys with their reason."""
    values: dict[str, Value] = {}
    unknown: list[str] = []
    invalid: dict[str, str] = {}
    for key in sorted(raw):
        parameter = BY_KEY.get(key)
        if parameter is None:
            unknown.append(key)
            continue
        parsed = parse_value(parameter, raw[key])
        if isinstance(parsed, Invalid):
            invalid[key] = parsed.reason
        else:
            values[key] = parsed
    return ParsedValues(values, tuple(unknown), invalid)
