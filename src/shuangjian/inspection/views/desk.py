"""The bureau's desk: campaigns with their progress per county (a chart and a table), a new campaign, and the
region's checklist of banned practices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.forms import CampaignEditForm, CampaignForm
from shuangjian.inspection.models import TargetKind
from shuangjian.inspection.services import planning
from shuangjian.inspection.services.common import CAMPAIGN_MANAGE, CHECKLIST_MANAGE
from shuangjian.inspection.views.common import desk, is_supervisor, supervisor

_KIND_LABELS = dict(TargetKind.choices)


def _regions(request: HttpRequest) -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in selectors.supervised_regions(request.user)]


def _can(request: HttpRequest, action: str) -> bool:
    return any(
        access.covers_region(request.user, r, access.roles_for(action))
        for r in selectors.supervised_regions(request.user)
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Supervisors: the campaigns and the day's work; an operator goes to its orders."""
    desk(request)
    if not is_supervisor(request.user):
        return redirect("inspection:orders")
    today = timezone.localdate()
    campaigns = [
        (campaign, rules.campaign_phase(campaign.starts_on, campaign.ends_on, today))
        for campaign in selectors.campaign_list(actor=request.user)[:50]
    ]
    context = {
        "campaigns": campaigns,
        "overdue": selectors.order_list(actor=request.user, overdue_on=today).count(),
        "open_cases": selectors.case_list(actor=request.user).exclude(status__in=["closed", "dismissed"]).count(),
        "recent": selectors.inspection_list(actor=request.user)[:10],
        "can_plan": _can(request, CAMPAIGN_MANAGE),
        "form": CampaignForm(regions=_regions(request)),
    }
    return render(request, "inspection/index.html", context)


@login_required
@require_POST
def campaign_new(request: HttpRequest) -> HttpResponse:
    supervisor(request)
    form = CampaignForm(request.POST, regions=_regions(request))
    if form.is_valid():
        data = form.cleaned_data
        draft = planning.CampaignDraft(**{**data, "target_kinds": tuple(data["target_kinds"])})
        try:
            campaign = scoped(lambda: planning.campaign_create(actor=request.user, draft=draft))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专项整治“%(name)s”已发布。") % {"name": campaign.name})
            return redirect("inspection:campaign", campaign_id=campaign.pk)
    context = {"campaigns": [], "form": form, "can_plan": True, "recent": [], "overdue": 0, "open_cases": 0}
    return render(request, "inspection/index.html", context, status=422)


@login_required
@require_GET
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _campaign_page(request, campaign_id)


def _campaign_page(
    request: HttpRequest, campaign_id: int, form: CampaignEditForm | None = None, status: int = 200
) -> HttpResponse:
    supervisor(request)
    found, counties = scoped(lambda: selectors.campaign_progress(actor=request.user, campaign_id=campaign_id))
    phase = rules.campaign_phase(found.starts_on, found.ends_on, timezone.localdate())
    chart = {
        "names": [row.county_name for row in counties],
        "done": [row.inspections for row in counties],
        "target": found.target_inspections,
        "labels": {"done": _("已检查"), "target": _("目标")},
    }
    fields = ("name", "starts_on", "ends_on", "target_kinds", "target_inspections")
    context = {
        "campaign": found,
        "phase": phase,
        "kinds": [_KIND_LABELS.get(kind, kind) for kind in found.target_kinds],
        "counties": counties,
        "chart": chart,
        "can_manage": phase != "ended"
        and access.covers_region(request.user, found.region, access.roles_for(CAMPAIGN_MANAGE)),
        "form": form or CampaignEditForm(initial={name: getattr(found, name) for name in fields}),
    }
    return render(request, "inspection/campaign.html", context, status=status)


@login_required
@require_POST
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    supervisor(request)
    form = CampaignEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        changes = planning.CampaignChanges(**{**data, "target_kinds": tuple(data["target_kinds"])})
        try:
            scoped(lambda: planning.campaign_update(actor=request.user, campaign_id=campaign_id, changes=changes))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专项整治已修改。"))
            return redirect("inspection:campaign", campaign_id=campaign_id)
    return _campaign_page(request, campaign_id, form, status=422)


@login_required
@require_POST
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    supervisor(request)
    try:
        scoped(lambda: planning.campaign_close(actor=request.user, campaign_id=campaign_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("专项整治已于今天结束。"))
    return redirect("inspection:campaign", campaign_id=campaign_id)


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest) -> HttpResponse:
    """The checklist the actor's region inspects against; a bureau retires or restores an item here."""
    supervisor(request)
    if request.method == "POST":
        item_id, active = int(request.POST.get("item", "0") or 0), request.POST.get("active") == "1"
        try:
            scoped(lambda: planning.checklist_item_set_active(actor=request.user, item_id=item_id, active=active))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("检查事项已更新。"))
        return redirect("inspection:checklist")
    items = selectors.checklist_list(actor=request.user)
    return render(request, "inspection/checklist.html", {"items": items, "can_manage": _can(request, CHECKLIST_MANAGE)})
