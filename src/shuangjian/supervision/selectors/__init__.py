"""Supervision reads: risk scores and warning notices as the actor reaches them (bureau and inspectors their
region, an operator its own institution, through core.access), and the reasons in words."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, Role
from shuangjian.supervision import rules
from shuangjian.supervision.errors import SupervisionError, supervision_error
from shuangjian.supervision.models import RiskScore, RiskWarning, WarningEvent

_REASON_TEXT: dict[str, Promise] = {
    rules.Signal.COMPLAINTS: _("统计期内投诉 %(value)s 件（达到 %(threshold)s 件计分）"),
    rules.Signal.REFUNDS: _("统计期内退费 %(value)s 笔（达到 %(threshold)s 笔计分）"),
    rules.Signal.ESCROW_SHORTFALL: _("监管资金缺口占未消课预收费 %(value)s%%（达到 %(threshold)s%% 计分）"),
    rules.Signal.LICENCE: _("许可或监管异常 %(value)s 项（暂停、注销、资金冻结或处罚在执行）"),
    rules.Signal.SCHEDULE_VIOLATIONS: _("违规排课 %(value)s 次（达到 %(threshold)s 次计分）"),
    rules.Signal.PRICE_CUT: _("新开课程降价 %(value)s%%（达到 %(threshold)s%% 计分）"),
}


def reasons_json(reasons: Iterable[rules.Reason]) -> list[dict[str, object]]:
    return [{"signal": r.signal.value, "value": r.value, "threshold": r.threshold, "points": r.points} for r in reasons]


def reason_texts(reasons: Iterable[dict[str, Any]]) -> list[str]:
    """Each stored reason in words, with its points."""
    texts = []
    for reason in reasons:
        template = _REASON_TEXT.get(str(reason.get("signal")))
        if template is None:
            continue
        texts.append(
            str(_("%(what)s，计 %(points)s 分")) % {"what": str(template) % reason, "points": reason["points"]}
        )
    return texts


def score_list(*, actor: Any, on: date | None = None, min_level: int = 0) -> QuerySet[RiskScore]:
    """The scores of one day (the latest scored day the actor can see when `on` is None), riskiest first."""
    visible = RiskScore.objects.filter(access.visible(actor, RiskScore))
    day = on or visible.aggregate(last=Max("on"))["last"]
    return (
        visible.filter(on=day, level__gte=min_level)
        .select_related("institution", "institution__county")
        .order_by("-score", "institution__name", "pk")
    )


def _warnings(actor: Any) -> QuerySet[RiskWarning]:
    return RiskWarning.objects.filter(access.visible(actor, RiskWarning)).select_related(
        "institution", "institution__county"
    )


def warning_list(*, actor: Any, status: str | None = None) -> QuerySet[RiskWarning]:
    qs = _warnings(actor)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-issued_on", "-level", "pk")


def warning_get(*, actor: Any, warning_id: int) -> RiskWarning:
    """A visible warning with its events; the same NotFound for "missing" and "not yours"."""
    events = Prefetch("events", queryset=WarningEvent.objects.select_related("actor").order_by("at", "pk"))
    warning = _warnings(actor).filter(pk=warning_id).prefetch_related(events).first()
    if warning is None:
        raise NotFound("warning")
    return warning


def region_for(code: str) -> Region:
    """A region by its code (for the commands and tasks, which take --region CODE)."""
    region = Region.objects.filter(code=code.strip()).select_related("parent__parent").first()
    if region is None:
        raise supervision_error(SupervisionError.NOT_A_REGION, code=code)
    return region


def home_region(actor: Any) -> Region | None:
    """The region of the actor's first bureau or inspector assignment (the reports page's default)."""
    for assignment in access.assignments(actor):
        if assignment.role in (Role.BUREAU, Role.INSPECTOR) and assignment.region is not None:
            return assignment.region
    return None
