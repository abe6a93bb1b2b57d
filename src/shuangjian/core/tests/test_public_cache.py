"""The server's public-page cache (core.public_cache): a response declaring `public` with a max-age is served again
from the cache without running the view; anything else runs every time and is never stored."""

from collections import Counter

import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.cache import cache_control

from shuangjian.core.public_cache import public_page

calls: Counter[str] = Counter()


@public_page(60)
def shared(request: HttpRequest) -> HttpResponse:
    calls["shared"] += 1
    return HttpResponse(f"shared {calls['shared']} {request.GET.get('q', '')}")


def personal(request: HttpRequest) -> HttpResponse:
    calls["personal"] += 1
    return HttpResponse(f"personal {calls['personal']}")


@cache_control(private=True, max_age=60)
def private(request: HttpRequest) -> HttpResponse:
    calls["private"] += 1
    return HttpResponse(f"private {calls['private']}")


urlpatterns = [path("shared/", shared), path("personal/", personal), path("private/", private)]


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    calls.clear()


@override_settings(ROOT_URLCONF=__name__)
def test_a_public_page_is_served_again_from_the_cache_per_url() -> None:
    client = Client()
    first = client.get("/shared/", {"q": "启明"})
    again = client.get("/shared/", {"q": "启明"})
    other = client.get("/shared/", {"q": "博雅"})
    assert first.content == again.content == "shared 1 启明".encode()
    assert other.content == "shared 2 博雅".encode()
    assert calls["shared"] == 2


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/personal/", "/private/"])
def test_a_page_that_is_not_declared_public_runs_every_time_and_is_not_stored(url: str) -> None:
    client = Client()
    assert client.get(url).content != client.get(url).content
    assert caches["public"]._cache == {}  # type: ignore[attr-defined]  # LocMemCache's entries
