from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuangjian.core import selectors, selectors_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "me": selectors.me(actor=request.user),
        "cards": selectors_home.home_cards(actor=request.user),
    }
    return render(request, "core/home.html", context)
