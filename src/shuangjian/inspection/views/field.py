"""In the field, on a phone: choose what is inspected, go through the county's checklist (one big choice per item),
save; then, when items failed, order the institution to rectify."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangjian.core.errors import DomainError
from shuangjian.core.models import Region
from shuangjian.core.views.common import scoped
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.forms import InspectionForm, OrderIssueForm
from shuangjian.inspection.models import InspectionKind, Result
from shuangjian.inspection.services import inspections
from shuangjian.inspection.views.common import desk, supervisor
from shuangjian.training import selectors as training_selectors
from shuangjian.training.models import Institution, LicenceStatus


def _subject(request: HttpRequest) -> tuple[Institution | None, Region | None]:
    """The institution (?institution=ID) or the county of an address (?county=CODE) being inspected."""
    params = request.POST if request.method == "POST" else request.GET
    institution_id = params.get("institution", "")
    if institution_id.isdigit():
        found = scoped(
            lambda: training_selectors.institution_get(actor=request.user, institution_id=int(institution_id))
        )
        return found, found.county
    code = params.get("county", "")
    county = next(
        (r for r in selectors.supervised_regions(request.user) if r.code == code and r.level == "county"), None
    )
    return None, county


def _first_site(request: HttpRequest, institution: Institution | None) -> str:
    """Where an institution is inspected by default: its first training site, else its registered address."""
    if institution is None:
        return ""
    site = training_selectors.site_list(actor=request.user, institution_id=institution.pk).first()
    return site.address if site is not None else institution.address


def _form(request: HttpRequest, county: Region, institution: Institution | None, data: Any = None) -> InspectionForm:
    today = timezone.localdate()
    campaigns = [
        (c.pk, c.name)
        for c in selectors.campaign_list(actor=request.user)
        if rules.campaign_phase(c.starts_on, c.ends_on, today) == "active"
        and c.city_id == county.parent_id
        and c.county_id in (None, county.code)
    ]
    colleagues = [(u.pk, str(u)) for u in selectors.colleagues(request.user) if u.pk != request.user.pk]
    return InspectionForm(
        data, items=selectors.county_checklist(county), campaigns=campaigns, colleagues=colleagues,
        initial={
            "inspected_on": today,
            "address": _first_site(request, institution),
            "campaign": campaigns[0][0] if len(campaigns) == 1 else None,
        },
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    supervisor(request)
    institution, county = _subject(request)
    if county is None:
        institutions = training_selectors.institution_list(actor=request.user).exclude(
            licence_status=LicenceStatus.CANCELLED
        )
        counties = [r for r in selectors.supervised_regions(request.user) if r.level == "county"]
        return render(request, "inspection/choose.html", {"institutions": institutions[:300], "counties": counties})
    form = _form(request, county, institution, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = inspections.InspectionDraft(
            inspected_on=data["inspected_on"],
            results=form.results(),
            institution_id=institution.pk if institution else None,
            county_code="" if institution else county.code,
            address=data["address"],
            campaign_id=data["campaign"],
            co_inspector_ids=tuple(data["co_inspectors"]),
            note=data["note"],
        )
        try:
            created = scoped(lambda: inspections.inspection_record(actor=request.user, draft=draft))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("检查记录已保存。"))
            return redirect("inspection:detail", inspection_id=created.pk)
    sites = training_selectors.site_list(actor=request.user, institution_id=institution.pk) if institution else []
    context = {"form": form, "institution": institution, "county": county, "sites": [site.address for site in sites]}
    return render(request, "inspection/new.html", context, status=422 if request.method == "POST" else 200)


def _detail(request: HttpRequest, inspection_id: int, order_form: OrderIssueForm | None = None) -> dict[str, Any]:
    found = scoped(lambda: selectors.inspection_get(actor=request.user, inspection_id=inspection_id))
    failed = [f for f in found.findings.all() if f.result == Result.FAIL]
    order = selectors.order_of(found)
    can_order = bool(failed) and order is None and found.institution_id is not None
    return {
        "inspection": found,
        "failed": failed,
        "order": order,
        "can_order": can_order and found.kind == InspectionKind.ROUTINE,
        "order_form": order_form or OrderIssueForm(),
    }


@login_required
@require_GET
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    desk(request)
    return render(request, "inspection/detail.html", _detail(request, inspection_id))


@login_required
@require_POST
def order_issue(request: HttpRequest, inspection_id: int) -> HttpResponse:
    supervisor(request)
    form = OrderIssueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = scoped(lambda: inspections.order_issue(actor=request.user, inspection_id=inspection_id, **data))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已下达责令整改通知，整改期限 %(deadline)s。") % {"deadline": order.deadline})
            return redirect("inspection:order", order_id=order.pk)
    return render(request, "inspection/detail.html", _detail(request, inspection_id, form), status=422)
