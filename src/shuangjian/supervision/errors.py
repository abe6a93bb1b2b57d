"""Supervision error codes and their messages (an operator or a bureau officer must understand each one)."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core.errors import DomainError


class SupervisionError(StrEnum):
    TRANSITION_NOT_ALLOWED = "supervision.transition_not_allowed"
    APPEAL_DEADLINE_PASSED = "supervision.appeal_deadline_passed"
    TEXT_REQUIRED = "supervision.text_required"
    BAD_DECISION = "supervision.bad_decision"
    UNKNOWN_REPORT = "supervision.unknown_report"
    BAD_PERIOD = "supervision.bad_period"
    NOT_A_REGION = "supervision.not_a_region"


MESSAGES: dict[str, Promise] = {
    SupervisionError.TRANSITION_NOT_ALLOWED: _("该预警当前状态为“%(status_label)s”，不能%(action_label)s。"),
    SupervisionError.APPEAL_DEADLINE_PASSED: _("申诉期限已于 %(deadline)s 截止，不能再提交申诉。"),
    SupervisionError.TEXT_REQUIRED: _("请填写%(field)s（不超过 %(max)s 个字）。"),
    SupervisionError.BAD_DECISION: _("处理结果只能是“维持预警”或“撤销预警”。"),
    SupervisionError.UNKNOWN_REPORT: _("没有名为“%(kind)s”的监管报表。"),
    SupervisionError.BAD_PERIOD: _("报表期间不正确：%(start)s 至 %(end)s。"),
    SupervisionError.NOT_A_REGION: _("没有找到行政区划 %(code)s。"),
}


def supervision_error(code: str, /, **details: object) -> DomainError:
    return DomainError(code, MESSAGES[code], {k: str(v) for k, v in details.items()})
