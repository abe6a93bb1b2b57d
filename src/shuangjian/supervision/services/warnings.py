"""A warning notice's path: the institution's operator appeals (申诉) within the region's period, the bureau
upholds or withdraws it with a reason. Each step is checked against the state machine (rules.TRANSITIONS) and
recorded as a WarningEvent in the same transaction."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.models import Role
from shuangjian.supervision import rules, selectors
from shuangjian.supervision.errors import SupervisionError, supervision_error
from shuangjian.supervision.models import RiskWarning, WarningEvent, WarningEventKind, WarningStatus

WARNING_APPEAL = access.register_action("supervision.warning_appeal", [Role.INSTITUTION_OPERATOR])
WARNING_DECIDE = access.register_action("supervision.warning_decide", [Role.BUREAU])
TEXT_MAX = 2000

_ACTION_LABELS = {
    rules.NoticeAction.APPEAL: _("提交申诉"),
    rules.NoticeAction.UPHOLD: _("维持预警"),
    rules.NoticeAction.WITHDRAW: _("撤销预警"),
}
_EVENT_OF = {
    WarningStatus.APPEALED: WarningEventKind.APPEALED,
    WarningStatus.UPHELD: WarningEventKind.UPHELD,
    WarningStatus.WITHDRAWN: WarningEventKind.WITHDRAWN,
}


def _locked(actor: Any, action: str, warning_id: int) -> RiskWarning:
    """The warning, visible (else NotFound), the action permitted (else AccessDenied), its row locked."""
    warning = selectors.warning_get(actor=actor, warning_id=warning_id)
    access.require(actor, action, warning)
    locked: QuerySet[RiskWarning] = RiskWarning.objects.select_for_update().filter(pk=warning.pk)
    return locked.get()


def _text(value: str, label: Any) -> str:
    clean = value.strip()
    if not clean or len(clean) > TEXT_MAX:
        raise supervision_error(SupervisionError.TEXT_REQUIRED, field=label, max=TEXT_MAX)
    return clean


def _move(warning: RiskWarning, action: rules.NoticeAction) -> WarningStatus:
    after = rules.next_status(rules.NoticeStatus(warning.status), action)
    if after is None:
        raise supervision_error(
            SupervisionError.TRANSITION_NOT_ALLOWED,
            status_label=WarningStatus(warning.status).label,
            action_label=_ACTION_LABELS[action],
        )
    return WarningStatus(after.value)


def _record(warning: RiskWarning, status: WarningStatus, actor: Any, text: str) -> None:
    WarningEvent.objects.create(warning=warning, kind=_EVENT_OF[status], text=text, actor=actor, at=timezone.now())


@transaction.atomic(durable=True)
def warning_appeal(*, actor: Any, warning_id: int, text: str) -> RiskWarning:
    """The operator contests the notice with its reasons, no later than the appeal deadline."""
    warning = _locked(actor, WARNING_APPEAL, warning_id)
    status = _move(warning, rules.NoticeAction.APPEAL)
    today = timezone.localdate()
    if not rules.appeal_open(warning.appeal_deadline, today):
        raise supervision_error(SupervisionError.APPEAL_DEADLINE_PASSED, deadline=warning.appeal_deadline)
    warning.appeal_text = _text(text, _("申诉理由"))
    warning.status = status
    warning.appealed_at = timezone.now()
    warning.save(update_fields=["appeal_text", "status", "appealed_at"])
    _record(warning, status, actor, warning.appeal_text)
    return warning


@transaction.atomic(durable=True)
def warning_decide(*, actor: Any, warning_id: int, decision: str, reason: str) -> RiskWarning:
    """The bureau upholds the appealed notice or withdraws it, with the reason it gives the institution."""
    if decision not in (rules.NoticeAction.UPHOLD, rules.NoticeAction.WITHDRAW):
        raise supervision_error(SupervisionError.BAD_DECISION)
    warning = _locked(actor, WARNING_DECIDE, warning_id)
    status = _move(warning, rules.NoticeAction(decision))
    warning.decision_reason = _text(reason, _("处理意见"))
    warning.status = status
    warning.decided_at = timezone.now()
    warning.save(update_fields=["decision_reason", "status", "decided_at"])
    _record(warning, status, actor, warning.decision_reason)
    return warning
