"""How long the public pages may be served from a cache: the lookup, an institution's public record and the sanction
list need no login, are the same for everyone and change only when the registry does. Shared caches in front and
the server's own public cache (core.public_cache) keep each response for PUBLIC_MAX_AGE_SECONDS, so a registry
change shows within that time, as the headers promise."""

from shuangjian.core.public_cache import public_page as _public_page

PUBLIC_MAX_AGE_SECONDS = 300  # the registry changes rarely; five minutes of staleness buys a fast page

public_page = _public_page(PUBLIC_MAX_AGE_SECONDS)
