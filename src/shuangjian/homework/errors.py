"""Homework error codes and their messages (a teacher or parent must understand each one)."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core.errors import DomainError


class HomeworkError(StrEnum):
    CAP_EXCEEDED = "homework.cap_exceeded"
    NO_WRITTEN_HOMEWORK = "homework.no_written_homework"
    NOT_A_HOMEWORK_DAY = "homework.not_a_homework_day"
    IMPLAUSIBLE_MINUTES = "homework.implausible_minutes"
    DUE_IN_PAST = "homework.due_in_past"
    BAD_DATES = "homework.bad_dates"
    NOT_YOUR_CLASS = "homework.not_your_class"
    PARENT_GRADING_FORBIDDEN = "homework.parent_grading_forbidden"
    SELF_GRADING_FORBIDDEN = "homework.self_grading_forbidden"
    PUNITIVE_FORBIDDEN = "homework.punitive_forbidden"
    FEEDBACK_IN_FUTURE = "homework.feedback_in_future"
    UNKNOWN_GROUP = "homework.unknown_group"
    STUDENT_NOT_IN_CLASS = "homework.student_not_in_class"
    ITEM_WITHDRAWN = "homework.item_withdrawn"
    INVALID_CHOICE = "homework.invalid_choice"
    NOT_YOUR_ITEM = "homework.not_your_item"
    ALREADY_SHARED = "homework.already_shared"
    COMPLAINT_TEXT_INVALID = "homework.complaint_text_invalid"
    COMPLAINT_BAD_PERIOD = "homework.complaint_bad_period"
    COMPLAINT_PERIOD_IN_FUTURE = "homework.complaint_period_in_future"
    COMPLAINT_CLOSED = "homework.complaint_closed"
    RESPONSE_REQUIRED = "homework.response_required"


MESSAGES: dict[str, Promise] = {
    HomeworkError.CAP_EXCEEDED: _(
        "%(date)s 的书面作业总时长将达到 %(load)s 分钟，超过本年级上限 %(cap)s 分钟。请缩短、调整日期或拆分后再发布。"
    ),
    HomeworkError.NO_WRITTEN_HOMEWORK: _("%(date)s：本年级不布置书面家庭作业（一、二年级）。"),
    HomeworkError.NOT_A_HOMEWORK_DAY: _("%(date)s 不是上课日，当地也未设定该类日期的书面作业上限，不能布置书面作业。"),
    HomeworkError.IMPLAUSIBLE_MINUTES: _("时长 %(minutes)s 分钟不合理，应在 0 到 %(max)s 分钟之间。"),
    HomeworkError.DUE_IN_PAST: _("完成日期 %(date)s 已经过去。"),
    HomeworkError.BAD_DATES: _("开始日期不能晚于完成日期。"),
    HomeworkError.NOT_YOUR_CLASS: _("您没有在该班任教 %(subject)s，不能为该班布置此学科作业。"),
    HomeworkError.PARENT_GRADING_FORBIDDEN: _("不得要求家长检查、批改作业或签字（作业要求中含有此类内容）。"),
    HomeworkError.SELF_GRADING_FORBIDDEN: _("不得要求学生自批自改作业。"),
    HomeworkError.PUNITIVE_FORBIDDEN: _("严禁布置重复性、惩罚性作业。"),
    HomeworkError.FEEDBACK_IN_FUTURE: _("不能填报 %(date)s 的作业用时：这一天还没有到。"),
    HomeworkError.UNKNOWN_GROUP: _("该班没有这个作业分组。"),
    HomeworkError.STUDENT_NOT_IN_CLASS: _("学生不在该班名单中。"),
    HomeworkError.ITEM_WITHDRAWN: _("这项作业已撤回，不能再修改。"),
    HomeworkError.INVALID_CHOICE: _("“%(value)s”不是有效的%(field)s。"),
    HomeworkError.NOT_YOUR_ITEM: _("只能分享您自己布置的作业。"),
    HomeworkError.ALREADY_SHARED: _("这项作业已经分享到%(scope)s。"),
    HomeworkError.COMPLAINT_TEXT_INVALID: _("请填写投诉内容（不超过 %(max)s 字）。"),
    HomeworkError.COMPLAINT_BAD_PERIOD: _("投诉涉及的日期范围不正确：开始日期晚于结束日期。"),
    HomeworkError.COMPLAINT_PERIOD_IN_FUTURE: _("投诉涉及的日期 %(date)s 还没有到。"),
    HomeworkError.COMPLAINT_CLOSED: _("该投诉已办结，不能再答复。"),
    HomeworkError.RESPONSE_REQUIRED: _("请填写答复内容（不超过 %(max)s 字）。"),
}

# Refusals that are about who may do something, not about the input: answered with 403 like core.forbidden.
FORBIDDEN_CODES = frozenset({HomeworkError.NOT_YOUR_ITEM})


class HomeworkForbidden(DomainError):
    status = 403


def homework_error(code: str, **details: object) -> DomainError:
    error_class = HomeworkForbidden if code in FORBIDDEN_CODES else DomainError
    return error_class(code, MESSAGES[code], {k: str(v) for k, v in details.items()})
