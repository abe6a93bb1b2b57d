"""Fees on the pages: the school's fee page (the published fee, who owes what, waivers with their school-only
reason, the paid record) and, for a guardian, what they owe for a child or that it is waived, beside the term's
satisfaction survey."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_staffing
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.models_fees import WaiverCategory
from shuangjian.afterschool.rules_money import SURVEY_QUESTIONS
from shuangjian.afterschool.services import fees, survey
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped

QUESTION_LABELS = {
    "overall": gettext_lazy("总体上，您对本学期的课后服务满意吗？"),
    "content": gettext_lazy("课程和活动内容丰富、适合孩子"),
    "care": gettext_lazy("看护到位，孩子安全"),
    "staff": gettext_lazy("老师和工作人员认真负责"),
}


def _int(request: HttpRequest, name: str) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw.isdigit():
        raise Http404(_("请填写正确的数字。"))
    return int(raw)


def _fen(request: HttpRequest, name: str) -> int:
    """A yuan amount typed by a person ("300" or "300.5") as fen."""
    raw = request.POST.get(name, "").strip() or "0"
    whole, _dot, cents = raw.partition(".")
    if not whole.isdigit() or (cents and not cents.isdigit()) or len(cents) > 2:
        raise afterschool_error(AfterschoolError.AMOUNT_FORMAT)
    return int(whole) * 100 + int(cents.ljust(2, "0") or 0)


def _fee_action(request: HttpRequest, plan_id: int) -> str:
    action = request.POST.get("action", "")
    if action == "fee":
        scoped(
            lambda: fees.fee_set(
                actor=request.user, plan_id=plan_id, fee_fen_per_term=_fen(request, "fee_yuan"),
                items=request.POST.get("items", ""), funding_note=request.POST.get("funding_note", ""),
            )
        )  # fmt: skip
        return _("收费标准已公布。")
    enrolment_id = _int(request, "enrolment_id")
    if action == "waiver":
        waived = request.POST.get("waived_yuan", "").strip()
        scoped(
            lambda: fees.waiver_grant(
                actor=request.user, enrolment_id=enrolment_id, category=request.POST.get("category", ""),
                reason=request.POST.get("reason", ""), waived_fen=_fen(request, "waived_yuan") if waived else None,
            )
        )  # fmt: skip
        return _("减免已登记。")
    paid = request.POST.get("paid") == "1"
    scoped(lambda: fees.payment_record(actor=request.user, enrolment_id=enrolment_id, paid=paid))
    return _("已登记为已缴费。") if paid else _("已登记为未缴费。")


def _positive(value: str | None) -> int | None:
    """A page or class number from the query string; anything else is no filter."""
    return int(value) if value and value.isdigit() and int(value) > 0 else None


@login_required
@require_http_methods(["GET", "POST"])
def fee_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    refusal = ""
    if request.method == "POST":
        try:
            done = _fee_action(request, plan_id)
        except DomainError as exc:
            refusal = exc.message
        else:
            messages.success(request, done)
            return redirect(request.path)
    status, class_id = request.GET.get("status", ""), _positive(request.GET.get("class"))
    book = scoped(
        lambda: selectors_staffing.fee_book(
            actor=request.user, plan_id=plan_id, status=status, school_class_id=class_id,
            page=_positive(request.GET.get("page")) or 1,
        )
    )  # fmt: skip
    context = {
        "book": book,
        "categories": WaiverCategory.choices,
        "refusal": refusal,
        "status": status if status in selectors_staffing.FEE_FILTERS else "",
        "class_id": class_id,
        "statuses": [("", _("全部")), ("unpaid", _("未缴")), ("paid", _("已缴")), ("waived", _("减免"))],
    }
    return render(request, "afterschool/fees.html", context, status=400 if refusal else 200)


@login_required
@require_http_methods(["GET", "POST"])
def family_term(request: HttpRequest, student_id: int, enrolment_id: int) -> HttpResponse:
    """A guardian's page for a child's term: the fee owed (or waived) and the satisfaction survey."""
    refusal = ""
    if request.method == "POST":
        try:
            scores = {q: _int(request, q) for q in SURVEY_QUESTIONS}
            scoped(
                lambda: survey.survey_answer(
                    actor=request.user, student_id=student_id, scores=scores, comment=request.POST.get("comment", "")
                )
            )
        except DomainError as exc:
            refusal = exc.message
        else:
            messages.success(request, _("谢谢您的反馈！问卷是匿名的，学校只能看到汇总结果。"))
            return redirect(request.path)
    owed = scoped(lambda: selectors_staffing.child_fee(actor=request.user, enrolment_id=enrolment_id))
    if owed.enrolment.student_id != student_id:
        raise Http404
    answered = survey.survey_answered(actor=request.user, student_id=student_id, plan_id=owed.enrolment.plan_id)
    context = {
        "owed": owed,
        "answered": answered,
        "questions": [(q, QUESTION_LABELS[q]) for q in SURVEY_QUESTIONS],
        "scores": range(5, 0, -1),
        "refusal": refusal,
    }
    return render(request, "afterschool/family_term.html", context, status=400 if refusal else 200)
