"""A guardian's course fees on a phone: each purchase with its lessons consumed, held and refundable, the money
released and refundable, and the delivered lessons awaiting them, to confirm or dispute."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped
from shuangjian.ledger import selectors_pages
from shuangjian.ledger.services import lessons
from shuangjian.ledger.views.common import new_key


@login_required
@require_GET
def purchases(request: HttpRequest) -> HttpResponse:
    views = selectors_pages.family_purchases(actor=request.user)
    return render(request, "ledger/family.html", {"views": views, "form_key": new_key})


@login_required
@require_POST
def hold_confirm(request: HttpRequest, hold_id: int) -> HttpResponse:
    key = request.POST.get("idempotency_key", "")
    try:
        scoped(lambda: lessons.lesson_confirm(actor=request.user, hold_id=hold_id, idempotency_key=key))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认这节课，课时费将划拨给培训机构。"))
    return redirect("escrow:family")


@login_required
@require_POST
def hold_dispute(request: HttpRequest, hold_id: int) -> HttpResponse:
    try:
        scoped(lambda: lessons.lesson_dispute(actor=request.user, hold_id=hold_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已提出异议。这节课的费用继续冻结，不会自动划拨，请与机构或教育局联系处理。"))
    return redirect("escrow:family")
