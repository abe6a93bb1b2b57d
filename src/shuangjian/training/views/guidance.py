"""The guidance prices page (政府指导价): for one region the base price of every academic subject and mode, set there
or inherited from above, with the history of changes; a bureau holding the region sets a price on the same page.
Supervisors look at their regions and the regions below and above them, an operator at its institution's."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.core import access, money
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Region, RegionLevel
from shuangjian.core.views.common import scoped
from shuangjian.training import selectors, selectors_guidance
from shuangjian.training.forms import GuidancePriceForm
from shuangjian.training.services import courses
from shuangjian.training.services.common import GUIDANCE_PRICE_SET
from shuangjian.training.views.desk import _desk

HISTORY_SHOWN = 30


def _region(request: HttpRequest, regions: list[Region]) -> Region:
    """The region asked for; by default the first the actor holds, else (an operator) the first county, whose price
    applies to its institution. 404 outside the list."""
    if not regions:
        raise PermissionDenied
    wanted = request.GET.get("region", "")
    if not wanted:
        held = {a.region_id for a in access.assignments(request.user)}
        counties = (r for r in regions if r.level == RegionLevel.COUNTY)
        return next((r for r in regions if r.code in held), None) or next(counties, regions[0])
    found = next((r for r in regions if r.code == wanted), None)
    if found is None:
        raise Http404
    return found


def _context(request: HttpRequest, regions: list[Region], region: Region, form: GuidancePriceForm) -> dict[str, Any]:
    return {
        "regions": regions,
        "region": region,
        "rows": selectors_guidance.guidance_table(region),
        "history": selectors.guidance_price_history(region_code=region.code)[:HISTORY_SHOWN],
        "can_set": access.covers_region(request.user, region, access.roles_for(GUIDANCE_PRICE_SET)),
        "form": form,
    }


@login_required
@require_http_methods(["GET", "POST"])
def guidance_prices(request: HttpRequest) -> HttpResponse:
    _desk(request)
    regions = selectors_guidance.guidance_regions(actor=request.user)
    region = _region(request, regions)
    form = GuidancePriceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base_fen = money.fen(data["base_yuan"])
        try:
            scoped(lambda: courses.guidance_price_set(
                actor=request.user, region_code=region.code, subject=data["subject"], mode=data["mode"],
                base_fen=base_fen,
            ))  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(region)s的指导价已更新。") % {"region": region.name})
            return redirect(f"{request.path}?{urlencode({'region': region.code})}")
    status = 422 if request.method == "POST" else 200
    return render(request, "training/guidance_prices.html", _context(request, regions, region, form), status=status)
