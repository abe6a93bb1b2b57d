"""Teachers: 布置作业 with the class's load in view, 我布置的作业 with shorten, move and withdraw."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.views.common import scoped
from shuangjian.homework import selectors, selectors_pages
from shuangjian.homework.errors import HomeworkError
from shuangjian.homework.forms import AssignForm, ItemUpdateForm
from shuangjian.homework.services import items
from shuangjian.homework.views.common import parse_day, today

# Which form field a service's refusal belongs to; the cap refusals stay on the form, next to the day's load.
ERROR_FIELDS: dict[str, str] = {
    HomeworkError.IMPLAUSIBLE_MINUTES: "estimated_minutes",
    HomeworkError.DUE_IN_PAST: "due_date",
    HomeworkError.BAD_DATES: "start_date",
    HomeworkError.NOT_A_HOMEWORK_DAY: "due_date",
    HomeworkError.NOT_YOUR_CLASS: "subject",
    HomeworkError.UNKNOWN_GROUP: "group_id",
    HomeworkError.PARENT_GRADING_FORBIDDEN: "instructions",
    HomeworkError.SELF_GRADING_FORBIDDEN: "instructions",
    HomeworkError.PUNITIVE_FORBIDDEN: "instructions",
}
CAP_ERRORS = (HomeworkError.CAP_EXCEEDED, HomeworkError.NO_WRITTEN_HOMEWORK)


def _require_teacher(request: HttpRequest) -> None:
    if not access.has_role(request.user, *selectors_pages.TEACHING_ROLES):
        raise PermissionDenied


def _int_or_none(raw: object) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


def _show_refusal(form: AssignForm | ItemUpdateForm, exc: DomainError) -> None:
    field = ERROR_FIELDS.get(exc.code)
    form.add_error(field if field in form.fields else None, exc.message)


def _assign_url(class_id: int, day: date) -> str:
    return reverse("homework:assign") + "?" + urlencode({"class_id": str(class_id), "date": day.isoformat()})


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest) -> HttpResponse:
    _require_teacher(request)
    now = today()
    source = request.POST if request.method == "POST" else request.GET
    chosen_class = _int_or_none(source.get("class_id"))
    chosen_day = parse_day(source.get("due_date") or source.get("date")) or now
    page = selectors_pages.assign_page(actor=request.user, class_id=chosen_class, day=chosen_day)
    initial: dict[str, Any] = {"due_date": chosen_day}
    if page.preview is not None:
        initial["class_id"] = page.preview.board.school_class.pk
    form = AssignForm(request.POST or None, initial=initial, teaching=page.teaching, groups=page.groups)
    refusal: DomainError | None = None
    preview = page.preview
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = items.ItemDraft(
            subject=data["subject"],
            kind=data["kind"],
            layer=data["layer"],
            title=data["title"],
            instructions=data["instructions"],
            estimated_minutes=data["estimated_minutes"],
            start_date=data["start_date"],
            due_date=data["due_date"],
            group_id=data["group_id"],
        )
        try:
            item = items.homework_assign(actor=request.user, class_id=data["class_id"], draft=draft, today=now)
        except (NotFound, AccessDenied) as exc:
            form.add_error("class_id", exc.message)
        except DomainError as exc:
            refusal = exc
            _show_refusal(form, exc)
            refused_day = parse_day(exc.details.get("date"))
            if exc.code in CAP_ERRORS and refused_day is not None and refused_day != chosen_day:
                preview = scoped(
                    lambda: selectors_pages.load_preview(actor=request.user, class_id=data["class_id"], day=refused_day)
                )
        else:
            messages.success(
                request,
                _("已发布：%(class)s %(subject)s“%(title)s”，%(minutes)s 分钟。")
                % {
                    "class": item.school_class.name,
                    "subject": item.subject,
                    "title": item.title,
                    "minutes": item.estimated_minutes,
                },
            )
            return redirect(_assign_url(item.school_class_id, item.due_date))
    context = {
        "page": page,
        "form": form,
        "preview": preview,
        "refusal": refusal,
        "cap_refusal": refusal is not None and refusal.code in CAP_ERRORS,
        "today": now,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "homework/assign.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def load_panel(request: HttpRequest, class_id: int) -> HttpResponse:
    """The class's load on a day, as an HTML fragment for the assign page's script (any reader of the board)."""
    day = parse_day(request.GET.get("date")) or today()
    preview = scoped(lambda: selectors_pages.load_preview(actor=request.user, class_id=class_id, day=day))
    return render(request, "homework/_load_panel.html", {"preview": preview})


@login_required
@require_http_methods(["GET"])
def my_items(request: HttpRequest) -> HttpResponse:
    _require_teacher(request)
    include_past = request.GET.get("past") == "1"
    now = today()
    rows = selectors_pages.my_item_list(actor=request.user, today=now, include_past=include_past)
    return render(request, "homework/my_items.html", {"items": rows, "include_past": include_past, "today": now})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    _require_teacher(request)
    now = today()
    item = scoped(lambda: selectors.item_get(actor=request.user, item_id=item_id))
    initial = {"estimated_minutes": item.estimated_minutes, "due_date": item.due_date}
    if item.start_date != item.due_date:
        initial["start_date"] = item.start_date
    form = ItemUpdateForm(request.POST or None, initial=initial)
    refusal: DomainError | None = None
    preview_day = item.due_date
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        preview_day = data["due_date"]
        try:
            changed = items.homework_update(
                actor=request.user,
                item_id=item.pk,
                estimated_minutes=data["estimated_minutes"],
                start_date=data["start_date"],
                due_date=data["due_date"],
                today=now,
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            refusal = exc
            _show_refusal(form, exc)
            preview_day = parse_day(exc.details.get("date")) or preview_day
        else:
            messages.success(
                request,
                _("已修改“%(title)s”：%(minutes)s 分钟，完成日期 %(date)s。")
                % {"title": changed.title, "minutes": changed.estimated_minutes, "date": changed.due_date},
            )
            return redirect("homework:my_items")
    preview = scoped(
        lambda: selectors_pages.load_preview(actor=request.user, class_id=item.school_class_id, day=preview_day)
    )
    context = {
        "item": item,
        "form": form,
        "preview": preview,
        "refusal": refusal,
        "cap_refusal": refusal is not None and refusal.code in CAP_ERRORS,
        "today": now,
    }
    return render(request, "homework/item_edit.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def item_withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    _require_teacher(request)
    try:
        item = items.homework_withdraw(actor=request.user, item_id=item_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回“%(title)s”。") % {"title": item.title})
    return redirect("homework:my_items")
