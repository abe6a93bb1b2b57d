"""The after-school hub: the pages each of the actor's roles has."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_pages


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "afterschool/index.html", {"hub": selectors_pages.hub(actor=request.user)})
