"""The server's cache of public pages: a response that declares itself shareable (`Cache-Control: public` with a
positive `max-age`) is kept in the `public` cache for that long, and a later GET of the same URL in the same
language is answered from it before the rest of the middleware, URL routing and the view run.

Only such responses are stored: a personal page never says `public`, and Django's middleware also refuses anything
`private`, `no-store`, setting a cookie that varies on cookies, or `Vary: *`. A view opts in with
`public_page(max_age)`. Django's own cache middleware does the work (keys carry the full URL, the Vary headers and
the language); this module only narrows what it stores and where it sits (settings.MIDDLEWARE).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.cache import UpdateCacheMiddleware
from django.utils.cache import get_max_age
from django.views.decorators.cache import cache_control


class PublicPageCacheMiddleware(UpdateCacheMiddleware):
    """Stores only public responses with a max-age (first in MIDDLEWARE; FetchFromCacheMiddleware answers hits)."""

    def _should_update_cache(self, request: HttpRequest, response: HttpResponse) -> bool:
        shareable = "public" in response.get("Cache-Control", "") and (get_max_age(response) or 0) > 0
        return shareable and super()._should_update_cache(request, response)  # type: ignore[misc]  # not in the stubs


def public_page[V: Callable[..., HttpResponse]](max_age: int) -> Callable[[V], V]:
    """Mark a view's responses as the same for everyone for `max_age` seconds: shared caches in front and this
    server's `public` cache may answer repeats."""
    return cache_control(public=True, max_age=max_age)
