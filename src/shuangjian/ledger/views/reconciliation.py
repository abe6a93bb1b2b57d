"""The bureau's reconciliation with the custodian bank: the statements imported (and the upload form), one
statement's matched and unmatched lines and its differences, each settled by a recorded note."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Role
from shuangjian.core.views.common import scoped
from shuangjian.ledger import selectors_reconciliation
from shuangjian.ledger.services import reconciliation

MAX_UPLOAD_BYTES = 4_000_000  # a day's statement of a city is far smaller; bigger is refused before reading


class StatementForm(forms.Form):
    region_code = forms.CharField(label=gettext_lazy("地区代码（市）"), max_length=12)
    statement_date = forms.DateField(
        label=gettext_lazy("对账日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = forms.FileField(label=gettext_lazy("银行对账单（CSV）"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件太大：一天的对账单不应超过 4 MB。"))
        return upload


class ResolveForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("处理说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    correcting_reference = forms.CharField(label=gettext_lazy("更正转账编号（可选）"), max_length=40, required=False)


def _bureau(request: HttpRequest) -> None:
    if not access.has_role(request.user, Role.BUREAU):
        raise PermissionDenied


def _default_region(request: HttpRequest) -> str:
    cities = [a.region.code for a in access.assignments(request.user) if a.role == Role.BUREAU and a.region]
    return cities[0] if cities else ""


@login_required
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest) -> HttpResponse:
    _bureau(request)
    form = StatementForm(
        request.POST or None,
        request.FILES or None,
        initial={"region_code": _default_region(request), "statement_date": timezone.localdate()},
    )
    errors: list[dict[str, object]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement, created = reconciliation.statement_import(
                actor=request.user, region_code=form.cleaned_data["region_code"],
                statement_date=form.cleaned_data["statement_date"], content=upload.read(), file_name=upload.name,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            errors = list(exc.details.get("errors", []))
        else:
            if created:
                messages.success(request, _("对账单已导入并完成核对。"))
            else:
                messages.info(request, _("这份对账单此前已导入，未重复导入。"))
            return redirect("escrow:statement", statement_id=statement.pk)
    listing = selectors_reconciliation.statement_list(actor=request.user)[:100]
    return render(request, "ledger/statements.html", {"form": form, "statements": listing, "errors": errors})


@login_required
@require_GET
def statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    found = scoped(lambda: selectors_reconciliation.statement_get(actor=request.user, statement_id=statement_id))
    context = {
        "found": found,
        "differences": [selectors_reconciliation.difference_out(row) for row in found.differences],
        "resolve_form": ResolveForm(),
    }
    return render(request, "ledger/statement.html", context)


@login_required
@require_POST
def difference_resolve(request: HttpRequest, difference_id: int) -> HttpResponse:
    form = ResolveForm(request.POST)
    statement_id = request.POST.get("statement_id", "")
    if form.is_valid():
        try:
            scoped(
                lambda: reconciliation.difference_resolve(
                    actor=request.user,
                    difference_id=difference_id,
                    note=form.cleaned_data["note"],
                    correcting_reference=form.cleaned_data["correcting_reference"],
                )
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("差异已记录处理说明。"))
    else:
        messages.error(request, _("请填写处理说明（不超过 500 个字）。"))
    if statement_id.isdigit():
        return redirect("escrow:statement", statement_id=int(statement_id))
    return redirect("escrow:statements")
