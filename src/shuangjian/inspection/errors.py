"""Inspection error codes and their messages (an inspector, a bureau or an operator must understand each one)."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core.errors import DomainError


class InspectionError(StrEnum):
    TEXT_REQUIRED = "inspection.text_required"
    INVALID_CHOICE = "inspection.invalid_choice"
    DUPLICATE_CODE = "inspection.duplicate_code"
    NOT_A_CITY_OR_COUNTY = "inspection.not_a_city_or_county"
    BAD_PERIOD = "inspection.bad_period"
    BAD_TARGET = "inspection.bad_target"
    TARGETS_REQUIRED = "inspection.targets_required"
    CAMPAIGN_NOT_RUNNING = "inspection.campaign_not_running"
    CAMPAIGN_ENDED = "inspection.campaign_ended"
    CAMPAIGN_STARTED = "inspection.campaign_started"
    CAMPAIGN_NOT_STARTED = "inspection.campaign_not_started"
    DATE_IN_PAST = "inspection.date_in_past"
    SUBJECT_REQUIRED = "inspection.subject_required"
    TOO_FEW_INSPECTORS = "inspection.too_few_inspectors"
    UNKNOWN_INSPECTOR = "inspection.unknown_inspector"
    UNKNOWN_ITEM = "inspection.unknown_item"
    UNKNOWN_SITE = "inspection.unknown_site"
    CHECKLIST_INCOMPLETE = "inspection.checklist_incomplete"
    INVALID_RESULT = "inspection.invalid_result"
    FUTURE_DATE = "inspection.future_date"
    NO_FAILED_ITEMS = "inspection.no_failed_items"
    NOT_AN_INSTITUTION = "inspection.not_an_institution"
    ORDER_EXISTS = "inspection.order_exists"
    DEADLINE_REQUIRED = "inspection.deadline_required"
    BAD_DEADLINE = "inspection.bad_deadline"
    TRANSITION_NOT_ALLOWED = "inspection.transition_not_allowed"
    SANCTION_REQUIRED = "inspection.sanction_required"


MESSAGES: dict[str, Promise] = {
    InspectionError.TEXT_REQUIRED: _("请填写%(field)s（不超过 %(max)s 个字）。"),
    InspectionError.INVALID_CHOICE: _("“%(value)s”不是有效的%(field)s。"),
    InspectionError.DUPLICATE_CODE: _("本地区已有编号为 %(code)s 的检查事项。"),
    InspectionError.NOT_A_CITY_OR_COUNTY: _("检查事项和专项整治须由市或县（区）制定，%(region)s 不是市或县（区）。"),
    InspectionError.BAD_PERIOD: _("结束日期不能早于开始日期，整治周期不超过 %(max)s 天。"),
    InspectionError.BAD_TARGET: _("目标检查次数应为 1 到 %(max)s 之间的整数。"),
    InspectionError.TARGETS_REQUIRED: _("请至少选择一类整治对象。"),
    InspectionError.CAMPAIGN_NOT_RUNNING: _("检查日期 %(date)s 不在专项整治“%(campaign)s”的期间内。"),
    InspectionError.CAMPAIGN_ENDED: _("专项整治已于 %(date)s 结束，留作记录，不能再修改。"),
    InspectionError.CAMPAIGN_STARTED: _("专项整治已于 %(date)s 开始，开始日期不能再修改。"),
    InspectionError.CAMPAIGN_NOT_STARTED: _("专项整治将于 %(date)s 开始，尚未开始的整治请修改日期，不必结束。"),
    InspectionError.DATE_IN_PAST: _("修改后的日期不能早于今天；要提前结束正在进行的整治，请用“结束整治”。"),
    InspectionError.SUBJECT_REQUIRED: _("请选择被检查的机构，或填写无证培训的检查地点。"),
    InspectionError.TOO_FEW_INSPECTORS: _("现场检查须由不少于 %(min)s 名检查人员进行，当前只有 %(count)s 名。"),
    InspectionError.UNKNOWN_INSPECTOR: _("同行检查人员须为本地区的督查员或教育局工作人员。"),
    InspectionError.UNKNOWN_ITEM: _("有 %(count)s 个检查事项不在本地区的检查清单中，请刷新页面后重新填写。"),
    InspectionError.UNKNOWN_SITE: _("所选培训场所不是被检查机构登记的场所，请重新选择或填写检查地点。"),
    InspectionError.CHECKLIST_INCOMPLETE: _("还有 %(count)s 个检查事项没有填写结果（符合、不符合或不适用）。"),
    InspectionError.INVALID_RESULT: _("“%(value)s”不是有效的检查结果。"),
    InspectionError.FUTURE_DATE: _("检查日期不能晚于今天。"),
    InspectionError.NO_FAILED_ITEMS: _("本次检查没有不符合项，无需责令整改。"),
    InspectionError.NOT_AN_INSTITUTION: _("责令整改只针对登记在册的培训机构；无证培训请登记为无证培训线索。"),
    InspectionError.ORDER_EXISTS: _("本次检查已下达过责令整改通知。"),
    InspectionError.DEADLINE_REQUIRED: _("本地区未规定整改期限，请填写整改截止日期。"),
    InspectionError.BAD_DEADLINE: _("整改期限 %(deadline)s 不正确：不能早于下达日期，也不能晚于 %(latest)s。"),
    InspectionError.TRANSITION_NOT_ALLOWED: _("当前状态为“%(status_label)s”，不能执行“%(action_label)s”。"),
    InspectionError.SANCTION_REQUIRED: _("移交处罚时请选择建议的处罚类型并说明理由。"),
}


def inspection_error(code: str, /, **details: object) -> DomainError:
    return DomainError(code, MESSAGES[code], {k: str(v) for k, v in details.items()})
