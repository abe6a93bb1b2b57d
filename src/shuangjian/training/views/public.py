"""The public pages: the lookup and sanction list (no login, no session, cacheable) and complaints (no login).

The lookup and sanction pages never touch `request.user`, the session, messages or CSRF (their layout is
training/public_layout.html, not base.html), so responses carry no `Vary: Cookie` and no cookie, and a shared cache may
serve them. The complaint form carries a CSRF token and is not cached.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from shuangjian.core.errors import DomainError, NotFound
from shuangjian.training import selectors, selectors_public
from shuangjian.training.forms import ComplaintFollowForm, ComplaintForm
from shuangjian.training.public_cache import public_page
from shuangjian.training.services import complaints


@require_GET
@public_page
def lookup(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:64]
    found = selectors_public.public_listing(query=query)
    context = {"query": query, "results": found.items, "more": found.more, "searched": bool(query.strip())}
    return render(request, "training/lookup.html", context)


@require_GET
@public_page
def lookup_detail(request: HttpRequest, credit_code: str) -> HttpResponse:
    try:
        institution = selectors.public_get(credit_code=credit_code, on=timezone.localdate())
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "training/lookup_detail.html", {"institution": institution})


@require_GET
@public_page
def sanction_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sanctions = selectors.public_sanctions(on=today)
    return render(request, "training/sanctions.html", {"sanctions": sanctions, "today": today})


# Complaints: public but personal (a form with a CSRF token, a phone number), so never cached.


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None, counties=selectors.complaint_counties())
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaints.complaint_file(draft=complaints.ComplaintDraft(**form.cleaned_data))
        except (DomainError, NotFound) as exc:
            form.add_error(None, exc.message)
        else:
            query = urlencode({"reference": complaint.reference, "new": "1"})
            return redirect(reverse("training:complaint_follow") + "?" + query)
    status = 422 if request.method == "POST" else 200
    return render(request, "training/complaint_new.html", {"form": form}, status=status)


@require_GET
def complaint_follow(request: HttpRequest) -> HttpResponse:
    form = ComplaintFollowForm(request.GET or None)
    complaint = None
    if form.is_valid():
        try:
            complaint = selectors.complaint_follow(reference=form.cleaned_data["reference"])
        except NotFound as exc:
            form.add_error("reference", exc.message)
    context = {"form": form, "complaint": complaint, "new": request.GET.get("new") == "1"}
    return render(request, "training/complaint_follow.html", context)
