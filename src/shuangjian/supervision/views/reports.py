"""The periodic reports: a page per report for a region and period (bureau, inspectors), its Excel export in the
region's layout, and the files the schedule generated, for download."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped
from shuangjian.supervision import rules
from shuangjian.supervision.excel import workbook_bytes
from shuangjian.supervision.forms import ReportForm
from shuangjian.supervision.layouts import CADENCE
from shuangjian.supervision.selectors import home_region
from shuangjian.supervision.selectors.reports import report_file_get, report_file_list, report_for_request
from shuangjian.supervision.services.reports import report_path
from shuangjian.supervision.views.warnings import SUPERVISORS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _supervisor(request: HttpRequest) -> None:
    if not access.has_role(request.user, *SUPERVISORS):
        raise PermissionDenied


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The report chosen in the form (default: the monthly list of the actor's region, this month)."""
    _supervisor(request)
    region = home_region(request.user)
    initial = {"kind": "monthly_list", "region": region.code if region else "", "day": timezone.localdate()}
    form = ReportForm(request.GET if "kind" in request.GET else None, initial=initial)
    data = form.cleaned_data if form.is_valid() else initial
    kind, code = str(data["kind"]), str(data["region"])
    day = data["day"] if isinstance(data["day"], date) else timezone.localdate()
    start, end = rules.period_of(CADENCE.get(kind, rules.Cadence.MONTHLY), day)
    found, error = None, ""
    if code:
        try:
            found = scoped(
                lambda: report_for_request(actor=request.user, kind=kind, region_code=code, start=start, end=end)
            )
        except DomainError as exc:
            error = exc.message
    if found is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(workbook_bytes(found), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{kind}-{code}-{start.isoformat()}.xlsx"'
        return response
    files = report_file_list(actor=request.user, region=found.region) if found is not None else []
    context = {"form": form, "report": found, "error": error, "files": files, "query": request.GET.urlencode()}
    return render(request, "supervision/report.html", context, status=400 if error else 200)


@login_required
@require_GET
def report_file(request: HttpRequest, file_id: int) -> FileResponse:
    _supervisor(request)
    file = scoped(lambda: report_file_get(actor=request.user, file_id=file_id))
    path = report_path(file)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=XLSX)
