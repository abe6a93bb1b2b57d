"""How the public pages are cached: the lookup, an institution's public record and the sanction list.

They need no login, are the same for everyone and change only when the registry does, so each response is cached
for PUBLIC_MAX_AGE_SECONDS: by any shared cache in front of the server (`Cache-Control: public`) and by the server
itself in the `public` cache (settings.CACHES; the key includes the URL with its query and the page's language).
A repeated search then costs a cache read instead of a database query, and a registry change shows within that
time, which is what the headers have always promised. Only successful responses are kept.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.views.decorators.cache import cache_control, cache_page

PUBLIC_MAX_AGE_SECONDS = 300  # the registry changes rarely; five minutes of staleness buys a fast page


def public_page[V: Callable[..., HttpResponse]](view: V) -> V:
    cached = cache_page(PUBLIC_MAX_AGE_SECONDS, cache="public")(view)
    return cache_control(public=True, max_age=PUBLIC_MAX_AGE_SECONDS)(cached)
