"""Training error codes and their messages (an operator, an inspector or a parent must understand each one)."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core import money
from shuangjian.core.errors import DomainError


class TrainingError(StrEnum):
    # The registry and the licence
    DUPLICATE_CREDIT_CODE = "training.duplicate_credit_code"
    CATEGORY_REQUIRED = "training.category_required"
    INVALID_CHOICE = "training.invalid_choice"
    TEXT_REQUIRED = "training.text_required"
    NOT_A_COUNTY = "training.not_a_county"
    TRANSITION_NOT_ALLOWED = "training.transition_not_allowed"
    LICENCE_NUMBER_REQUIRED = "training.licence_number_required"
    REASON_REQUIRED = "training.reason_required"
    NOT_ACADEMIC = "training.not_academic"
    ACADEMIC_COURSES_ACTIVE = "training.academic_courses_active"
    QUALIFICATION_REQUIRED = "training.qualification_required"
    BAD_AREA = "training.bad_area"
    BAD_PRICE = "training.bad_price"
    BAD_SANCTION_DATES = "training.bad_sanction_dates"
    # Courses and timetables
    NOT_APPROVED = "training.not_approved"
    UNKNOWN_SITE = "training.unknown_site"
    SUBJECT_NOT_ACADEMIC = "training.subject_not_academic"
    ACADEMIC_SUBJECT_FORBIDDEN = "training.academic_subject_forbidden"
    BAD_GRADES = "training.bad_grades"
    PRESCHOOL_FORBIDDEN = "training.preschool_forbidden"
    BAD_NUMBERS = "training.bad_numbers"
    BAD_DATES = "training.bad_dates"
    NO_TIMETABLE = "training.no_timetable"
    BAD_SITTING = "training.bad_sitting"
    SITTING_TOO_SHORT = "training.sitting_too_short"
    LESSON_TOO_LONG = "training.lesson_too_long"
    ENDS_TOO_LATE = "training.ends_too_late"
    SITTINGS_OVERLAP = "training.sittings_overlap"
    BREAK_TOO_SHORT = "training.break_too_short"
    REST_DAY_FORBIDDEN = "training.rest_day_forbidden"
    HOLIDAY_FORBIDDEN = "training.holiday_forbidden"
    VACATION_FORBIDDEN = "training.vacation_forbidden"
    PRICE_ABOVE_GUIDANCE = "training.price_above_guidance"
    CHARGE_MONTHS_EXCEEDED = "training.charge_months_exceeded"
    CHARGE_LESSONS_EXCEEDED = "training.charge_lessons_exceeded"
    CHARGE_AMOUNT_EXCEEDED = "training.charge_amount_exceeded"
    SITE_REQUIRED = "training.site_required"
    SITE_TOO_SMALL = "training.site_too_small"
    # Complaints
    CONTACT_REQUIRED = "training.contact_required"
    COMPLAINT_BAD_TRANSITION = "training.complaint_bad_transition"
    DUPLICATE_HOTLINE_REFERENCE = "training.duplicate_hotline_reference"
    NOT_A_HOTLINE = "training.not_a_hotline"
    ASSIGNEE_NOT_INSPECTOR = "training.assignee_not_inspector"
    NOT_SUBSTANTIATED = "training.complaint_not_substantiated"
    NO_INSTITUTION = "training.complaint_no_institution"
    PARTNERS_REQUIRED = "training.partners_required"
    BAD_RECEIVED_AT = "training.bad_received_at"


MESSAGES: dict[str, Promise] = {
    TrainingError.DUPLICATE_CREDIT_CODE: _("统一社会信用代码 %(credit_code)s 已登记，不能重复登记。"),
    TrainingError.CATEGORY_REQUIRED: _("非学科类机构须选择类别（体育、文化艺术、科技等）；学科类机构不填类别。"),
    TrainingError.INVALID_CHOICE: _("“%(value)s”不是有效的%(field)s。"),
    TrainingError.TEXT_REQUIRED: _("请填写%(field)s（不超过 %(max)s 个字）。"),
    TrainingError.NOT_A_COUNTY: _("机构须登记在县（区）一级的行政区划下，%(region)s 不是县（区）。"),
    TrainingError.TRANSITION_NOT_ALLOWED: _("当前许可状态为“%(status_label)s”，不能执行“%(action_label)s”。"),
    TrainingError.LICENCE_NUMBER_REQUIRED: _("审批通过须填写办学许可证号。"),
    TrainingError.REASON_REQUIRED: _("请填写原因，该记录将留档备查。"),
    TrainingError.NOT_ACADEMIC: _("该机构不是学科类机构，无需转为非学科类。"),
    TrainingError.ACADEMIC_COURSES_ACTIVE: _("该机构还有 %(count)s 门学科类课程在开课，请先下架后再转为非学科类。"),
    TrainingError.QUALIFICATION_REQUIRED: _("学科类培训的授课人员须具有教师资格，请填写教师资格证书编号。"),
    TrainingError.BAD_AREA: _("教学面积应为 1 到 %(max)s 平方米之间的整数。"),
    TrainingError.BAD_PRICE: _("指导价应大于零。"),
    TrainingError.BAD_SANCTION_DATES: _("惩戒结束日期不能早于开始日期。"),
    TrainingError.NOT_APPROVED: _("机构许可状态为“%(status_label)s”，审批通过后才能开设课程。"),
    TrainingError.UNKNOWN_SITE: _("所选培训场所不属于本机构。"),
    TrainingError.SUBJECT_NOT_ACADEMIC: _("学科类机构只能开设学科类课程，“%(subject)s”不是学科类科目。"),
    TrainingError.ACADEMIC_SUBJECT_FORBIDDEN: _("非学科类机构不得开展学科类培训（“%(subject)s”属于学科类）。"),
    TrainingError.BAD_GRADES: _(
        "适用年级 %(grade_min)s 至 %(grade_max)s 不正确：应在幼儿园小班到高三之间，且从低到高。"
    ),
    TrainingError.PRESCHOOL_FORBIDDEN: _("不得面向学龄前儿童开展线上培训或学科类培训。"),
    TrainingError.BAD_NUMBERS: _("课时长度、课时数、班额和单次收费课时数都应为正数，单次收费课时数不超过总课时数。"),
    TrainingError.BAD_DATES: _("结课日期不能早于开课日期，课程周期不超过 %(max)s 天。"),
    TrainingError.NO_TIMETABLE: _("请填写课表（1 到 %(max)s 个上课时间）。"),
    TrainingError.BAD_SITTING: _(
        "上课时间 %(start)s—%(end)s 不正确：须为每周固定星期或开课期间内的某一日期，且结束晚于开始。"
    ),
    TrainingError.SITTING_TOO_SHORT: _("一次上课 %(minutes)s 分钟，短于一个课时（%(lesson)s 分钟）。"),
    TrainingError.LESSON_TOO_LONG: _("线上培训每课时 %(minutes)s 分钟，不得超过 %(max)s 分钟。"),
    TrainingError.ENDS_TOO_LATE: _("培训 %(end)s 结束，不得晚于 %(latest)s。"),
    TrainingError.SITTINGS_OVERLAP: _("课表中 %(start)s 开始的上课时间与前一次重叠。"),
    TrainingError.BREAK_TOO_SHORT: _("线上培训课间休息 %(minutes)s 分钟，不少于 %(min)s 分钟。"),
    TrainingError.REST_DAY_FORBIDDEN: _("学科类培训不得在休息日开展（%(date)s）。"),
    TrainingError.HOLIDAY_FORBIDDEN: _("学科类培训不得在法定节假日开展（%(date)s）。"),
    TrainingError.VACATION_FORBIDDEN: _("学科类培训不得在寒暑假开展（%(date)s）。"),
    TrainingError.PRICE_ABOVE_GUIDANCE: _(
        "每课时收费 %(price_yuan)s 元，高于政府指导价允许的最高 %(max_yuan)s 元（基准价上浮不超过规定幅度）。"
    ),
    TrainingError.CHARGE_MONTHS_EXCEEDED: _("单次收费跨度 %(value)s 个月，不得超过 %(max)s 个月。"),
    TrainingError.CHARGE_LESSONS_EXCEEDED: _("单次收费 %(value)s 课时，不得超过 %(max)s 课时。"),
    TrainingError.CHARGE_AMOUNT_EXCEEDED: _("单次收费 %(value_yuan)s 元，不得超过 %(max_yuan)s 元。"),
    TrainingError.SITE_REQUIRED: _("线下课程须选择培训场所。"),
    TrainingError.CONTACT_REQUIRED: _("需要回复时请留下手机号，以便办理人员联系您。"),
    TrainingError.COMPLAINT_BAD_TRANSITION: _("该投诉当前状态为“%(status_label)s”，不能执行“%(action_label)s”。"),
    TrainingError.DUPLICATE_HOTLINE_REFERENCE: _(
        "%(channel_label)s工单号 %(hotline_reference)s 已登记，不能重复转办。"
    ),
    TrainingError.NOT_A_HOTLINE: _("请选择转办热线（12345 或 12315）并填写热线工单号。"),
    TrainingError.ASSIGNEE_NOT_INSPECTOR: _("只能分派给本辖区的督查员。"),
    TrainingError.NOT_SUBSTANTIATED: _("只有办结且情况属实的投诉才能据以实施联合惩戒。"),
    TrainingError.NO_INSTITUTION: _("被投诉机构未在登记名录中，请直接对已登记机构实施惩戒。"),
    TrainingError.PARTNERS_REQUIRED: _("联合惩戒须至少选择一个联合部门。"),
    TrainingError.BAD_RECEIVED_AT: _("热线受理时间不能晚于现在。"),
    TrainingError.SITE_TOO_SMALL: _(
        "班额 %(class_size)s 人，场所面积 %(area)s 平方米，按生均面积要求最多容纳 %(max)s 人。"
    ),
}

# Amounts in fen are shown in yuan: these detail keys get a "<key>_yuan" companion.
_FEN_KEYS = {
    TrainingError.PRICE_ABOVE_GUIDANCE: ("price", "max"),
    TrainingError.CHARGE_AMOUNT_EXCEEDED: ("value", "max"),
}


def training_error(code: str, /, **details: object) -> DomainError:
    params = {k: str(v) for k, v in details.items()}
    for key in _FEN_KEYS.get(code, ()):  # type: ignore[call-overload]
        params[f"{key}_yuan"] = money.yuan(int(params[key]))
    return DomainError(code, MESSAGES[code], params)


def finding_message(code: str, params: dict[str, object]) -> str:
    """The message of a rule finding (the violations list shows it the way an operator is refused)."""
    return training_error(code, **params).message
