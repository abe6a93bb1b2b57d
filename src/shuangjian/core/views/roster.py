"""The roster import page: upload a school's .xlsx or .csv roster, validate it, import it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shuangjian.core import access, roster, selectors
from shuangjian.core.errors import AccessDenied, CoreError, DomainError, NotFound
from shuangjian.core.forms import RosterImportForm
from shuangjian.core.models import School
from shuangjian.core.services import roster as roster_service


def _school_for(request: HttpRequest, code: str) -> School:
    try:
        school = selectors.school_get(actor=request.user, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not access.can(request.user, roster_service.IMPORT_ROSTER, school):
        raise PermissionDenied
    return school


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, code: str) -> HttpResponse:
    school = _school_for(request, code)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result: roster_service.RosterImportResult | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = roster_service.roster_import(
                    actor=request.user,
                    school_code=school.code,
                    filename=upload.name or "",
                    content=upload.read(),
                    create_classes=form.cleaned_data["create_classes"],
                    dry_run=form.dry_run,
                )
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except AccessDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                if exc.code != CoreError.IMPORT_FILE_UNREADABLE:
                    raise
                form.add_error("file", exc.message)
        if not form.is_valid() or (result is not None and not result.ok):
            status = 422
    context = {
        "school": school,
        "form": form,
        "result": result,
        "template_headers": roster.TEMPLATE_HEADERS,
    }
    return render(request, "core/roster_import.html", context, status=status)
