"""After-school error codes and their messages (a school leader or a parent must understand each one)."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core.errors import DomainError


class AfterschoolError(StrEnum):
    # Plans (A1, A2) and their dates
    TOO_FEW_DAYS = "afterschool.too_few_days"
    TOO_SHORT = "afterschool.too_short"
    ENDS_TOO_EARLY = "afterschool.ends_too_early"
    SLOT_ON_HOLIDAY = "afterschool.slot_on_holiday"
    BAD_WEEKDAY = "afterschool.bad_weekday"
    NO_BLOCKS = "afterschool.no_blocks"
    BAD_BLOCK_NUMBERS = "afterschool.bad_block_numbers"
    BAD_BLOCK_TIMES = "afterschool.bad_block_times"
    BLOCKS_OVERLAP = "afterschool.blocks_overlap"
    BAD_WINDOW = "afterschool.bad_window"
    BAD_LIMIT = "afterschool.bad_limit"
    PLAN_EXISTS = "afterschool.plan_exists"
    UNKNOWN_TERM = "afterschool.unknown_term"
    PLAN_IN_USE = "afterschool.plan_in_use"
    OUTSIDE_TERM = "afterschool.outside_term"
    NOT_A_SERVICE_DAY = "afterschool.not_a_service_day"
    BAD_RANGE = "afterschool.bad_range"
    INVALID_CHOICE = "afterschool.invalid_choice"
    TEXT_REQUIRED = "afterschool.text_required"
    # The menu and offerings
    CATEGORY_EXISTS = "afterschool.category_exists"
    BAD_GRADES = "afterschool.bad_grades"
    BAD_CAPACITY = "afterschool.bad_capacity"
    BAD_WEEKLY_SLOTS = "afterschool.bad_weekly_slots"
    BAD_FEE = "afterschool.bad_fee"
    CREDIT_CODE_REQUIRED = "afterschool.credit_code_required"
    PROVIDER_NOT_APPROVED = "afterschool.provider_not_approved"
    DUPLICATE_SLOT = "afterschool.duplicate_slot"
    SLOT_COUNT = "afterschool.slot_count"
    NOT_AN_ACTIVITY_BLOCK = "afterschool.not_an_activity_block"
    # Enrolment, choices and seats (A5)
    CONSENT_REQUIRED = "afterschool.consent_required"
    NOT_THIS_SCHOOL = "afterschool.not_this_school"
    ALREADY_ENROLLED = "afterschool.already_enrolled"
    TERM_OVER = "afterschool.term_over"
    WINDOW_CLOSED = "afterschool.window_closed"
    WINDOW_OPEN = "afterschool.window_open"
    DUPLICATE_PREFERENCE = "afterschool.duplicate_preference"
    TOO_MANY_PREFERENCES = "afterschool.too_many_preferences"
    GRADE_NOT_ELIGIBLE = "afterschool.grade_not_eligible"
    NOT_ENROLLED = "afterschool.not_enrolled"
    OFFERING_FULL = "afterschool.offering_full"
    SLOT_CLASH = "afterschool.slot_clash"
    TOO_MANY_COURSES = "afterschool.too_many_courses"
    ALREADY_ASSIGNED = "afterschool.already_assigned"
    NOT_ACTIVE = "afterschool.not_active"
    # Allocation
    BAD_SEED = "afterschool.bad_seed"
    SEED_SOURCE_REQUIRED = "afterschool.seed_source_required"
    SEED_SOURCE_FROZEN = "afterschool.seed_source_frozen"
    ALREADY_ALLOCATED = "afterschool.already_allocated"
    NOT_ALLOCATED = "afterschool.not_allocated"
    # Daily operation: attendance, absences, sign-out
    NO_PLAN_ON_DAY = "afterschool.no_plan_on_day"
    NO_SERVICE = "afterschool.no_service"
    SERVICE_CANCELLED = "afterschool.service_cancelled"
    NO_SUCH_BLOCK = "afterschool.no_such_block"
    BLOCK_IS_ACTIVITIES = "afterschool.block_is_activities"
    NO_SESSION = "afterschool.no_session"
    ATTENDANCE_IN_FUTURE = "afterschool.attendance_in_future"
    NOT_ON_ROSTER = "afterschool.not_on_roster"
    ROSTER_INCOMPLETE = "afterschool.roster_incomplete"
    DUPLICATE_MARK = "afterschool.duplicate_mark"
    ABSENCE_RANGE = "afterschool.absence_range"
    ABSENCE_IN_PAST = "afterschool.absence_in_past"
    NOT_SIGNED_UP = "afterschool.not_signed_up"
    SIGN_OUT_WHO = "afterschool.sign_out_who"
    NOT_A_GUARDIAN = "afterschool.not_a_guardian"
    LEAVE_ALONE_NOT_ALLOWED = "afterschool.leave_alone_not_allowed"
    SIGN_OUT_TIME = "afterschool.sign_out_time"
    # Staffing, fees, the satisfaction survey (issue 3, items 5-7)
    DUTY_WHO = "afterschool.duty_who"
    NOT_SCHOOL_STAFF = "afterschool.not_school_staff"
    DOUBLE_BOOKED = "afterschool.double_booked"
    DUTY_CLASS = "afterschool.duty_class"
    DUTY_OFFERING = "afterschool.duty_offering"
    FEE_OVER_LIMIT = "afterschool.fee_over_limit"
    SERVICE_FREE = "afterschool.service_free"
    NO_FEE = "afterschool.no_fee"
    BAD_WAIVER_AMOUNT = "afterschool.bad_waiver_amount"
    WAIVER_EXISTS = "afterschool.waiver_exists"
    BAD_SCORES = "afterschool.bad_scores"
    ALREADY_ANSWERED = "afterschool.already_answered"
    SURVEY_CLOSED = "afterschool.survey_closed"
    ABSENCE_OVER = "afterschool.absence_over"
    AMOUNT_FORMAT = "afterschool.amount_format"


MESSAGES: dict[str, Promise] = {
    AfterschoolError.TOO_FEW_DAYS: _("课后服务每周只安排了 %(days)s 天，不少于 %(min)s 天（“5+2”）。"),
    AfterschoolError.TOO_SHORT: _("每天课后服务时长为 %(minutes)s 分钟，不少于 %(min)s 分钟。"),
    AfterschoolError.ENDS_TOO_EARLY: _(
        "课后服务 %(end)s 结束，早于当地正常下班时间 %(earliest)s。"
        "原则上不得早于该时间；确有需要，请由学校管理员填写理由。"
    ),
    AfterschoolError.SLOT_ON_HOLIDAY: _("%(date)s 不是上课日（%(day_kind_label)s），不能安排课后服务。"),
    AfterschoolError.BAD_WEEKDAY: _("服务日“%(weekday)s”不正确：只能是周一到周五（1 到 5），且不能重复。"),
    AfterschoolError.NO_BLOCKS: _("请至少安排一个服务时段。"),
    AfterschoolError.BAD_BLOCK_NUMBERS: _("服务时段应从 1 开始依次编号（共 %(count)s 个）。"),
    AfterschoolError.BAD_BLOCK_TIMES: _("第 %(block)s 时段的结束时间应晚于开始时间。"),
    AfterschoolError.BLOCKS_OVERLAP: _("第 %(block)s 时段与前一时段时间重叠。"),
    AfterschoolError.BAD_WINDOW: _("报名选课的截止时间应晚于开始时间。"),
    AfterschoolError.BAD_LIMIT: _("志愿数和每生课程数都至少为 1。"),
    AfterschoolError.PLAN_EXISTS: _("该校本学期已有课后服务方案，请修改原方案。"),
    AfterschoolError.UNKNOWN_TERM: _("没有找到 %(year)s 学年第 %(number)s 学期的校历。"),
    AfterschoolError.PLAN_IN_USE: _("周%(weekday)s第 %(block)s 时段已开设课程，不能取消该服务日或活动时段。"),
    AfterschoolError.OUTSIDE_TERM: _("%(date)s 不在本学期（%(start)s 至 %(end)s）内。"),
    AfterschoolError.NOT_A_SERVICE_DAY: _("方案中周%(weekday)s没有课后服务。"),
    AfterschoolError.BAD_RANGE: _("日期范围不正确：结束日期不能早于开始日期，且不超过 %(max)s 天。"),
    AfterschoolError.INVALID_CHOICE: _("“%(value)s”不是有效的%(field)s。"),
    AfterschoolError.TEXT_REQUIRED: _("请填写%(field)s（不超过 %(max)s 个字）。"),
    AfterschoolError.CATEGORY_EXISTS: _("该地区已有代码为“%(code)s”的课程类别。"),
    AfterschoolError.BAD_GRADES: _(
        "适用年级 %(grade_min)s 至 %(grade_max)s 不正确：应在 1 到 9 年级之间，且从低到高。"
    ),
    AfterschoolError.BAD_CAPACITY: _("名额 %(capacity)s 不正确：应在 1 到 %(max)s 之间。"),
    AfterschoolError.BAD_WEEKLY_SLOTS: _("每周节数应在 1 到 %(max)s 之间。"),
    AfterschoolError.BAD_FEE: _("收费不能为负数。"),
    AfterschoolError.CREDIT_CODE_REQUIRED: _("校外培训机构须填写统一社会信用代码。"),
    AfterschoolError.PROVIDER_NOT_APPROVED: _(
        "该统一社会信用代码不属于经教育部门审批的非学科类培训机构，不能引入课后服务。请在培训机构查询中核对。"
    ),
    AfterschoolError.DUPLICATE_SLOT: _("上课时间有重复。"),
    AfterschoolError.SLOT_COUNT: _("该课程每周上 %(expected)s 次，但安排了 %(given)s 个上课时间。"),
    AfterschoolError.NOT_AN_ACTIVITY_BLOCK: _("第 %(block)s 时段不是素质拓展活动时段，不能开设选修课程。"),
    AfterschoolError.CONSENT_REQUIRED: _("课后服务自愿参加：报名须由家长确认同意。"),
    AfterschoolError.NOT_THIS_SCHOOL: _("孩子不在该校就读，不能参加该校的课后服务。"),
    AfterschoolError.ALREADY_ENROLLED: _("孩子已经报名参加本学期课后服务。"),
    AfterschoolError.TERM_OVER: _("本学期已经结束，不能再报名。"),
    AfterschoolError.WINDOW_CLOSED: _("选课时间为 %(opens)s 至 %(closes)s，现在不能填报或修改志愿。"),
    AfterschoolError.WINDOW_OPEN: _("选课尚未截止（%(closes)s 截止），截止后才能分配。"),
    AfterschoolError.DUPLICATE_PREFERENCE: _("同一门课程不能重复填报。"),
    AfterschoolError.TOO_MANY_PREFERENCES: _("最多可以填报 %(max)s 个志愿。"),
    AfterschoolError.GRADE_NOT_ELIGIBLE: _("该课程面向 %(grade_min)s 至 %(grade_max)s 年级，孩子在 %(grade)s 年级。"),
    AfterschoolError.NOT_ENROLLED: _("孩子已退出本学期课后服务。"),
    AfterschoolError.OFFERING_FULL: _("该课程名额已满。"),
    AfterschoolError.SLOT_CLASH: _("与孩子已选的课程时间冲突（周%(weekday)s第 %(block)s 时段）。"),
    AfterschoolError.TOO_MANY_COURSES: _("每名学生最多参加 %(max)s 门课程。"),
    AfterschoolError.ALREADY_ASSIGNED: _("孩子已经在该课程中。"),
    AfterschoolError.NOT_ACTIVE: _("该课程记录已经结束（已退出或已让出），无需再退出。"),
    AfterschoolError.BAD_SEED: _("请填写公开的随机种子（不超过 %(max)s 个字符）。"),
    AfterschoolError.SEED_SOURCE_REQUIRED: _("方案没有事先公布随机种子的来源，不能分配。"),
    AfterschoolError.SEED_SOURCE_FROZEN: _("选课已截止，随机种子来源不能再修改。"),
    AfterschoolError.ALREADY_ALLOCATED: _("本方案已经完成分配，分配结果不能重新抽取。"),
    AfterschoolError.NOT_ALLOCATED: _("本方案尚未分配，请先完成选课分配。"),
    AfterschoolError.NO_PLAN_ON_DAY: _("%(date)s 不在学校任何一个课后服务方案的学期内，没有课后服务。"),
    AfterschoolError.NO_SERVICE: _("%(date)s（%(day_kind_label)s）没有课后服务。"),
    AfterschoolError.SERVICE_CANCELLED: _("%(date)s 的课后服务已取消（%(reason)s）。"),
    AfterschoolError.NO_SUCH_BLOCK: _("方案中没有第 %(block)s 时段。"),
    AfterschoolError.BLOCK_IS_ACTIVITIES: _("第 %(block)s 时段是素质拓展活动时段：请按课程名单点名。"),
    AfterschoolError.NO_SESSION: _("该课程 %(date)s 第 %(block)s 时段不上课。"),
    AfterschoolError.ATTENDANCE_IN_FUTURE: _("%(date)s 还没到，不能提前点名或签离。"),
    AfterschoolError.NOT_ON_ROSTER: _("编号为 %(students)s 的学生不在本时段的名单上：本次点名全部没有保存。"),
    AfterschoolError.ROSTER_INCOMPLETE: _(
        "还有 %(count)s 名学生没有点名（%(names)s）：请为名单上的每名学生选择出勤情况，本次点名没有保存。"
    ),
    AfterschoolError.DUPLICATE_MARK: _("编号为 %(student)s 的学生在本次点名中出现了不止一次：本次点名没有保存。"),
    AfterschoolError.ABSENCE_RANGE: _("请假日期不正确：结束日期不能早于开始日期，一次最长 %(max)s 天。"),
    AfterschoolError.ABSENCE_IN_PAST: _("请假须事先报告：开始日期不能早于今天（%(today)s）。"),
    AfterschoolError.NOT_SIGNED_UP: _("孩子没有参加 %(date)s 所在学期的课后服务。"),
    AfterschoolError.SIGN_OUT_WHO: _("请选择接走孩子的监护人，或（家长已同意时）选择自行离校，二者选一。"),
    AfterschoolError.NOT_A_GUARDIAN: _("接孩子的人不是该生登记的监护人，不能签离。请核对身份，或联系家长。"),
    AfterschoolError.LEAVE_ALONE_NOT_ALLOWED: _("家长没有登记同意孩子自行离校，不能让孩子独自离开。"),
    AfterschoolError.SIGN_OUT_TIME: _("签离时间应在 %(date)s 当天，且不能晚于现在。"),
    AfterschoolError.DUTY_WHO: _("请选择一名本校教职工，或填写校外人员的姓名和所属单位，二者选一。"),
    AfterschoolError.NOT_SCHOOL_STAFF: _("所选人员不是本校教职工，不能安排值守。"),
    AfterschoolError.DOUBLE_BOOKED: _("%(name)s 在周%(weekday)s第 %(block)s 时段已有安排，同一时段不能重复安排。"),
    AfterschoolError.DUTY_CLASS: _("所选班级不在本校，或不是本方案的学校。"),
    AfterschoolError.DUTY_OFFERING: _("所选课程不在周%(weekday)s第 %(block)s 时段上课。"),
    AfterschoolError.FEE_OVER_LIMIT: _(
        "每生每学期收费 %(fee)s 元超过当地标准：本学期 %(hours)s 课时，最多可收 %(limit)s 元。"
    ),
    AfterschoolError.SERVICE_FREE: _("本学期课后服务免费，无需减免。"),
    AfterschoolError.NO_FEE: _("学校尚未公布本学期课后服务收费标准。"),
    AfterschoolError.BAD_WAIVER_AMOUNT: _("减免金额应大于 0 元，且不超过应收的 %(fee)s 元。"),
    AfterschoolError.WAIVER_EXISTS: _("该生本学期已有减免记录。"),
    AfterschoolError.BAD_SCORES: _("请为每个问题选择 %(min)s 到 %(max)s 分。"),
    AfterschoolError.ALREADY_ANSWERED: _("您已为这个孩子填写过本学期的满意度问卷，每学期只能填写一次。"),
    AfterschoolError.SURVEY_CLOSED: _("满意度问卷在本学期内（%(start)s 至 %(end)s）开放，孩子须参加了课后服务。"),
    AfterschoolError.ABSENCE_OVER: _("这次请假已经结束，不能再取消。"),
    AfterschoolError.AMOUNT_FORMAT: _("金额格式不正确：请填写元，最多两位小数。"),
}


def afterschool_error(code: str, /, **details: object) -> DomainError:
    return DomainError(code, MESSAGES[code], {k: str(v) for k, v in details.items()})
